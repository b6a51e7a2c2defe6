"""Coding actions of the workbench: apply (quick key, picker, repeat, in-vivo), remove, change,
resize, memos, undo and redo. Each one commits through a Store method at once, then redraws
only the transcript lines it touched; counts and progress follow after the repaint."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Sequence
from functools import wraps
from typing import TYPE_CHECKING, Any

from rich.text import Text

from qualcode.coding.models import Coding
from qualcode.errors import QualcodeError
from qualcode.tui.dialogs.choice import Choice, ChoiceDialog
from qualcode.tui.dialogs.code_picker import CodePicker, NewCode
from qualcode.tui.dialogs.memo import MemoDialog
from qualcode.tui.model import in_vivo_name

if TYPE_CHECKING:
    from qualcode.tui.screens.workbench import WorkbenchScreen


def reported(method: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a QualcodeError (or a failed write) into a notification instead of a traceback."""

    @wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except QualcodeError as error:
            self.notify(str(error), severity="error", markup=False)
        except sqlite3.Error as error:
            self.notify(f"The project could not be written ({error}); nothing was changed. "
                        "Check the disk and try again.", severity="error", markup=False)
        return None

    return wrapper


class CodingActions:
    """Mixed into WorkbenchScreen (which provides store, model, transcript, codes...)."""

    # ---------------------------------------------------------------- the span a code applies to
    def target_span(self: WorkbenchScreen) -> tuple[int, int] | None:
        """The selection without outer whitespace; with no selection, the sentence at the cursor."""
        model = self.model
        if model is None:
            return None
        start, end = self.transcript.selection_offsets
        text = model.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            return start, end
        return model.unit_at(self.transcript.cursor_offset)

    def coding_label(self: WorkbenchScreen, coding: Coding, width: int = 60) -> Text:
        assert self.model is not None
        code = self.codes.get(coding.code_id)
        excerpt = " ".join(self.model.text[coding.start:coding.end].split())
        if len(excerpt) > width:
            excerpt = excerpt[: width - 1] + "…"
        label = Text()
        label.append("■ ", style=code.colour if code and code.colour.startswith("#") else "")
        label.append(self.paths.get(coding.code_id, "?"), style="bold")
        label.append(f"  {coding.start}–{coding.end}  ", style="dim")
        label.append(excerpt)
        return label

    def with_target_coding(self: WorkbenchScreen, title: str, then: Callable[[Coding], None]) -> None:
        """Run `then` on the coding at the cursor (or overlapping the selection); ask which one
        when there are several, innermost first."""
        if self.model is None:
            return
        candidates = self.model.codings_touching(*self.transcript.selection_offsets)
        if not candidates:
            self.notify("No coding at the cursor. Move into a coloured passage first.", severity="warning")
        elif len(candidates) == 1:
            then(candidates[0])
        else:
            choices = [Choice(c, self.coding_label(c), self.paths.get(c.code_id, "")) for c in candidates]

            def chosen(coding: Coding | None) -> None:
                if coding is not None:
                    then(coding)

            self.app.push_screen(ChoiceDialog(title, choices, placeholder="type to filter codes"), chosen)

    def pick(self: WorkbenchScreen, then: Callable[[int], None], *, title: str = "Apply code",
             allow_new: bool = True) -> None:
        """Open the code picker; `then` receives an existing or newly created code id."""

        def chosen(result: int | NewCode | None) -> None:
            if result is None:
                return
            if isinstance(result, NewCode):
                self.create_and_apply(result)
            else:
                then(result)

        initial = self.code_tree.highlighted_code or self.last_code
        self.app.push_screen(CodePicker(title, list(self.codes.values()), self.paths, self.keys,
                                        active_book=self.active_book, initial=initial, allow_new=allow_new), chosen)

    # ---------------------------------------------------------------- applying
    @reported
    def apply_code(self: WorkbenchScreen, code_id: int) -> None:
        span = self.target_span()
        if self.model is None or span is None:
            self.notify("Nothing to code here: select some text first.", severity="warning")
            return
        coding_id = self.store.add_coding(self.model.document.id, code_id, *span)
        self.last_code = code_id
        if coding_id in self.model.codings:
            self.notify(f"Already coded with {self.codes[code_id].name}.", markup=False)
            return
        self.show_changes(added=[self.store.coding(coding_id)])
        self.code_tree.highlight_code(code_id)

    @reported
    def create_and_apply(self: WorkbenchScreen, new: NewCode) -> None:
        """Create a code from the picker and apply it to the selection, as one undo step."""
        span = self.target_span()
        if self.model is None or span is None:
            self.notify("Select the text to code first.", severity="warning")
            return
        code_id, coding_id = self.store.add_code_and_apply(
            new.name, self.model.document.id, *span, codebook_id=new.codebook_id, parent_id=new.parent_id,
            description=f"new code {new.name}")
        self.after_new_code(code_id, coding_id)

    def after_new_code(self: WorkbenchScreen, code_id: int, coding_id: int) -> None:
        self.reload_codes()
        self.last_code = code_id
        self.show_changes(added=[self.store.coding(coding_id)])
        self.code_tree.highlight_code(code_id)
        self.notify(f"New code {self.paths[code_id]}", markup=False)

    def action_apply_quick(self: WorkbenchScreen, digit: int) -> None:
        code_id = self.code_for_key(digit)
        if code_id is None:
            self.notify(f"No code on key {digit} in the active codebook (v switches codebooks).", severity="warning")
            return
        self.apply_code(code_id)

    def action_pick_code(self: WorkbenchScreen) -> None:
        self.pick(self.apply_code)

    def action_repeat_code(self: WorkbenchScreen) -> None:
        if self.last_code is None:
            self.notify("No code applied yet in this session.", severity="warning")
            return
        self.apply_code(self.last_code)

    @reported
    def action_in_vivo(self: WorkbenchScreen) -> None:
        model = self.model
        start, end = self.transcript.selection_offsets
        if model is None or start == end:
            self.notify("Select the respondent's words first; they become the new code's name.", severity="warning")
            return
        span = self.target_span()
        assert span is not None
        name = in_vivo_name(model.text[span[0]:span[1]])
        if not name:
            self.notify("The selection has no words to name a code with.", severity="warning")
            return
        code_id, coding_id = self.store.add_code_and_apply(
            name, model.document.id, *span, codebook_id=self.active_book, origin="in-vivo",
            description=f"in-vivo code {name}")
        self.after_new_code(code_id, coding_id)

    # ---------------------------------------------------------------- changing codings
    def action_remove_coding(self: WorkbenchScreen) -> None:
        @reported
        def remove(screen: WorkbenchScreen, coding: Coding) -> None:
            screen.store.delete_coding(coding.id)
            screen.show_changes(removed=[coding])
            screen.notify(f"Removed {screen.paths.get(coding.code_id, 'coding')} (u undoes).", markup=False)

        self.with_target_coding("Remove which coding?", lambda coding: remove(self, coding))

    def action_change_coding(self: WorkbenchScreen) -> None:
        def change(coding: Coding) -> None:
            @reported
            def to(screen: WorkbenchScreen, code_id: int) -> None:
                screen.store.update_coding(coding.id, code_id=code_id)
                screen.show_changes(removed=[coding], added=[screen.store.coding(coding.id)])
                screen.last_code = code_id

            self.pick(lambda code_id: to(self, code_id), title=f"Change {self.paths.get(coding.code_id)} to…",
                      allow_new=False)

        self.with_target_coding("Change which coding?", change)

    def resize_coding(self: WorkbenchScreen, coding: Coding, start: int, end: int) -> None:
        if (start, end) == (coding.start, coding.end):
            return
        if start >= end:
            self.notify("A coding cannot shrink to nothing; remove it with x instead.", severity="warning")
            return
        try:
            self.store.update_coding(coding.id, start=start, end=end)
        except QualcodeError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.show_changes(removed=[coding], added=[self.store.coding(coding.id)])

    def action_fit_coding(self: WorkbenchScreen) -> None:
        span = self.target_span()
        start, end = self.transcript.selection_offsets
        if span is None or start == end:
            self.notify("Select the new extent first, then press f to fit the coding to it.", severity="warning")
            return
        self.with_target_coding("Fit which coding to the selection?",
                                lambda coding: self.resize_coding(coding, *span))

    def action_extend_coding(self: WorkbenchScreen) -> None:
        def grow(coding: Coding) -> None:
            assert self.model is not None
            end = self.model.word_end_after(coding.end)
            if end is not None:
                self.resize_coding(coding, coding.start, end)

        self.with_target_coding("Extend which coding?", grow)

    def action_shrink_coding(self: WorkbenchScreen) -> None:
        def shrink(coding: Coding) -> None:
            assert self.model is not None
            end = self.model.end_without_last_word(coding.start, coding.end)
            if end is None:
                self.notify("The coding is one word long; remove it with x instead.", severity="warning")
                return
            self.resize_coding(coding, coding.start, end)

        self.with_target_coding("Shrink which coding?", shrink)

    # ---------------------------------------------------------------- memos
    def action_memo_coding(self: WorkbenchScreen) -> None:
        def write(coding: Coding) -> None:
            @reported
            def save(screen: WorkbenchScreen, text: str | None) -> None:
                if text is None or text == (coding.memo or ""):
                    return
                screen.store.update_coding(coding.id, memo=text)
                screen.show_changes(removed=[coding], added=[screen.store.coding(coding.id)])
                screen.notify("Memo removed." if not text else "Memo saved.")

            assert self.model is not None
            excerpt = " ".join(self.model.text[coding.start:coding.end].split())
            self.app.push_screen(MemoDialog(f"Memo on coding: {self.paths.get(coding.code_id)}", coding.memo or "",
                                            context=excerpt[:300]), lambda text: save(self, text))

        self.with_target_coding("Memo on which coding?", write)

    def action_memo_document(self: WorkbenchScreen) -> None:
        if self.model is None:
            return
        doc = self.model.document
        self.write_memo("document", doc.id, f"Memo on document {doc.title}")

    def action_memo_code(self: WorkbenchScreen) -> None:
        code_id = self.code_tree.highlighted_code if self.focused is self.code_tree else None
        if code_id is not None:
            self.write_memo("code", code_id, f"Memo on code {self.paths[code_id]}")
        else:
            self.pick(lambda chosen: self.write_memo("code", chosen, f"Memo on code {self.paths[chosen]}"),
                      title="Memo on which code?", allow_new=False)

    def write_memo(self: WorkbenchScreen, target_type: str, target_id: int, title: str) -> None:
        memo = self.store.memo(target_type, target_id)

        @reported
        def save(screen: WorkbenchScreen, text: str | None) -> None:
            if text is None or text == (memo.text if memo else ""):
                return
            screen.store.set_memo(target_type, target_id, text)
            screen.notify("Memo removed." if not text else "Memo saved.")

        self.app.push_screen(MemoDialog(title, memo.text if memo else ""), lambda text: save(self, text))

    # ---------------------------------------------------------------- undo and redo
    @reported
    def action_undo(self: WorkbenchScreen) -> None:
        description = self.store.undo()
        self.after_history(description, "Undid", "Nothing left to undo.")

    @reported
    def action_redo(self: WorkbenchScreen) -> None:
        description = self.store.redo()
        self.after_history(description, "Redid", "Nothing to redo.")

    def after_history(self: WorkbenchScreen, description: str | None, verb: str, nothing: str) -> None:
        if description is None:
            self.notify(nothing, severity="warning")
            return
        self.refresh_from_store()
        self.notify(f"{verb}: {description}", markup=False)

    def refresh_from_store(self: WorkbenchScreen) -> None:
        """Show what changed in the project by other means (undo, redo, code all results)."""
        self.reload_codes()
        if self.model is not None:
            rows = self.model.replace_codings(self.store.codings(document_id=self.model.document.id))
            self.transcript.redraw_rows(rows)
        self.refresh_document_statistics()
        self.update_status()
        self.load_statistics()

    # ---------------------------------------------------------------- drawing changes
    def show_changes(self: WorkbenchScreen, *, added: Sequence[Coding] = (), removed: Sequence[Coding] = ()) -> None:
        """Put committed changes on screen: the touched lines now, counts after the repaint."""
        model = self.model
        assert model is not None
        rows: set[int] = set()
        before = Counter(model.counts)  # the project counts follow what the view shows
        for coding in removed:
            rows |= model.remove_coding(coding.id)
        for coding in added:
            rows |= model.add_coding(coding)
        self.project_counts.update(model.counts)
        self.project_counts.subtract(before)
        self.transcript.redraw_rows(rows)
        self.call_after_refresh(self.refresh_document_statistics)
        self.call_after_refresh(self.update_status)
