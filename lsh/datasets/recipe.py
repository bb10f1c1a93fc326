"""The authors' preprocessing recipe, reconstructed so that it reproduces Table 5 exactly.

1. Binarize the target (``binarize``): most frequent class against the rest, or one of the
   per-row OpenML rules listed in ``data/datasets/rules.csv``.
2. Drop feature columns with more than 15 % missing values (``drop_sparse_columns``).
3. Drop rows that still have a missing value, target included (``drop_incomplete_rows``).
4. Drop near-zero-variance features as ``caret::nearZeroVar`` does by default
   (``near_zero_variance``).
5. The minority class becomes 1, the majority 0 (``minority_is_one``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = [
    "RULES",
    "PreprocessReport",
    "binarize",
    "drop_sparse_columns",
    "drop_incomplete_rows",
    "near_zero_variance",
    "minority_is_one",
    "apply_recipe",
]

POSITIVE, NEGATIVE = "P", "N"
MISSING_THRESHOLD = 0.15
FREQ_CUT = 95 / 5
UNIQUE_CUT = 10.0


def _most_frequent(values: pd.Series) -> object:
    """The most frequent value; ties go to the first declared level (or first in sort order)."""
    counts = values.value_counts(dropna=True, sort=False)
    if isinstance(values.dtype, pd.CategoricalDtype):
        counts = counts.reindex(values.cat.categories, fill_value=0)
    else:
        counts = counts.sort_index()
    return counts.idxmax()  # idxmax returns the first maximum in index order


def _labels(target: pd.Series, label, missing: str | None = None) -> pd.Series:
    """Apply ``label`` to every present value; missing values get ``missing``."""
    values = [missing if pd.isna(value) else label(value) for value in target.astype(object)]
    return pd.Series(values, index=target.index, dtype=object, name=target.name)


def _majority_vs_rest(target: pd.Series) -> pd.Series:
    present = target.dropna().unique()
    if len(present) < 2:
        raise ValueError(f"target {target.name!r} has fewer than two classes")
    if len(present) == 2:
        return _labels(target, str)
    top = _most_frequent(target)
    return _labels(target, lambda value: POSITIVE if value == top else NEGATIVE)


def _openml_nominal(target: pd.Series) -> pd.Series:
    if not isinstance(target.dtype, pd.CategoricalDtype):
        raise ValueError(f"rule 'openml_nominal' needs a nominal target, {target.name!r} is not")
    top = _most_frequent(target)
    as_level_zero = POSITIVE if target.cat.categories[0] == top else NEGATIVE
    return _labels(target, lambda value: POSITIVE if value == top else NEGATIVE, as_level_zero)


def _above_mean(target: pd.Series) -> pd.Series:
    mean = target.astype(float).mean()
    return _labels(target, lambda value: POSITIVE if value > mean else NEGATIVE)


def _at_most_mean(target: pd.Series) -> pd.Series:
    mean = target.astype(float).mean()
    return _labels(target, lambda value: POSITIVE if value <= mean else NEGATIVE, NEGATIVE)


def _as_is(target: pd.Series) -> pd.Series:
    present = target.dropna().unique()
    if len(present) != 2:
        raise ValueError(f"rule 'as_is' needs a binary target, {target.name!r} has {len(present)} classes")
    return _labels(target, str)


RULES = {
    "majority_vs_rest": _majority_vs_rest,
    "openml_nominal": _openml_nominal,
    "above_mean": _above_mean,
    "at_most_mean": _at_most_mean,
    "as_is": _as_is,
}
"""Binarization rules by name.

- ``majority_vs_rest``: two classes are kept; with more, the most frequent class (ties: the
  first declared level) against all others. Missing labels stay missing (the row is dropped).
- ``openml_nominal``: OpenML's binarization of a nominal target: P = most frequent level; a
  missing label is read as level index 0 and the row is kept.
