"""Make a pseudonymised copy of the open project.

The researcher gives the names list (a CSV of `real,pseudonym` rows) and the new file; "check"
counts each listed name in the documents, "create copy" writes the copy in a thread worker
(the open project is read through its own connection and never changed). Dismisses with the
new file's path, or None when cancelled.

Self-contained (its styles are in DEFAULT_CSS) so it can be pushed from anywhere:
`app.push_screen(PseudonymiseDialog(store), callback)`.
"""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from qualcode.errors import QualcodeError
from qualcode.privacy.leaks import NAMES_SETTING, find_leaks, summary
from qualcode.privacy.names import read_names
from qualcode.privacy.pseudonymise import pseudonymise_project
from qualcode.store import Store


class PseudonymiseDialog(ModalScreen[Path | None]):
    DEFAULT_CSS = """
    PseudonymiseDialog {
        align: center middle;
        background: $background 60%;
    }
    PseudonymiseDialog #pseudonymise-box {
        width: 80%;
        max-width: 96;
        min-width: 40;
        height: auto;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    PseudonymiseDialog .pseudonymise-title {
        text-style: bold;
        margin-bottom: 1;
    }
    PseudonymiseDialog #pseudonymise-status {
        height: auto;
        margin: 1 0;
    }
    PseudonymiseDialog #pseudonymise-status.-error {
        color: $error;
    }
    PseudonymiseDialog #pseudonymise-buttons {
        height: auto;
    }
    PseudonymiseDialog #pseudonymise-buttons Button {
        margin-right: 1;
    }
    PseudonymiseDialog .pseudonymise-hint {
        color: $text-muted;
    }
    """
    BINDINGS = [
        Binding("ctrl+s", "create_copy", "create copy", id="pseudonymise.create", priority=True),
        Binding("ctrl+t", "check_names", "check names", id="pseudonymise.check", priority=True),
        Binding("escape", "cancel", "cancel", id="pseudonymise.cancel"),
    ]

    def __init__(self, store: Store, *, names_path: str | Path | None = None, output: str | Path | None = None) -> None:
        super().__init__()
        self.store = store
        self.names_default = str(names_path or store.get_setting(NAMES_SETTING) or "")
        project = store.path or Path("project.qualcode")
        self.output_default = str(output or project.with_name(f"{project.stem}-pseudo{project.suffix or '.qualcode'}"))
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="pseudonymise-box"):
            yield Label("Pseudonymised copy of the project", classes="pseudonymise-title")
            yield Label("Names list (CSV with the columns real,pseudonym)")
            yield Input(self.names_default, placeholder="names.csv", id="names-path")
            yield Label("New project file")
            yield Input(self.output_default, id="output-path")
            yield Static("Names are replaced in every inflected form (Porkalle → Myyjä A:lle); codings keep "
                         "their passages. The open project is not changed.", id="pseudonymise-status")
            with Horizontal(id="pseudonymise-buttons"):
                yield Button("Check names", id="check-names")
                yield Button("Create copy", id="create-copy", variant="primary")
                yield Button("Cancel", id="cancel")
            yield Label("ctrl+t: check · ctrl+s: create copy · esc: cancel", classes="pseudonymise-hint")

    def on_mount(self) -> None:
        self.query_one("#names-path" if not self.names_default else "#output-path", Input).focus()

    # ---------------------------------------------------------------- actions
    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {"check-names": self.action_check_names, "create-copy": self.action_create_copy,
                   "cancel": self.action_cancel}
        action = actions.get(event.button.id or "")
        if action is not None:
            event.stop()
            action()

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)

    def action_check_names(self) -> None:
        names = self._names_path()
        if names is not None:
            self._status("Counting the listed names in the documents…")
            self.check_names(names)

    def action_create_copy(self) -> None:
        if self.busy:
            return
        names = self._names_path()
        output = self.query_one("#output-path", Input).value.strip()
        if names is None:
            return
        if not output:
            self._status("Give the new project file.", error=True)
            return
        if self.store.path is None:
            self._status("This project is not saved in a file; save it first.", error=True)
            return
        self.busy = True
        self._status("Creating the pseudonymised copy…")
        self.create_copy(names, Path(output).expanduser())

    # ---------------------------------------------------------------- workers
    @work(thread=True, exclusive=True, group="pseudonymise")
    def check_names(self, names_path: Path) -> None:
        try:
            names = read_names(names_path)
            if self.store.path is not None:
                with Store.open(self.store.path, read_only=True) as reader:
                    leaks = find_leaks(reader, names, history=False, originals=False)
            else:
                leaks = find_leaks(self.store, names, history=False, originals=False)
        except QualcodeError as error:
            self.app.call_from_thread(self._status, str(error), error=True)
            return
        counts = summary(leaks)
        documents = len({leak.document for leak in leaks if leak.where == "document text"})
        if not counts:
            message = f"None of the {len(names)} listed names occurs in the project."
        else:
            found = ", ".join(f"{name} {count}" for name, count in counts.items())
            message = f"Found in {documents} documents and other texts: {found}."
        self.app.call_from_thread(self._status, message)

    @work(thread=True, exclusive=True, group="pseudonymise")
    def create_copy(self, names_path: Path, output: Path) -> None:
        def progress(message: str) -> None:
            self.app.call_from_thread(self._status, f"{message[:1].upper()}{message[1:]}…")

        try:
            report = pseudonymise_project(self.store, output, names_path, progress=progress)
        except QualcodeError as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        self.app.call_from_thread(self._done, report.target, sum(report.replacements.values()))

    # ---------------------------------------------------------------- results
    def _names_path(self) -> Path | None:
        value = self.query_one("#names-path", Input).value.strip()
        if not value:
            self._status("Give the names list: a CSV with the columns real,pseudonym.", error=True)
            self.query_one("#names-path", Input).focus()
            return None
        return Path(value).expanduser()

    def _status(self, message: str, *, error: bool = False) -> None:
        status = self.query_one("#pseudonymise-status", Static)
        status.update(message)
        status.set_class(error, "-error")

    def _failed(self, message: str) -> None:
        self.busy = False
        self._status(message, error=True)
        self.notify(message, title="Pseudonymisation failed", severity="error")

    def _done(self, target: Path, replaced: int) -> None:
        self.busy = False
        self.notify(f"Wrote {target} ({replaced} names replaced).", title="Pseudonymised copy")
        self.dismiss(target)
