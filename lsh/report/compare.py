"""Paper vs ours, side by side: the frames the RQ chapters show.

Paper values come only from ``data/paper`` through :mod:`lsh.paper`; ours from
:class:`lsh.report.results.Scores` through :mod:`lsh.stats`. A comparison that cannot be made
(no dataset has both methods' scores) is a row of NaN with the reason in ``note``: nothing is
filled in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from .. import paper, stats
from .results import PAPER_METHODS, Scores

__all__ = ["Comparison", "CorrelationEvidence", "ours_comparison", "paper_comparison",
           "comparisons", "table1_side_by_side", "table2_side_by_side", "table6_side_by_side",
           "achievement_side_by_side", "paper_achievement", "ours_achievement",
           "paper_correlation", "ours_correlation", "subject_correlation", "correlation_side_by_side", "PAIRS", "EXTRA_PAIRS"]

PAIRS = stats.DEFAULT_PAIRS
"""The paper's comparisons: LM vs SM, LS vs LM, LS vs SM."""
EXTRA_PAIRS = (("LS", "BSM"), ("LS", "ADA"), ("LS", "ORG"), ("SM", "ORG"))
"""Comparisons we add (not in the paper): LSH against the other SMOTE variants and no resampling."""


class Comparison(NamedTuple):
    """Summary of "A vs B": mean margin (A - B), BST probabilities in percent, W/D/L counts.

    Counts and ``n`` are None where the source does not give them (the paper's Table 2).
    """

    margin: float
    p_win: float
    p_rope: float
    p_lose: float
    wins: int | None
    draws: int | None
    losses: int | None
    n: int | None


def _label(pair: Sequence[str]) -> str:
    return f"{pair[0]} vs {pair[1]}"


def paper_comparison(pair: Sequence[str], group: str | None = None) -> Comparison | None:
    """The paper's Table 1 row (``group=None``) or Table 2 row of a comparison, if it has one."""
    label = _label(pair)
    if group is None:
        table = paper.paper_table1()
        if label not in table.index:
            return None
        row = table.loc[label]
        counts = (int(row.wins), int(row.draws), int(row.losses))
        return Comparison(float(row.avg_margin), float(row.bst_win), float(row.bst_draw),
                          float(row.bst_lose), *counts, sum(counts))
    table = paper.paper_table2()
    if (label, group) not in table.index:
        return None
    row = table.loc[(label, group)]
    return Comparison(float(row.avg_margin), float(row.bst_win), float(row.bst_draw),
                      float(row.bst_lose), None, None, None, None)


def ours_comparison(scores: Scores, pair: Sequence[str], group: str | None = None, *,
                    random_state: int = 0) -> tuple[Comparison | None, str]:
    """Our comparison on the datasets where both methods have a test score.

    Returns ``(comparison, "")``, or ``(None, reason)`` when no dataset has both scores.
    """
    table = scores.table if group is None else scores.table[scores.table.group == group]
    where = "" if group is None else f" in the {group}-imbalanced group"
    for method in pair:
        if f"{method}_t" not in table.columns:
            return None, f"{method} was not run"
    a, b = table[f"{pair[0]}_t"], table[f"{pair[1]}_t"]
    both = a.notna() & b.notna()
    if not both.any():
        gaps = [scores.missing_reason(m) for m in pair if scores.missing_reason(m)]
        if gaps and all(table[f"{m}_t"].isna().all() for m in pair if scores.missing_reason(m)):
            return None, "; ".join(gaps)
        return None, f"no dataset{where} has both {pair[0]} and {pair[1]} scores"
    wdl = stats.win_draw_loss(a, b)
    margin = stats.mean_margin(a, b)
    bst = stats.sign_test(a, b, random_state=random_state)
    return Comparison(margin.mean, 100 * bst.p_win, 100 * bst.p_rope, 100 * bst.p_lose,
                      wdl.wins, wdl.draws, wdl.losses, margin.n), ""


def comparisons(scores: Scores, pairs: Sequence[Sequence[str]] = PAIRS, *, by_group: bool = False,
                random_state: int = 0) -> pd.DataFrame:
    """Our Table 1 (or, ``by_group``, Table 2) as a long frame with a ``note`` per row."""
    groups = stats.GROUPS if by_group else (None,)
    records = []
    for pair in pairs:
        for group in groups:
            result, reason = ours_comparison(scores, pair, group, random_state=random_state)
            record = {"comparison": _label(pair)}
            if by_group:
                record["group"] = group
            record.update(result._asdict() if result else dict.fromkeys(Comparison._fields, np.nan))
            record["note"] = reason
            records.append(record)
    index = ["comparison", "group"] if by_group else ["comparison"]
    return pd.DataFrame.from_records(records).set_index(index)


_QUANTITIES = {"wins": "W", "draws": "D", "losses": "L", "margin": "mean margin",
               "p_win": "BST win %", "p_rope": "BST draw %", "p_lose": "BST lose %", "n": "n"}


