"""The paper's own tables, loaded from ``data/paper/`` for side-by-side comparisons.

The CSVs were copied from the paper's text (see ``data/paper/CHECK.md``). Garbled cells are
empty (NaN) in the strict version of Table 6 and are never filled in here: the loaders only
read, they do not guess. :func:`garbled_cells` lists what is empty and why.

Table 6 comes in three versions:

``"strict"``
    ``table6_scores.csv``: every cell that fails the arithmetic check
    ``X_a = X_t / X_v`` or could not be de-merged is empty. Four cells that the paper does not
    print are derived by that arithmetic (row 21 ``SM_v`` and ``LM_a``, row 43 ``SM_a``,
    row 44 ``SM_v``); the row notes say how.
``"as_printed"``
    ``table6_as_printed.csv``: the de-merged numbers exactly as printed, wrong ones included
    (rows 22 and 23, row 25 and 46 ``SM_a``, row 3 and 47 ``LM_v``/``LM_a`` ...). The cells the
    paper does not print are empty.
``"printed_and_derived"``
    the printed numbers, with the four unprinted cells taken from the strict version's
    arithmetic. This is the reading under which ``CHECK.md`` reproduces the text's LLM
    achievement-rate mean and sd (0.9406 / 0.1739, n = 60).
"""

from __future__ import annotations

import re
from typing import NamedTuple

import pandas as pd

from . import paths
from .datasets.registry import registry

__all__ = [
    "METHODS",
    "SCORE_COLUMNS",
    "TABLE6_VERSIONS",
    "paper_table1",
    "paper_table2",
    "paper_table5",
    "paper_table6",
    "paper_table3",
    "paper_text_numbers",
    "TextNumber",
    "text_number",
    "garbled_cells",
]

METHODS = ("SM", "LM", "LS")
"""The three oversamplers of Table 6: SMOTE, LLM only, LSH."""

SCORE_COLUMNS = ("SM_v", "SM_t", "LM_v", "LM_t", "LS_v", "LS_t", "SM_a", "LM_a", "LS_a")
"""Table 6's columns in printed order: validation F1 (``_v``), test F1 (``_t``) and
achievement rate (``_a`` = test / validation)."""

TABLE6_VERSIONS = ("strict", "as_printed", "printed_and_derived")

_TABLE6_FILES = {"strict": "table6_scores.csv", "as_printed": "table6_as_printed.csv"}


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(paths.paper_dir() / name)


def paper_table1() -> pd.DataFrame:
    """Table 1 (RQ1): W/D/L counts, mean margin and BST probabilities over all 60 datasets.

    Returns
    -------
    pandas.DataFrame
        One row per comparison (``"LM vs SM"``, ``"LS vs LM"``, ``"LS vs SM"``), columns
        ``wins, draws, losses, avg_margin, bst_win, bst_draw, bst_lose, note``. BST
        probabilities are in percent, as printed.
    """
    return _read("table1_rq1.csv").set_index("comparison")


def paper_table2() -> pd.DataFrame:
    """Table 2 (RQ2): mean margin and BST probabilities per imbalance group.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``(comparison, group)``, columns ``avg_margin, bst_win, bst_draw, bst_lose,
        note``; BST probabilities in percent, as printed.
    """
    return _read("table2_rq2.csv").set_index(["comparison", "group"])


def paper_table5() -> pd.DataFrame:
    """Table 5: the 60 datasets' size, features, IR (2 dp, as printed) and group, by row."""
    return _read("table5_datasets.csv").set_index("row")


def paper_table6(version: str = "strict") -> pd.DataFrame:
    """Table 6: validation F1, test F1 and achievement rate of SM, LM and LS on 60 datasets.

    Parameters
    ----------
    version : {"strict", "as_printed", "printed_and_derived"}
        Which reading of the garbled extraction (see the module docstring).

    Returns
    -------
    pandas.DataFrame
        Indexed by Table 5 row (1-60). Columns: ``dataset`` and ``group`` (from the
        registry), ``ir`` (imbalance ratio at full precision from the authors' class counts,
        :attr:`lsh.datasets.DatasetInfo.ir`), the nine :data:`SCORE_COLUMNS` as floats (NaN
        where empty), and ``note`` (strict) or ``check`` (as printed).

    Raises
    ------
    ValueError
        For an unknown ``version``.
    """
    if version not in TABLE6_VERSIONS:
        raise ValueError(
            f"unknown Table 6 version {version!r}; expected one of {', '.join(TABLE6_VERSIONS)}"
        )
    if version == "printed_and_derived":
        printed = paper_table6("as_printed")
        strict = paper_table6("strict")
        cols = list(SCORE_COLUMNS)
        printed[cols] = printed[cols].combine_first(strict[cols])
        return printed
    raw = _read(_TABLE6_FILES[version]).set_index("row")
    scores = raw[list(SCORE_COLUMNS)].astype(float)
    info = {entry.row: entry for entry in registry()}
    meta = pd.DataFrame(
        {
            "dataset": [info[row].name for row in raw.index],
            "group": [info[row].group for row in raw.index],
            "ir": [info[row].ir for row in raw.index],
        },
        index=raw.index,
    )
    text = raw.drop(columns=list(SCORE_COLUMNS)).fillna("")
    return pd.concat([meta, scores, text], axis=1)


