"""Build the demo project from `corpora/`: transcripts, attributes, frameworks, the reference coding,
and the researcher's inductive themes (codebook, links to the Five Es, theme codings)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from qualcode.errors import ProjectError
from qualcode.frameworks.project import use_framework
from qualcode.io.attributes import import_attributes
from qualcode.io.reference import import_reference_codings
from qualcode.io.themes import import_theme_codebook
from qualcode.store import Store

CORPORA = Path(__file__).resolve().parents[1] / "corpora"
DEMO_FRAMEWORKS = ("five-es", "operating-process", "emotional-bond")
THEMES = "themes.yaml"
"""The inductive codebook (in corpora/); its codings are in corpora/themes/."""
STEPS = 6


def find_corpora() -> Path:
    if not (CORPORA / "transcripts").is_dir():
        raise ProjectError(f"The demo study is not at {CORPORA}; run this from a clone of the qualcode repository.")
    return CORPORA


def build_demo(path: Path, *, corpora: Path | None = None, force: bool = False,
               progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Build the demo project at `path` and return its counts.

    The project is built in a temporary file beside `path` and renamed at the end, so an
    interrupted build never leaves a half-made project behind.
    """
    from qualcode.io.importer import import_paths  # the NLP stack loads only when needed

    corpora = corpora or find_corpora()
    path = Path(path)
    if path.exists() and not force:
        raise ProjectError(f"{path} already exists; remove it or give --force to rebuild it.")
    partial = path.with_name(path.name + ".building")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    step = progress or (lambda message: None)
    with Store.open(partial, create=True, user="demo") as store:
        step("importing transcripts")
        transcripts = sorted((corpora / "transcripts").iterdir())
        import_paths(store, transcripts)
        step("importing respondent attributes")
        import_attributes(store, corpora / "respondents.csv")
        step("adding frameworks")
        for name in DEMO_FRAMEWORKS:
            use_framework(store, name, language="fi")
        step("loading the reference coding")
        import_reference_codings(store, sorted((corpora / "reference").glob("*.yaml")))
        step("loading the themes")
        import_theme_codebook(store, corpora / THEMES)
        import_reference_codings(store, sorted((corpora / "themes").glob("*.yaml")))
        step("done")
        counts = store.counts()
        store.set_setting("coder", os.environ.get("QUALCODE_CODER") or "tutkija")
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(partial, path)
    return counts
