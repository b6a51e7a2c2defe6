"""Helpers for driving the workbench in tests."""

from __future__ import annotations

from textual.pilot import Pilot

from qualcode.store import Store
from qualcode.tui.screens.workbench import WorkbenchScreen


async def settle(pilot: Pilot) -> None:
    """Wait until every worker has finished and the screen has caught up."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def workbench(pilot: Pilot) -> WorkbenchScreen:
    screen = next(s for s in pilot.app.screen_stack if isinstance(s, WorkbenchScreen))
    return screen


def segments_of(store: Store, doc_id: int) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in store.segments(doc_id)]


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*["space" if ch == " " else ch for ch in text])
