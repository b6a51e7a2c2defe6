"""One line above the footer: coder, view (whose codings are shown, when not everyone's),
document, cursor and selection, codes under the cursor."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import Static


class StatusBar(Static):
    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        background: $panel;
        color: $foreground;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def show(self, *, coder: str, read_only: bool, position: str, selection: str,
             at_cursor: list[tuple[str, str]], last_code: str | None, view: str = "") -> None:
        text = Text()
        text.append(coder, style="bold")
        if read_only:
            text.append(" read-only", style="bold red")
        if view:
            text.append(" │ ", style="dim")
            text.append(f"view: {view}", style="bold italic")
        text.append(" │ ", style="dim")
        text.append(position)
        if selection:
            text.append(" │ ", style="dim")
            text.append(selection, style="bold")
        if at_cursor:
            text.append(" │ ", style="dim")
            for i, (name, colour) in enumerate(at_cursor):
                if i:
                    text.append(" ")
                text.append("▌", style=Style(color=colour))
                text.append(name)
        if last_code:
            text.append(" │ last: ", style="dim")
            text.append(last_code)
        self.update(text, layout=False)  # one line, always: no layout pass per keystroke
