"""An OptionList whose enter key says what it does here: jump to the passage."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import OptionList


class PassageList(OptionList):
    BINDINGS = [Binding("enter", "select", "jump", id="passages.jump", tooltip="show it in the transcript")]
