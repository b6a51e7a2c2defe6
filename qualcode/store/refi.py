"""What REFI-QDA interchange needs beyond the other mixins: documents' GUIDs (exports must
reuse them so a second export is identical) and memos written with their original author and
times (an imported note keeps who wrote it and when)."""

from __future__ import annotations

from qualcode.store.core import now


class RefiMixin:
    def document_guids(self) -> dict[int, str]:
        """Each document's GUID by document id."""
        return dict(self.db.execute("SELECT id, guid FROM documents").fetchall())

    def write_memo(self, target_type: str, target_id: int | None, text: str, *, author: str | None = None,
                   created_at: str | None = None, modified_at: str | None = None) -> None:
        """Write the memo on the project, a document or a code as given (author and times kept),
        replacing any memo already there. Empty text writes nothing. Joins the caller's action."""
        if target_type not in ("project", "document", "code"):
            raise ValueError(target_type)
        if not text.strip():
            return
        stamp = now()
        values = {"text": text, "author": author or self.user, "modified_at": modified_at or stamp}
        row = self.db.execute("SELECT id FROM memos WHERE target_type = ? AND target_id IS ?",
                              [target_type, target_id]).fetchone()
        with self.action(f"memo on {target_type}"):
            if row:
                self._update("memos", row[0], values)
            else:
                self._insert("memos", {"target_type": target_type, "target_id": target_id,
                                       "created_at": created_at or modified_at or stamp, **values})
