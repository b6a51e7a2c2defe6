"""Cursor, selection and navigation actions of the workbench: by sentence, word and turn;
growing the selection either way; next uncoded answer; next coding of a code; next turn of a
guide question (across documents, in a thread); going to a respondent or document."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.worker import get_current_worker

from qualcode.errors import QualcodeError
from qualcode.tui.dialogs.choice import Choice, ChoiceDialog
from qualcode.tui.guide import GuideQuestion, asks, find_guide, load_guide

if TYPE_CHECKING:
    from qualcode.tui.screens.workbench import WorkbenchScreen


class NavigationActions:
    """Mixed into WorkbenchScreen."""

    _guide: list[GuideQuestion] | None = None

    # ---------------------------------------------------------------- moving the cursor
    def move_cursor_to(self: WorkbenchScreen, offset: int | None, *, center: bool = False) -> None:
        if offset is None:
            self.app.bell()
            return
        self.transcript.move_to(offset, center=center)

    def action_next_sentence(self: WorkbenchScreen) -> None:
        assert self.model is not None
        self.move_cursor_to(self.model.next_sentence(self.transcript.cursor_offset))

    def action_previous_sentence(self: WorkbenchScreen) -> None:
        assert self.model is not None
        self.move_cursor_to(self.model.previous_sentence(self.transcript.cursor_offset))

    def action_next_word(self: WorkbenchScreen) -> None:
        assert self.model is not None
        self.move_cursor_to(self.model.next_word(self.transcript.cursor_offset))

    def action_previous_word(self: WorkbenchScreen) -> None:
        assert self.model is not None
        self.move_cursor_to(self.model.previous_word(self.transcript.cursor_offset))

    def action_next_turn(self: WorkbenchScreen) -> None:
        assert self.model is not None
        self.move_cursor_to(self.model.next_turn(self.transcript.cursor_offset))

    def action_previous_turn(self: WorkbenchScreen) -> None:
        assert self.model is not None
        self.move_cursor_to(self.model.previous_turn(self.transcript.cursor_offset))

    # ---------------------------------------------------------------- selecting
    def action_extend_sentence_forward(self: WorkbenchScreen) -> None:
        assert self.model is not None
        start, end = self.model.extend_sentence_forward(*self.transcript.selection_offsets)
        self.transcript.select_span(start, end)

    def action_extend_sentence_backward(self: WorkbenchScreen) -> None:
        assert self.model is not None
        start, end = self.model.extend_sentence_backward(*self.transcript.selection_offsets)
        self.transcript.select_span(end, start)

    def action_extend_word_forward(self: WorkbenchScreen) -> None:
        assert self.model is not None
        start, end = self.model.extend_word_forward(*self.transcript.selection_offsets)
        self.transcript.select_span(start, end)

    def action_extend_word_backward(self: WorkbenchScreen) -> None:
        assert self.model is not None
        start, end = self.model.extend_word_backward(*self.transcript.selection_offsets)
        self.transcript.select_span(end, start)

    def action_select_sentence(self: WorkbenchScreen) -> None:
        assert self.model is not None
        segment = self.model.segment_at(self.transcript.cursor_offset)
        if segment is None:
            self.app.bell()
            return
        self.transcript.select_span(segment.start, segment.end)

    def action_select_turn(self: WorkbenchScreen) -> None:
        assert self.model is not None
        turn = self.model.turn_at(self.transcript.cursor_offset)
        if turn is None or turn.start == turn.end:
            self.app.bell()
            return
        self.transcript.select_span(turn.start, turn.end)

    def action_clear_selection(self: WorkbenchScreen) -> None:
        self.transcript.move_to(self.transcript.cursor_offset)

    # ---------------------------------------------------------------- uncoded answers
    def action_next_uncoded(self: WorkbenchScreen) -> None:
        assert self.model is not None
        turn = self.model.next_uncoded_answer(self.transcript.cursor_offset)
        if turn is not None:
            self.transcript.move_to(turn.start, center=True)
        elif self.coder_view.differences:
            self.notify("No uncoded answer after the cursor in this document (> opens the next one).")
        else:
            ids = [d.id for d in self.documents]
            later = ids[ids.index(self.model.document.id) + 1:] if self.model.document.id in ids else []
            self._next_uncoded_in(later, None if self.coder_view.shows_all else [self.coder_view.coder])

    @work(thread=True, exclusive=True, group="uncoded", exit_on_error=False)
    def _next_uncoded_in(self: WorkbenchScreen, document_ids: list[int], coders: list[str] | None) -> None:
        """The first uncoded answer in the documents after this one (a query per document, off
        the screen's thread), then open it there."""
        found = self.app.reader("uncoded").first_uncoded_answer(document_ids, coders=coders)
        self.app.call_from_thread(self._show_next_uncoded, found)

    def _show_next_uncoded(self: WorkbenchScreen, found: tuple[int, int] | None) -> None:
        if found is None:
            self.notify("No uncoded answer after the cursor, in this document or the ones after it.")
            return
        document_id, start = found
        self.open_document(document_id, lambda: self.transcript.move_to(start, center=True))

    def action_previous_uncoded(self: WorkbenchScreen) -> None:
        assert self.model is not None
        turn = self.model.previous_uncoded_answer(self.transcript.cursor_offset)
        if turn is None:
            self.notify("No uncoded answer before the cursor in this document.")
            return
        self.transcript.move_to(turn.start, center=True)

    # ---------------------------------------------------------------- codings of one code
    def _code_to_follow(self: WorkbenchScreen) -> int | None:
        code_id = self.code_tree.highlighted_code or self.last_code
        if code_id is None:
            self.notify("Highlight a code in the codes pane first (tab to it).", severity="warning")
        return code_id

    def action_next_code_coding(self: WorkbenchScreen) -> None:
        self._follow_code(forward=True)

    def action_previous_code_coding(self: WorkbenchScreen) -> None:
        self._follow_code(forward=False)

    def _follow_code(self: WorkbenchScreen, *, forward: bool) -> None:
        code_id = self._code_to_follow()
        if code_id is None:
            return
        order = {d.id: i for i, d in enumerate(self.documents)}
        here = order.get(self.model.document.id, -1) if self.model else -1
        cursor = self.transcript.cursor_offset if self.model else -1
        shown = self.coder_view.project_ids(self.store, [code_id])  # only the codings the view shows
        codings = sorted((c for c in self.store.codings(code_ids=[code_id]) if shown is None or c.id in shown),
                         key=lambda c: (order.get(c.document_id, len(order)), c.start, c.end))
        place = (lambda c: (order.get(c.document_id, len(order)), c.start))
        if forward:
            target = next((c for c in codings if place(c) > (here, cursor)), None)
        else:
            target = next((c for c in reversed(codings) if place(c) < (here, cursor)), None)
        name = self.paths.get(code_id, "this code")
        if target is None:
            self.notify(f"No {'later' if forward else 'earlier'} coding of {name}.", markup=False)
            return
        self.jump_to((target.document_id, target.start, target.end))

    # ---------------------------------------------------------------- the interview guide
    def guide(self: WorkbenchScreen) -> list[GuideQuestion] | None:
        if self._guide is None:
            path = find_guide(self.store.path, self.store.get_setting("guide"))
            if path is None:
                self.notify("No interview guide: put guide.yaml beside the project.", severity="warning")
                return None
            try:
                self._guide = load_guide(path)
            except QualcodeError as error:
                self.notify(str(error), severity="error", markup=False)
                return None
        return self._guide

    def action_guide_question(self: WorkbenchScreen) -> None:
        questions = self.guide()
        if not questions:
            return
        language = self.model.document.language if self.model else "fi"
        choices = [Choice(q.id, Text.assemble((f"{q.theme}: ", "dim"), q.label(language)),
                          f"{q.theme} {q.label(language)}") for q in questions]

        def chosen(question_id: str | None) -> None:
            if question_id is not None:
                self.last_question = question_id
                self.find_question(question_id)

        self.app.push_screen(ChoiceDialog("Next turn asking…", choices, initial=self.last_question,
                                          placeholder="type to filter questions"), chosen)

    def find_question(self: WorkbenchScreen, question_id: str) -> None:
        questions = self._guide or []
        question = next(q for q in questions if q.id == question_id)
        model = self.model
        if model is not None:
            cursor = self.transcript.cursor_offset
            for turn in model.turns:
                if turn.role == "interviewer" and turn.label_start > cursor and \
                        asks(question, questions, model.text[turn.start:turn.end], model.document.language):
                    self.transcript.move_to(turn.start, center=True)
                    return
        self._find_question_later(question, questions)

    @work(thread=True, exclusive=True, group="guide", exit_on_error=False)
    def _find_question_later(self: WorkbenchScreen, question: GuideQuestion, questions: list[GuideQuestion]) -> None:
        """Look through the following documents, in order, for a turn asking the question."""
        reader = self.app.reader()
        ids = [d.id for d in self.documents]
        here = ids.index(self.model.document.id) if self.model and self.model.document.id in ids else -1
        worker = get_current_worker()
        for doc in self.documents[here + 1:]:
            if worker.is_cancelled:
                return
            text = reader.document_text(doc.id)
            for turn in reader.turns(doc.id):
                if turn.role == "interviewer" and asks(question, questions, text[turn.start:turn.end], doc.language):
                    self.app.call_from_thread(self.jump_to, (doc.id, turn.start, turn.start))
                    return
        self.app.call_from_thread(self.notify, "No later turn asks that question.")

    # ---------------------------------------------------------------- respondents and documents
    def action_goto_respondent(self: WorkbenchScreen) -> None:
        respondents = self.store.respondents()
        if not respondents:
            self.notify("The project has no respondents yet.", severity="warning")
            return
        choices = []
        for respondent in respondents:
            details = ", ".join(str(v) for k, v in respondent.attributes.items() if k in ("role", "organisation_type"))
            label = Text.assemble((respondent.label, "bold"), (f"  {details}" if details else "", "dim"))
            choices.append(Choice(respondent.label, label, respondent.label))
        current = self.model.document.respondent if self.model else None

        def chosen(label: str | None) -> None:
            if label is None:
                return
            doc = next((d for d in self.documents if d.respondent == label), None)
            if doc is None:
                self.notify(f"{label} has no documents.", severity="warning", markup=False)
            else:
                self.open_document(doc.id)

        self.app.push_screen(ChoiceDialog("Go to respondent", choices, initial=current,
                                          placeholder="type a label, e.g. H3"), chosen)

    def _step_document(self: WorkbenchScreen, step: int) -> None:
        ids = [d.id for d in self.documents]
        if not ids:
            return
        here = ids.index(self.model.document.id) if self.model and self.model.document.id in ids else -1
        index = here + step
        if 0 <= index < len(ids):
            self.open_document(ids[index])
        else:
            self.notify("That was the last document." if step > 0 else "This is the first document.")

    def action_next_document(self: WorkbenchScreen) -> None:
        self._step_document(1)

    def action_previous_document(self: WorkbenchScreen) -> None:
        self._step_document(-1)
