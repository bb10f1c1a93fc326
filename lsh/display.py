"""Tables for the book: styled HTML with stable ids, so that rebuilding gives identical bytes."""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

__all__ = ["table"]


def table(frame: pd.DataFrame, name: str, caption: str | None = None, precision: int = 4) -> Styler:
    """Style ``frame`` for the book; ``name`` becomes the table's HTML id (must be unique)."""
    styler = frame.style.set_uuid(name).format(precision=precision, na_rep="—")
    if caption:
        styler = styler.set_caption(caption)
    return styler.set_table_styles(
        [
            {"selector": "th", "props": "text-align: left; padding: 2px 8px;"},
            {"selector": "td", "props": "padding: 2px 8px;"},
            {"selector": "caption", "props": "caption-side: top; font-weight: bold;"},
        ]
    )
