"""Team coding in the workbench: whose codings are shown (all coders, one coder, the differences
between coders) and the disagreement review. New codings are always recorded as the session's
coder (`qualcode tui --coder NAME`), whatever the view; the status bar shows both."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from qualcode.coding.models import Coding
from qualcode.tui.coder_view import CoderView, views
from qualcode.tui.dialogs.choice import Choice, ChoiceDialog

if TYPE_CHECKING:
    from qualcode.tui.model import DocumentModel
    from qualcode.tui.screens.workbench import WorkbenchScreen


def plural(count: int) -> str:
    return f"{count} coding{'s' if count != 1 else ''}"


class TeamActions:
    """Mixed into WorkbenchScreen ahead of CodingActions (it wraps two of its methods)."""

    coder_view: CoderView = CoderView()

    # ---------------------------------------------------------------- the view
    def apply_coder_view(self: WorkbenchScreen, model: DocumentModel) -> set[int]:
        """Make the model show what the view selects; returns the rows to redraw."""
        return model.set_view(None if self.coder_view.shows_all else self.coder_view)

    def view_label(self: WorkbenchScreen) -> str:
        """The view for the status bar: empty when every coder's codings are shown."""
        return "" if self.coder_view.shows_all else self.coder_view.label

    def set_coder_view(self: WorkbenchScreen, view: CoderView) -> None:
        self.coder_view = view.with_resolutions(self.store)
        if self.model is not None:
            self.transcript.redraw_rows(self.apply_coder_view(self.model))
        self.refresh_document_statistics()
        self.update_status()
        self.load_statistics()
        self.notify(f"Showing {self.coder_view.label}.", markup=False)

    def action_choose_coder_view(self: WorkbenchScreen) -> None:
        coders = self.store.coders()
        counts = {c: 0 for c in coders}
        for coding in self.store.codings(coders=coders):
            counts[coding.coder] += 1
        choices = []
        for view in views(coders):
            label = Text(view.label)
            if view.coder is not None:
                label.append(f"  {plural(counts[view.coder])}", style="dim")
                if view.coder == self.store.user:
                    label.append("  (you)", style="dim")
            elif view.shows_all:
                label.append(f"  {plural(sum(counts.values()))}", style="dim")
            choices.append(Choice(view.key(), label, view.label))

        def chosen(key: tuple[str | None, tuple[str, ...]] | None) -> None:
            if key is not None:
                self.set_coder_view(CoderView(coder=key[0], coders=key[1]))

        self.app.push_screen(ChoiceDialog("Show the codings of…", choices, initial=self.coder_view.key(),
                                          searchable=len(choices) > 8), chosen)

    # ---------------------------------------------------------------- wrapping CodingActions
    def refresh_from_store(self: WorkbenchScreen) -> None:
        """After undo, redo or a decision elsewhere: the resolved units may have changed too."""
        self.coder_view = self.coder_view.with_resolutions(self.store)
        if self.model is not None:
            self.model.view = None if self.coder_view.shows_all else self.coder_view
        super().refresh_from_store()  # type: ignore[misc]

    def show_changes(self: WorkbenchScreen, *, added: Sequence[Coding] = (), removed: Sequence[Coding] = ()) -> None:
        super().show_changes(added=added, removed=removed)  # type: ignore[misc]
        model = self.model
        hidden = [c for c in added if model is not None and c.id in model.all_codings and c.id not in model.codings]
        if hidden:
            self.notify(f"Coded as {hidden[0].coder}; not shown while showing {self.coder_view.label} "
                        "(C changes the view).", severity="warning", markup=False)

    # ---------------------------------------------------------------- disagreement review
    def action_review_disagreements(self: WorkbenchScreen) -> None:
        from qualcode.tui.screens.disagreements import DisagreementScreen

        coders = self.store.coders()
        if len(coders) < 2:
            self.notify("Disagreements need codings by two coders; merge a colleague's copy with "
                        "`qualcode merge` first.", severity="warning", markup=False)
            return
        compared = list(self.coder_view.coders) if self.coder_view.differences else None

        def back(target: tuple[int, int, int] | None) -> None:
            self.refresh_from_store()  # decisions removed codings
            self.jump_to(target)

        self.app.push_screen(DisagreementScreen(self.store, self.codes, compared), back)
