"""A Footer that rebuilds itself only when the keys it shows change.

Textual's Footer recomposes (about thirty widgets) on every `refresh_bindings()`, which focus
changes, cursor moves between panes and our own actions all call: a burst of them at start-up
cost a third of a second. This one coalesces a burst into one rebuild, and skips it entirely
when the visible keys, their descriptions and their enabled state are unchanged.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    DEFAULT_CSS = """
    KeyFooter.-compact FooterLabel {
        margin: 0 1 0 0;
    }
    """

    _pending = False
    _shown: tuple | None = None

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen or self._pending:
            return
        self._pending = True
        self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        shown = tuple((key, b.action, b.description, b.key_display, enabled)
                      for key, (_, b, enabled, _) in self.screen.active_bindings.items() if b.show)
        if shown != self._shown:
            self._shown = shown
            await self.recompose()