- ``above_mean``: P = value > mean over all rows (regression targets).
- ``at_most_mean``: P = value <= mean over all rows; missing -> N (OpenML 940).
- ``as_is``: an already binary target.
"""


def binarize(target: pd.Series, rule: str) -> pd.Series:
    """Binarize a raw target column by a named rule (see ``RULES``); labels are strings."""
    try:
        function = RULES[rule]
    except KeyError:
        raise ValueError(f"unknown binarization rule {rule!r}; known: {sorted(RULES)}") from None
    return function(target)


def drop_sparse_columns(
    X: pd.DataFrame, threshold: float = MISSING_THRESHOLD
) -> tuple[pd.DataFrame, dict[str, float]]:
    """Drop columns whose fraction of missing values is greater than ``threshold``."""
    fractions = X.isna().mean()
    dropped = fractions[fractions > threshold]
    return X.drop(columns=dropped.index), {str(k): float(v) for k, v in dropped.items()}


def drop_incomplete_rows(X: pd.DataFrame, y: pd.Series) -> tuple[pd.DataFrame, pd.Series, int]:
    """Drop every row with a missing value in a feature or in the label."""
    keep = X.notna().all(axis=1) & y.notna()
    return X[keep], y[keep], int((~keep).sum())


def near_zero_variance(
    X: pd.DataFrame, freq_cut: float = FREQ_CUT, unique_cut: float = UNIQUE_CUT
) -> list[str]:
    """Columns that ``caret::nearZeroVar`` flags with its defaults.

    A column is flagged if it has a single distinct value, or if the ratio of the most frequent
    to the second most frequent value is greater than ``freq_cut`` and the number of distinct
    values is at most ``unique_cut`` percent of the rows.
    """
    flagged = []
    for column in X.columns:
        counts = X[column].value_counts(dropna=True).to_numpy()
        counts = counts[counts > 0]  # unused categorical levels are not values
        if len(counts) <= 1:
            flagged.append(column)
            continue
        counts = np.sort(counts)[::-1]
        freq_ratio = counts[0] / counts[1]
        percent_unique = 100.0 * len(counts) / len(X[column])
        if freq_ratio > freq_cut and percent_unique <= unique_cut:
            flagged.append(column)
    return flagged


def minority_is_one(labels: pd.Series) -> tuple[pd.Series, str, str]:
    """Map the minority label to 1 and the majority label to 0."""
    counts = labels.value_counts()
    if len(counts) != 2:
        raise ValueError(f"expected two classes after preprocessing, got {len(counts)}")
    if counts.iloc[0] == counts.iloc[1]:
        raise ValueError("both classes have the same size: no minority class")
    minority, majority = counts.idxmin(), counts.idxmax()
    y = (labels == minority).astype("int64").rename("target")
    return y, str(minority), str(majority)


@dataclass
class PreprocessReport:
    """What the recipe did to one raw table, for provenance pages and ``lsh datasets show``."""

    raw_shape: tuple[int, int]
    target: str
    rule: str
    label_counts: dict[str, int] = field(default_factory=dict)
    dropped_sparse: dict[str, float] = field(default_factory=dict)
    dropped_rows: int = 0
    dropped_near_zero_variance: list[str] = field(default_factory=list)
    minority_label: str = ""
    majority_label: str = ""
    shape: tuple[int, int] = (0, 0)
    minority: int = 0


def apply_recipe(
    frame: pd.DataFrame, target: str, rule: str
) -> tuple[pd.DataFrame, pd.Series, PreprocessReport]:
    """Apply the whole recipe to a raw table whose label column is ``target``."""
    if target not in frame.columns:
        raise ValueError(f"target column {target!r} not found; columns: {list(frame.columns)[:8]}...")
    report = PreprocessReport(raw_shape=frame.shape, target=target, rule=rule)
    labels = binarize(frame[target], rule)
    X = frame.drop(columns=[target])
    X, report.dropped_sparse = drop_sparse_columns(X)
    X, labels, report.dropped_rows = drop_incomplete_rows(X, labels)
    report.dropped_near_zero_variance = near_zero_variance(X)
    X = X.drop(columns=report.dropped_near_zero_variance).reset_index(drop=True)
    labels = labels.reset_index(drop=True)
    report.label_counts = {str(k): int(v) for k, v in labels.value_counts().items()}
    y, report.minority_label, report.majority_label = minority_is_one(labels)
    report.shape = X.shape
    report.minority = int(y.sum())
    return X, y, report
