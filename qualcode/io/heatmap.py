"""A heatmap picture of a matrix (PNG or SVG) with matplotlib's Agg renderer.

Figures are made with `matplotlib.figure.Figure` directly, never through pyplot, so no GUI
backend is touched and nothing global changes (the TUI may run in the same process).
"""

from __future__ import annotations

from typing import IO

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from qualcode.coding.table import Table
from qualcode.errors import ConflictError

HEATMAP_FORMATS = ("png", "svg")  # the same as qualcode.io.tables.HEATMAP_FORMATS
ANNOTATE_UP_TO = 900  # cells; beyond that the numbers would not be legible
MAX_TICKS = 120


def heatmap_figure(values: pd.DataFrame, *, title: str | None = None, levels: list[int] | None = None,
                   cmap: str = "Blues") -> Figure:
    rows, columns = values.shape
    width = min(40.0, 3.0 + 0.45 * columns + 0.09 * max((len(str(i)) for i in values.index), default=0))
    height = min(60.0, 1.8 + 0.32 * rows)
    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    data = values.to_numpy(dtype=float)
    image = axes.imshow(data, aspect="auto", cmap=cmap, interpolation="nearest",
                        vmin=0, vmax=max(1.0, float(np.nanmax(data)) if data.size else 1.0))
    row_labels = [str(label) for label in values.index]
    step_rows = max(1, rows // MAX_TICKS + (rows % MAX_TICKS > 0))
    step_columns = max(1, columns // MAX_TICKS + (columns % MAX_TICKS > 0))
    axes.set_yticks(range(0, rows, step_rows), row_labels[::step_rows], fontsize=8)
    axes.set_xticks(range(0, columns, step_columns), [str(c) for c in values.columns][::step_columns],
                    fontsize=8, rotation=45, ha="left", rotation_mode="anchor")
    axes.xaxis.tick_top()
    axes.tick_params(axis="x", labelbottom=False, labeltop=True)
    if levels:
        # The code tree's top rows in bold: right-aligned labels cannot show indentation.
        for tick, index in zip(axes.get_yticklabels(), range(0, rows, step_rows)):
            if index < len(levels) and levels[index] == 0:
                tick.set_fontweight("bold")
    if rows * columns <= ANNOTATE_UP_TO and data.size:
        threshold = np.nanmax(data) / 2 if np.nanmax(data) > 0 else 1
        for (r, c), value in np.ndenumerate(data):
            if value:
                axes.text(c, r, f"{value:g}", ha="center", va="center", fontsize=7,
                          color="white" if value > threshold else "black")
    figure.colorbar(image, ax=axes, shrink=0.6)
    if title:
        figure.suptitle(title, fontsize=10)
    return figure


def write_heatmap(table: Table | pd.DataFrame, stream: IO[bytes], fmt: str = "png", *,
                  title: str | None = None) -> None:
    """Draw a matrix table's numbers (`table.heat`) or a numeric DataFrame as a heatmap."""
    if fmt not in HEATMAP_FORMATS:
        raise ConflictError(f"A heatmap is written as png or svg, not {fmt}.")
    levels = None
    if isinstance(table, Table):
        if table.heat is None:
            raise ConflictError(f"The {table.name} table has no numbers to draw; a heatmap needs a matrix "
                                "with --cells count, presence, words or respondents.")
        values, levels, title = table.heat, table.row_levels, title or table.caption
    else:
        values = table
    if values.shape[0] == 0 or values.shape[1] == 0:
        raise ConflictError("The matrix is empty (no codes or no respondents in it): there is nothing to draw.")
    figure = heatmap_figure(values, title=title, levels=levels)
    # A fixed hash salt and no date keep SVG output identical from run to run.
    with matplotlib.rc_context({"svg.hashsalt": "qualcode", "svg.fonttype": "path"}):
        metadata = {"Date": None} if fmt == "svg" else {"Software": "qualcode"}
        figure.savefig(stream, format=fmt, metadata=metadata)
