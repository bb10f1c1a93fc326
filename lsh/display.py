"""Tables for the book: styled HTML with stable ids, so that rebuilding gives identical bytes."""

from __future__ import annotations

import pandas as pd

__all__ = ["Table", "table"]


class Table:
    """A styled table whose HTML and text representations depend only on its content."""

    def __init__(self, frame: pd.DataFrame, name: str, caption: str | None, precision: int):
        self.frame = frame
        self.name = name
        styler = frame.style.set_uuid(name).format(precision=precision, na_rep="—")
        if caption:
            styler = styler.set_caption(caption)
        self.styler = styler.set_table_styles(
            [
                {"selector": "", "props": "font-size: 0.85em;"},
                {"selector": "th", "props": "text-align: left; padding: 2px 8px;"},
                {"selector": "td", "props": "padding: 2px 8px;"},
                {"selector": "caption", "props": "caption-side: top; font-weight: bold;"},
            ]
        )

    def _repr_html_(self) -> str:
        return self.styler.to_html()

    def __repr__(self) -> str:
        return f"<table {self.name!r}: {len(self.frame)} rows x {self.frame.shape[1]} columns>"


def table(frame: pd.DataFrame, name: str, caption: str | None = None, precision: int = 4) -> Table:
    """Style ``frame`` for the book; ``name`` becomes the table's HTML id (must be unique)."""
    return Table(frame, name, caption, precision)