def garbled_cells(version: str = "strict") -> pd.DataFrame:
    """The empty cells of one version of Table 6, with what the paper printed there.

    Parameters
    ----------
    version : {"strict", "as_printed", "printed_and_derived"}
        Which version's empty cells to list.

    Returns
    -------
    pandas.DataFrame
        One row per empty cell: ``row``, ``column``, ``printed`` (the value as printed, NaN
        if the paper prints nothing there) and ``note`` (the strict version's note on the row).
    """
    table = paper_table6(version)
    printed = paper_table6("as_printed")
    notes = paper_table6("strict")["note"]
    records = [
        {
            "row": row,
            "column": column,
            "printed": printed.at[row, column],
            "note": notes.at[row],
        }
        for row in table.index
        for column in SCORE_COLUMNS
        if pd.isna(table.at[row, column])
    ]
    return pd.DataFrame.from_records(records, columns=["row", "column", "printed", "note"])


def paper_table3() -> pd.DataFrame:
    """Table 3 (RQ3): test F1 of ORG, SM, LM and LS on the four unnamed datasets A-D.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``(scenario, dataset)`` with scenario ``"few-shot"`` or ``"zero-shot"``;
        columns ``ORG, SM, LM, LS`` (NaN where the paper prints N/A) and ``note``.
    """
    raw = _read("table3_rq3.csv")
    raw["scenario"] = raw["scenario"].str.split(" ").str[0]
    return raw.set_index(["scenario", "dataset"])


def paper_text_numbers() -> pd.DataFrame:
    """The numbers the paper's text states (``text_numbers.csv``), as printed.

    Returns
    -------
    pandas.DataFrame
        Columns ``section, quantity, value, context``; ``value`` is the printed text
        (``"30.4%"``, ``"< 0.05"``, ``"~65 s"`` ...). :func:`text_number` parses one.
    """
    return _read("text_numbers.csv").astype({"value": str})


class TextNumber(NamedTuple):
    """One number of the paper's text, parsed.

    ``value`` is the number (percent signs and units dropped; a percentage stays in percent),
    ``None`` when the text gives no value (e.g. "not significant (no value given)");
    ``relation`` is ``"="`` (stated), ``"~"`` (approximate), ``"<"`` (an upper bound, as in
    p-values "< 0.05") or ``"n.s."`` (stated as not significant); ``unit`` is ``"%"``, ``"s"`` or
    ``""``; ``text`` is the printed value.
    """

    value: float | None
    relation: str
    unit: str
    text: str


_NUMBER = re.compile(r"^(?P<rel><|~)?\s*(?P<num>[-+]?\d+(?:\.\d+)?)\s*(?P<unit>%|s)?$")


def text_number(quantity: str) -> TextNumber:
    """Parse the text number whose ``quantity`` (exact, as in ``text_numbers.csv``) is given.

    Raises
    ------
    KeyError
        If no row has this quantity.
    ValueError
        If the quantity is ambiguous or its printed value is not a number, bound or "not
        significant".
    """
    table = paper_text_numbers()
    rows = table[table.quantity == quantity]
    if rows.empty:
        raise KeyError(f"the paper's text numbers have no quantity {quantity!r}")
    if len(rows) > 1:
        raise ValueError(f"quantity {quantity!r} appears {len(rows)} times in text_numbers.csv")
    text = rows.value.iloc[0].strip()
    if text.startswith("not significant"):
        return TextNumber(None, "n.s.", "", text)
    match = _NUMBER.match(text)
    if match is None:
        raise ValueError(f"text number {quantity!r} = {text!r} is not a number or a bound")
    return TextNumber(float(match["num"]), match["rel"] or "=", match["unit"] or "", text)
