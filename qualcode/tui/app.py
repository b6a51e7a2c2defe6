"""The qualcode terminal workbench. `make_app(store)` builds it for `qualcode tui` and the tests.

The App receives an open Store and never closes it (its opener does). Thread workers read
through `reader()`: a second, read-only connection to the same file, so a long count or
search never waits for, nor holds up, the coder's writes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from qualcode.errors import ProjectError, QualcodeError
from qualcode.store import Store
from qualcode.tui.screens.workbench import WorkbenchScreen


class QualcodeApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "qualcode"
    BINDINGS = [
        Binding("question_mark", "toggle_keys", "keys", key_display="?", id="app.keys",
                tooltip="help: show or hide all keys"),
        Binding("ctrl+q", "quit", "quit", show=False, priority=True, id="app.quit"),
    ]

    def __init__(self, store: Store, *, notice: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.notice = notice
        self._readers: dict[str, Store] = {}
        self._reader_lock = threading.Lock()
        self.worker_errors: list[BaseException] = []

    def on_mount(self) -> None:
        # Pushed rather than returned by get_default_screen(): only pushed screens load CSS_PATH.
        self.push_screen(WorkbenchScreen(self.store))
        self.title = f"qualcode · {self.store.path.name if self.store.path else 'in memory'}"
        if self.notice:
            self.notify(self.notice, severity="warning", timeout=10, markup=False)

    def on_unmount(self) -> None:
        for reader in self._readers.values():
            if reader is not self.store:
                reader.close()
        self._readers.clear()

    # ---------------------------------------------------------------- background reads
    def reader(self, purpose: str = "default") -> Store:
        """A read-only Store on the project file for worker threads, one per purpose, so a
        long count never delays loading a document (the main store when the project lives in
        memory or a second connection cannot be opened)."""
        with self._reader_lock:
            reader = self._readers.get(purpose)
            if reader is None:
                reader = self.store
                if self.store.path is not None:
                    try:
                        reader = Store.open(self.store.path, read_only=True, user=self.store.user)
                    except ProjectError:
                        pass
                self._readers[purpose] = reader
            return reader

    # ---------------------------------------------------------------- errors: one handler
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.report(event.worker.error)

    def report(self, error: BaseException) -> None:
        """Show an error as a notification; anything but a QualcodeError is also kept for tests."""
        if isinstance(error, QualcodeError):
            self.notify(str(error), severity="error", markup=False)
            return
        self.worker_errors.append(error)
        self.log.error(repr(error))
        self.notify(f"Something went wrong in the background ({type(error).__name__}: {error}). "
                    "Your codings are saved; please report this.", severity="error", markup=False)

    def on_search_screen_coded(self) -> None:
        """The search screen coded all its results: the workbench shows the new codings."""
        for screen in self.screen_stack:
            if isinstance(screen, WorkbenchScreen):
                screen.refresh_from_store()

    # ---------------------------------------------------------------- palette and keys
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            yield from commands()
        yield SystemCommand("help: keys", "Show or hide every key of this screen (?)", self.action_toggle_keys)
        yield from super().get_system_commands(screen)

    def action_toggle_keys(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()


def make_app(store: Store, *, notice: str | None = None) -> QualcodeApp:
    """The workbench over an open project; `notice` is shown once at start (e.g. read-only)."""
    return QualcodeApp(store, notice=notice)
