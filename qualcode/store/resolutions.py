"""Recorded resolutions of coder disagreements (team coding)."""

from __future__ import annotations

from qualcode.store.core import now


class ResolutionsMixin:
    def record_resolution(self, document_id: int, code_id: int, start: int, end: int, coders: list[str],
                          decision: str) -> int:
        """Record how a disagreement unit was resolved; call inside the action that applies it."""
        return self._insert("resolutions", {
            "document_id": document_id, "code_id": code_id, "start": start, "end": end,
            "coders": ",".join(coders), "decision": decision, "resolved_by": self.user, "resolved_at": now()})

    def resolutions(self) -> list[dict]:
        return self.db.execute_returning_dicts(
            'SELECT id, document_id, code_id, start, "end", coders, decision, resolved_by, resolved_at '
            "FROM resolutions ORDER BY id")
