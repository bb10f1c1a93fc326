"""Display helpers for the chapters: styled tables with per-column number formats, the claims
table with coloured verdicts, figures saved as files and shown by reference, plain notes.

Everything here depends only on its input, so re-executing a notebook gives identical outputs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from IPython.display import Markdown

from .. import paths
from ..display import Table, table
from .claims import CONFIRMED, NOT_CONFIRMED, NOT_TESTABLE

__all__ = ["styled", "claims_table", "figure", "note", "notes", "COUNT", "PERCENT", "SCORE"]

COUNT = "{:.0f}"
PERCENT = "{:.1f}"
SCORE = "{:.4f}"
VERDICT_COLORS = {CONFIRMED: "#d8f0d2", NOT_CONFIRMED: "#f8d4d0", NOT_TESTABLE: "#ececec"}


def _matches(column, key) -> bool:
    labels = column if isinstance(column, tuple) else (column,)
    return key in labels


def styled(frame: pd.DataFrame, name: str, caption: str | None = None, *, precision: int = 4,
           formats: Mapping[str, str] | None = None) -> Table:
    """:func:`lsh.display.table` with formats per column label (any level of a MultiIndex):
    e.g. ``{"W": COUNT, "BST win %": PERCENT}``. Missing cells show as "—"."""
    result = table(frame, name, caption, precision)
    for key, fmt in (formats or {}).items():
        subset = [c for c in frame.columns if _matches(c, key)]
        if subset:
            result.styler = result.styler.format(fmt, subset=subset, na_rep="—")
    return result


def claims_table(frame: pd.DataFrame, name: str, caption: str | None = None) -> Table:
    """The claims table with the verdict cell coloured by verdict."""
    result = table(frame, name, caption)
    result.styler = result.styler.map(
        lambda v: f"background-color: {VERDICT_COLORS[v]}; font-weight: bold;" if v in VERDICT_COLORS else "",
        subset=["verdict"]).set_properties(subset=["claim"], **{"font-weight": "bold"})
    return result


def figure(fig, filename: str, caption: str, alt: str, *, figures_dir: str | Path = "book/figures",
           page_dir: str | Path | None = None) -> Markdown:
    """Save ``fig`` as ``figures_dir/filename`` (PNG) and return the Markdown that shows it.

    The image is referenced relative to the page (``page_dir``, default ``book/``), so the book
    renders the saved file itself.
    """
    from .figures import save

    root = paths.ROOT
    target = Path(figures_dir)
    target = target if target.is_absolute() else root / target
    path = save(fig, target / filename)
    page = Path(page_dir) if page_dir is not None else paths.book_dir()
    relative = Path(os.path.relpath(path, page)).as_posix()
    return Markdown(f"![{alt}]({relative})\n\n*{caption}*")


def note(text: str) -> Markdown:
    """A plain paragraph (e.g. what is missing and why)."""
    return Markdown(text)


def notes(column: pd.Series) -> Markdown:
    """The non-empty notes of a table's rows as a list under it ("row: note"), or nothing."""
    grouped: dict[str, list[str]] = {}
    for label, text in column.items():
        if isinstance(text, str) and text:
            name = label if not isinstance(label, tuple) else " ".join(map(str, label))
            grouped.setdefault(text, []).append(str(name))
    items = [f"- *{', '.join(labels)}*: {text}" for text, labels in grouped.items()]
    return Markdown("Why cells are empty:\n\n" + "\n".join(items)) if items else Markdown("")