def _side_by_side(ours: pd.DataFrame, paper_rows: dict, quantities: dict) -> pd.DataFrame:
    columns = pd.MultiIndex.from_product([list(quantities.values()), ["paper", "ours"]])
    frame = pd.DataFrame(index=ours.index, columns=columns, dtype=float)
    for key in ours.index:
        theirs = paper_rows.get(key)
        for field, label in quantities.items():
            frame.at[key, (label, "ours")] = ours.at[key, field]
            value = getattr(theirs, field) if theirs is not None else None
            frame.at[key, (label, "paper")] = np.nan if value is None else value
    return frame


def table1_side_by_side(scores: Scores, pairs: Sequence[Sequence[str]] = PAIRS, *,
                        random_state: int = 0) -> pd.DataFrame:
    """Table 1, paper and ours: W/D/L, mean margin, BST (percent) and n per comparison."""
    ours = comparisons(scores, pairs, random_state=random_state)
    theirs = {_label(p): paper_comparison(p) for p in pairs}
    frame = _side_by_side(ours, theirs, _QUANTITIES)
    frame[("note", "")] = ours["note"]
    return frame


def table2_side_by_side(scores: Scores, pairs: Sequence[Sequence[str]] = PAIRS, *,
                        random_state: int = 0) -> pd.DataFrame:
    """Table 2, paper and ours: mean margin, BST (percent) and our n per comparison and group."""
    ours = comparisons(scores, pairs, by_group=True, random_state=random_state)
    theirs = {(_label(p), g): paper_comparison(p, g) for p in pairs for g in stats.GROUPS}
    quantities = {k: v for k, v in _QUANTITIES.items() if k not in ("wins", "draws", "losses")}
    frame = _side_by_side(ours, theirs, quantities)
    # the paper does not print n per group: the groups are its thirds of Table 5
    frame[("n", "paper")] = np.nan
    frame[("note", "")] = ours["note"]
    return frame


def table6_side_by_side(scores: Scores, *, version: str = "strict",
                        methods: Sequence[str] = PAPER_METHODS) -> pd.DataFrame:
    """Table 6 for our datasets: per method validation F1, test F1, achievement; paper and ours.

    Paper cells that are garbled in ``version`` stay NaN (:func:`lsh.paper.garbled_cells`).
    """
    theirs = paper.paper_table6(version)
    labels = {"v": "val F1", "t": "test F1", "a": "achievement"}
    columns = [(m, labels[s], src) for m in methods for s in labels for src in ("paper", "ours")]
    frame = pd.DataFrame(index=scores.table.index, columns=pd.MultiIndex.from_tuples(columns), dtype=float)
    for method in methods:
        for suffix, label in labels.items():
            column = f"{method}_{suffix}"
            frame[(method, label, "paper")] = theirs[column].reindex(scores.table.index) \
                if column in theirs.columns else np.nan
            frame[(method, label, "ours")] = scores.table[column] if column in scores.table else np.nan
    frame.insert(0, ("", "", "IR"), scores.table.ir)
    frame.insert(0, ("", "", "group"), scores.table.group)
    frame.insert(0, ("", "", "dataset"), scores.table.dataset)
    return frame


# ----------------------------------------------------------------------------- achievement


def paper_achievement(method: str) -> stats.Spread | None:
    """The text's mean and sd of a method's achievement rate (section 5.4), if stated."""
    try:
        mean = paper.text_number(f"mean achievement rate (test/validation) {method}")
    except KeyError:
        try:
            mean = paper.text_number(f"mean achievement rate {method}")
        except KeyError:
            return None
    sd = paper.text_number(f"sd of achievement rate {method}")
    return stats.Spread(mean.value, sd.value, None, None)


def ours_achievement(scores: Scores, method: str) -> stats.Spread | None:
    """Mean and population sd of our achievement rates (None if no dataset has the method)."""
    rates = scores.table[f"{method}_a"]
    if rates.notna().sum() == 0:
        return None
    return stats.achievement_summary(rates)


def achievement_side_by_side(scores: Scores, methods: Sequence[str] | None = None) -> pd.DataFrame:
    """Mean and sd of the achievement rate per method: paper (text, section 5.4) and ours."""
    methods = list(methods or scores.methods)
    columns = pd.MultiIndex.from_product([["mean", "sd", "n"], ["paper", "ours"]])
    frame = pd.DataFrame(index=pd.Index(methods, name="method"), columns=columns, dtype=float)
    for method in methods:
        theirs, ours = paper_achievement(method), ours_achievement(scores, method)
        for field in ("mean", "sd", "n"):
            frame.at[method, (field, "paper")] = np.nan if theirs is None or getattr(theirs, field) is None \
                else getattr(theirs, field)
            frame.at[method, (field, "ours")] = np.nan if ours is None else getattr(ours, field)
    return frame


# ----------------------------------------------------------------------------- correlations


