"""Codebooks, codes (a tree per codebook), links between codes, and memos."""

from __future__ import annotations

import re

from qualcode.coding.models import Code, Codebook, Memo
from qualcode.errors import ConflictError, NotFoundError
from qualcode.store.core import new_guid, now

_CODE_COLUMNS = "id, codebook_id, parent_id, name, colour, description, key, guid, framework_path, position, finding"
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
PATH_SEPARATOR = " > "


class CodebooksMixin:
    # ---------------------------------------------------------------- codebooks
    def codebooks(self) -> list[Codebook]:
        rows = self.db.execute("SELECT id, name, framework, language FROM codebooks ORDER BY position, id").fetchall()
        return [Codebook(*row) for row in rows]

    def codebook(self, ref: int | str) -> Codebook:
        for book in self.codebooks():
            if book.id == ref or book.name == ref or book.framework == ref:
                return book
        raise NotFoundError(f"No codebook {ref!r}. Add one with `qualcode frameworks use PROJECT NAME`.")

    def add_codebook(self, name: str, *, framework: str | None = None, language: str | None = None) -> int:
        if self.db.execute("SELECT 1 FROM codebooks WHERE name = ?", [name]).fetchone():
            raise ConflictError(f"A codebook named {name!r} already exists.")
        with self.action(f"add codebook {name}"):
            position = self.db.execute("SELECT coalesce(max(position), 0) + 1 FROM codebooks").fetchone()[0]
            return self._insert("codebooks", {"name": name, "framework": framework, "language": language,
                                              "position": position})

    def default_codebook_id(self) -> int:
        """The first codebook, created (as 'Themes') when the project has none."""
        books = self.codebooks()
        return books[0].id if books else self.add_codebook("Themes")

    # ---------------------------------------------------------------- codes
    def codes(self, codebook_id: int | None = None) -> list[Code]:
        """Codes in codebook order: depth-first, parents before children, siblings by position."""
        where, params = ("WHERE codebook_id = ?", [codebook_id]) if codebook_id is not None else ("", [])
        rows = self.db.execute(f"SELECT {_CODE_COLUMNS} FROM codes {where}", params).fetchall()
        codes = [Code(*row) for row in rows]
        book_order = {b.id: i for i, b in enumerate(self.codebooks())}
        children: dict[int | None, list[Code]] = {}
        for code in codes:
            children.setdefault(code.parent_id, []).append(code)
        for siblings in children.values():
            siblings.sort(key=lambda c: (book_order.get(c.codebook_id, 0), c.position, c.id))
        ordered: list[Code] = []

        def walk(parent: int | None) -> None:
            for code in children.get(parent, []):
                ordered.append(code)
                walk(code.id)

        walk(None)
        return ordered

    def code(self, code_id: int) -> Code:
        row = self.db.execute(f"SELECT {_CODE_COLUMNS} FROM codes WHERE id = ?", [code_id]).fetchone()
        if row is None:
            raise NotFoundError(f"No code with id {code_id}.")
        return Code(*row)

    def code_path(self, code_id: int) -> list[str]:
        """Names from the root down to this code."""
        names: list[str] = []
        current: int | None = code_id
        while current is not None:
            code = self.code(current)
            names.append(code.name)
            current = code.parent_id
        return names[::-1]

    def find_code(self, ref: str | int, *, codebook_id: int | None = None) -> Code:
        """A code by id, by name, by a path of names joined with ' > ', or by framework path
        (`five-es/emotions`). An ambiguous name is an error that lists the full paths."""
        if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
            return self.code(int(ref))
        codes = self.codes(codebook_id)
        by_framework = [c for c in codes if c.framework_path == ref]
        if by_framework:
            return by_framework[0]
        parts = [p.strip() for p in ref.split(PATH_SEPARATOR.strip())] if PATH_SEPARATOR.strip() in ref else [ref]
        matches = [c for c in codes if self.code_path(c.id)[-len(parts):] == parts]
        if not matches:
            folded = [c for c in codes if c.name.casefold() == ref.casefold()]
            matches = folded
        if not matches:
            raise NotFoundError(f"No code {ref!r}. List the codes with `qualcode codes PROJECT`.")
        if len(matches) > 1:
            paths = "; ".join(PATH_SEPARATOR.join(self.code_path(c.id)) for c in matches)
            raise ConflictError(f"The code name {ref!r} is ambiguous: {paths}. Give the path joined with ' > '.")
        return matches[0]

    def add_code(self, name: str, *, codebook_id: int | None = None, parent_id: int | None = None,
                 colour: str | None = None, description: str = "", key: str | None = None,
                 framework_path: str | None = None, finding: str | None = None, guid: str | None = None) -> int:
        name = name.strip()
        if not name:
            raise ConflictError("A code needs a name.")
        if parent_id is not None:
            parent = self.code(parent_id)
            if codebook_id is not None and codebook_id != parent.codebook_id:
                raise ConflictError("A code must be in the same codebook as its parent.")
            codebook_id = parent.codebook_id
        if colour is not None and not _COLOUR.match(colour):
            raise ConflictError(f"Colour {colour!r} is not of the form #rrggbb.")
        with self.action(f"add code {name}"):
            if codebook_id is None:
                codebook_id = self.default_codebook_id()
            self._check_unique_name(codebook_id, parent_id, name)
            position = self.db.execute(
                "SELECT coalesce(max(position), 0) + 1 FROM codes WHERE codebook_id = ? AND parent_id IS ?",
                [codebook_id, parent_id]).fetchone()[0]
            return self._insert("codes", {
                "codebook_id": codebook_id, "parent_id": parent_id, "name": name,
                "colour": colour or _palette_colour(position), "description": description, "key": key,
                "guid": guid or new_guid(), "framework_path": framework_path, "position": position,
                "finding": finding})

    def update_code(self, code_id: int, **changes: object) -> None:
        """Rename, recolour, describe, re-key or set the finding sentence of a code."""
        allowed = {"name", "colour", "description", "key", "finding"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"cannot change {sorted(unknown)} with update_code")
        code = self.code(code_id)
        if "colour" in changes and not _COLOUR.match(str(changes["colour"])):
            raise ConflictError(f"Colour {changes['colour']!r} is not of the form #rrggbb.")
        if "name" in changes:
            changes["name"] = str(changes["name"]).strip()
            if changes["name"] != code.name:
                self._check_unique_name(code.codebook_id, code.parent_id, str(changes["name"]))
        with self.action(f"change code {code.name}"):
            self._update("codes", code_id, changes)

    def move_code(self, code_id: int, new_parent_id: int | None) -> None:
        """Move a code (with its children) under another parent, or to the top level."""
        code = self.code(code_id)
        if new_parent_id is not None:
            parent = self.code(new_parent_id)
            if parent.codebook_id != code.codebook_id:
                raise ConflictError("A code can only be moved within its own codebook.")
            ancestor: int | None = new_parent_id
            while ancestor is not None:
                if ancestor == code_id:
                    raise ConflictError(f"Cannot move {code.name!r} under its own descendant.")
                ancestor = self.code(ancestor).parent_id
        self._check_unique_name(code.codebook_id, new_parent_id, code.name)
        with self.action(f"move code {code.name}"):
            position = self.db.execute(
                "SELECT coalesce(max(position), 0) + 1 FROM codes WHERE codebook_id = ? AND parent_id IS ?",
                [code.codebook_id, new_parent_id]).fetchone()[0]
            self._update("codes", code_id, {"parent_id": new_parent_id, "position": position})

    def merge_codes(self, source_id: int, target_id: int) -> int:
        """Merge `source` into `target`: its codings, children and links move, then it is removed.
        Returns the number of codings moved. A coding that would duplicate one already on the
        target is dropped rather than doubled."""
        source, target = self.code(source_id), self.code(target_id)
        if source_id == target_id:
            raise ConflictError("Cannot merge a code into itself.")
        if target_id in self.descendant_ids(source_id):
            raise ConflictError(f"Cannot merge {source.name!r} into its own descendant {target.name!r}.")
        moved = 0
        with self.action(f"merge code {source.name} into {target.name}"):
            for (coding_id, doc, start, end, coder) in self.db.execute(
                    'SELECT id, document_id, start, "end", coder FROM codings WHERE code_id = ?', [source_id]).fetchall():
                duplicate = self.db.execute(
                    'SELECT 1 FROM codings WHERE code_id = ? AND document_id = ? AND start = ? AND "end" = ? AND coder = ?',
                    [target_id, doc, start, end, coder]).fetchone()
                if duplicate:
                    self._delete("codings", coding_id)
                else:
                    self._update("codings", coding_id, {"code_id": target_id, "modified_at": now()})
                    moved += 1
            for (child_id,) in self.db.execute("SELECT id FROM codes WHERE parent_id = ?", [source_id]).fetchall():
                self._update("codes", child_id, {"parent_id": target_id})
            for (rowid, theme, element) in self.db.execute(
                    "SELECT rowid, theme_code_id, element_code_id FROM code_links "
                    "WHERE theme_code_id = ? OR element_code_id = ?", [source_id, source_id]).fetchall():
                self._delete("code_links", rowid)
                new = (target_id if theme == source_id else theme, target_id if element == source_id else element)
                if new[0] != new[1] and not self.db.execute(
                        "SELECT 1 FROM code_links WHERE theme_code_id = ? AND element_code_id = ?", list(new)).fetchone():
                    self._insert("code_links", {"theme_code_id": new[0], "element_code_id": new[1]})
            self._delete_code_rows(source_id)
        return moved

    def count_codings(self, code_id: int, *, with_children: bool = True) -> int:
        ids = [code_id, *self.descendant_ids(code_id)] if with_children else [code_id]
        marks = ", ".join("?" for _ in ids)
        return self.db.execute(f"SELECT count(*) FROM codings WHERE code_id IN ({marks})", ids).fetchone()[0]

    def delete_code(self, code_id: int, *, force: bool = False) -> int:
        """Delete a code and its children. Refused while codings exist unless `force`;
        returns the number of codings removed."""
        code = self.code(code_id)
        count = self.count_codings(code_id)
        if count and not force:
            raise ConflictError(f"Code {code.name!r} (with its children) has {count} codings; "
                                f"use --force to delete it and remove them.")
        with self.action(f"delete code {code.name}"):
            for descendant in reversed([code_id, *self.descendant_ids(code_id)]):
                self._delete_code_rows(descendant)
        return count

    def _delete_code_rows(self, code_id: int) -> None:
        """Delete one code and, audited one by one so undo restores them, what hangs on it."""
        for table, column in (("codings", "code_id"), ("suggestions", "code_id"), ("cell_summaries", "code_id"),
                              ("code_links", "theme_code_id"), ("code_links", "element_code_id")):
            for (rowid,) in self.db.execute(f"SELECT rowid FROM {table} WHERE {column} = ?", [code_id]).fetchall():
                self._delete(table, rowid)
        memo = self.db.execute("SELECT id FROM memos WHERE target_type = 'code' AND target_id = ?", [code_id]).fetchone()
        if memo:
            self._delete("memos", memo[0])
        self._delete("codes", code_id)

    def descendant_ids(self, code_id: int) -> list[int]:
        rows = self.db.execute(
            "WITH RECURSIVE tree(id) AS (SELECT id FROM codes WHERE parent_id = ? "
            "UNION ALL SELECT c.id FROM codes c JOIN tree t ON c.parent_id = t.id) SELECT id FROM tree",
            [code_id]).fetchall()
        return [r[0] for r in rows]

    def _check_unique_name(self, codebook_id: int, parent_id: int | None, name: str) -> None:
        if self.db.execute("SELECT 1 FROM codes WHERE codebook_id = ? AND parent_id IS ? AND name = ?",
                           [codebook_id, parent_id, name]).fetchone():
            raise ConflictError(f"A code named {name!r} already exists at that place in the codebook.")

    # ---------------------------------------------------------------- links between codes
    def link_codes(self, theme_id: int, element_id: int) -> None:
        """Link an inductive theme to a framework element (many-to-many)."""
        if theme_id == element_id:
            raise ConflictError("A code cannot be linked to itself.")
        self.code(theme_id), self.code(element_id)
        if self.db.execute("SELECT 1 FROM code_links WHERE theme_code_id = ? AND element_code_id = ?",
                           [theme_id, element_id]).fetchone():
            return
        with self.action("link codes"):
            self._insert("code_links", {"theme_code_id": theme_id, "element_code_id": element_id})

    def unlink_codes(self, theme_id: int, element_id: int) -> None:
        row = self.db.execute("SELECT rowid FROM code_links WHERE theme_code_id = ? AND element_code_id = ?",
                              [theme_id, element_id]).fetchone()
        if row:
            with self.action("unlink codes"):
                self._delete("code_links", row[0])

    def code_links(self) -> list[tuple[int, int]]:
        return [tuple(r) for r in self.db.execute("SELECT theme_code_id, element_code_id FROM code_links")]

    # ---------------------------------------------------------------- memos
    def set_memo(self, target_type: str, target_id: int | None, text: str) -> None:
        """Write (or with empty text, remove) the memo on the project, a document or a code."""
        if target_type not in ("project", "document", "code"):
            raise ValueError(target_type)
        row = self.db.execute("SELECT id FROM memos WHERE target_type = ? AND target_id IS ?",
                              [target_type, target_id]).fetchone()
        with self.action(f"memo on {target_type}"):
            if row and not text.strip():
                self._delete("memos", row[0])
            elif row:
                self._update("memos", row[0], {"text": text, "author": self.user, "modified_at": now()})
            elif text.strip():
                stamp = now()
                self._insert("memos", {"target_type": target_type, "target_id": target_id, "text": text,
                                       "author": self.user, "created_at": stamp, "modified_at": stamp})

    def memo(self, target_type: str, target_id: int | None) -> Memo | None:
        row = self.db.execute("SELECT id, target_type, target_id, text, author, modified_at FROM memos "
                              "WHERE target_type = ? AND target_id IS ?", [target_type, target_id]).fetchone()
        return Memo(*row) if row else None

    def memos(self) -> list[Memo]:
        rows = self.db.execute("SELECT id, target_type, target_id, text, author, modified_at FROM memos ORDER BY id")
        return [Memo(*row) for row in rows]


# A palette readable on dark and light terminals, used when a code is created without a colour.
PALETTE = ("#e6194b", "#3cb44b", "#ffe119", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6",
           "#bfef45", "#fabed4", "#469990", "#dcbeff", "#9a6324", "#fffac8", "#800000", "#aaffc3")


def _palette_colour(position: int) -> str:
    return PALETTE[(position - 1) % len(PALETTE)]