class CorrelationEvidence(NamedTuple):
    """Pearson and Spearman with p-values; from the paper, p is a bound (relation ``<``).

    ``*_rel`` is ``"="`` for a computed p-value, ``"<"`` for the paper's "p < x", ``"n.s."``
    for the paper's "not significant" (then the coefficient may be None); None = not stated.
    """

    pearson: float | None
    pearson_p: float | None
    pearson_rel: str | None
    spearman: float | None
    spearman_p: float | None
    spearman_rel: str | None
    n: int | None


def _text(quantity: str):
    try:
        return paper.text_number(quantity)
    except KeyError:
        return None


def paper_correlation(subject: str) -> CorrelationEvidence:
    """What the text states about the correlation of IR with ``subject``.

    ``subject`` as in ``text_numbers.csv``: ``"LS-SM margin"``, ``"SM achievement rate"`` ...
    """
    values = {}
    for name, symbol in (("pearson", "Pearson r"), ("spearman", "Spearman rho")):
        coefficient = _text(f"{symbol}(IR, {subject})")
        p_value = _text(f"p-value of {symbol}(IR, {subject})")
        if coefficient is None:
            coefficient = _text(f"correlation of IR with {subject}")  # "not significant" only
        if coefficient is not None and coefficient.relation == "n.s.":
            values[name] = (None, None, "n.s.")
        elif coefficient is None:
            values[name] = (None, None, None)
        else:
            values[name] = (coefficient.value, p_value.value if p_value else None,
                            p_value.relation if p_value else None)
    return CorrelationEvidence(*values["pearson"], *values["spearman"], None)


def ours_correlation(x, y) -> tuple[CorrelationEvidence | None, str]:
    """Our Pearson and Spearman (two-sided p) of x and y, or (None, reason)."""
    try:
        result = stats.correlation(x, y)
    except ValueError as error:
        return None, str(error)
    return CorrelationEvidence(result.pearson, result.pearson_p, "=", result.spearman,
                               result.spearman_p, "=", result.n), ""


def _subjects(kind: str, scores: Scores, items):
    """(subject, IR, values, methods involved) per item."""
    if kind == "margin":
        for a, b in items:
            yield (f"{a}-{b} margin", scores.table.ir,
                   stats.margins(scores.table[f"{a}_t"], scores.table[f"{b}_t"]), (a, b))
    else:
        for method in items:
            yield f"{method} achievement rate", scores.table.ir, scores.table[f"{method}_a"], (method,)


def subject_correlation(scores: Scores, kind: str, item) -> tuple[CorrelationEvidence | None, str]:
    """Our correlation of IR with one margin (item = pair) or achievement rate (item = method)."""
    ((subject, x, y, methods),) = _subjects(kind, scores, [item])
    ours, reason = ours_correlation(x, y)
    if ours is None:
        gaps = [scores.missing_reason(m) for m in methods if scores.missing_reason(m)]
        if gaps:
            reason = "; ".join(gaps)
    return ours, reason


def correlation_side_by_side(scores: Scores, kind: str, items) -> pd.DataFrame:
    """Correlation of IR with margins (``kind="margin"``, items = pairs) or achievement rates
    (``kind="achievement"``, items = methods): paper (text) and ours, with a note."""
    if kind not in ("margin", "achievement"):
        raise ValueError(f"kind must be 'margin' or 'achievement', got {kind!r}")
    records = []
    for item, (subject, _, _, _) in zip(items, _subjects(kind, scores, items)):
        theirs = paper_correlation(subject)
        ours, reason = subject_correlation(scores, kind, item)
        records.append({
            "IR vs": subject,
            ("Pearson r", "paper"): _show(theirs.pearson, theirs.pearson_rel),
            ("Pearson r", "ours"): _show(ours.pearson if ours else None),
            ("Pearson p", "paper"): _show_p(theirs.pearson_p, theirs.pearson_rel),
            ("Pearson p", "ours"): _show(ours.pearson_p if ours else None),
            ("Spearman ρ", "paper"): _show(theirs.spearman, theirs.spearman_rel),
            ("Spearman ρ", "ours"): _show(ours.spearman if ours else None),
            ("Spearman p", "paper"): _show_p(theirs.spearman_p, theirs.spearman_rel),
            ("Spearman p", "ours"): _show(ours.spearman_p if ours else None),
            ("n", "ours"): ours.n if ours else np.nan,
            ("note", ""): reason,
        })
    frame = pd.DataFrame.from_records(records).set_index("IR vs")
    frame.columns = pd.MultiIndex.from_tuples(frame.columns)
    return frame


def _show(value, relation: str | None = "=") -> str:
    """A coefficient or p-value as text (4 decimals), "n.s." or "—" when not stated."""
    if relation == "n.s.":
        return "n.s."
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "—"
    return f"{value:.4f}"


def _show_p(value, relation: str | None) -> str:
    if relation == "n.s.":
        return "n.s."
    if value is None:
        return "—"
    return f"< {value:g}" if relation == "<" else f"{value:.4f}"
