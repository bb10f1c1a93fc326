"""Compare a loaded dataset with the authors' own fingerprints (``data/datasets/authors``).

Three independent checks that our recipe rebuilt the authors' inputs: class counts, feature
names, and seven meta-features the authors computed on their files (``df_meta_new.csv``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import stats

from .. import paths
from .loader import encode_numeric

__all__ = [
    "META_FEATURES",
    "Fingerprint",
    "authors_feature_names",
    "authors_meta_features",
    "compare",
    "meta_features",
    "normalize_name",
]

META_FEATURES = ("cor_min", "cor_max", "skew_min", "skew_max", "iqr_min", "iqr_max", "iqr_avg")
RELATIVE_TOLERANCE = 1e-3
# R's make.names-style escapes in the authors' copies, e.g. "char_freq_.28" for "char_freq_(".
_ESCAPE = re.compile(r"\.(2[0-9A-F]|3[A-F]|40|5[B-F]|60|7[B-E])")


def normalize_name(name: str) -> str:
    """Case- and punctuation-insensitive form of a column name, escapes decoded."""
    decoded = _ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), name)
    return re.sub(r"[^a-z0-9]", "", decoded.lower())


@lru_cache(maxsize=1)
def _authors_columns() -> pd.DataFrame:
    return pd.read_csv(paths.authors_dir() / "authors_columns_from_anyloss_notebook.csv").set_index("row")


@lru_cache(maxsize=1)
def _authors_meta() -> pd.DataFrame:
    meta = pd.read_csv(paths.authors_dir() / "df_meta_new.csv", index_col=0)
    rows = pd.read_csv(paths.authors_dir() / "rows.csv")[["row", "data"]]
    return rows.merge(meta, on="data").set_index("row")


def authors_feature_names(row: int) -> list[str]:
    """The feature names of the authors' file for a Table 5 row (label column excluded)."""
    entry = _authors_columns().loc[row]
    names = entry["columns"].split("|")
    return names[: int(entry["ncols"]) - 1]


def authors_meta_features(row: int) -> dict[str, float]:
    """The authors' seven meta-features for a Table 5 row."""
    entry = _authors_meta().loc[row]
    return {name: float(entry[name]) for name in META_FEATURES}


def _looks_numeric(column: pd.Series) -> bool:
    if not isinstance(column.dtype, pd.CategoricalDtype):
        return pd.api.types.is_numeric_dtype(column)
    present = pd.Series(column.dropna().astype(str).unique())
    return bool(pd.to_numeric(present, errors="coerce").notna().all())


def meta_features(X: pd.DataFrame) -> dict[str, float]:
    """The seven meta-features as the authors computed them.

    Numeric columns, and nominal columns whose values all look numeric (as lexicographic factor
    codes, see ``encode_numeric``), enter; other nominal columns do not. Correlations are Pearson
    over all column pairs, skewness is the biased sample skewness, IQR is the 75 % - 25 %
    quantile difference. Values that need more columns than exist are NaN.
    """
    numeric = encode_numeric(X[[c for c in X.columns if _looks_numeric(X[c])]])
    values = dict.fromkeys(META_FEATURES, float("nan"))
    if numeric.shape[1] == 0:
        return values
    if numeric.shape[1] >= 2:
        correlations = numeric.corr().to_numpy()[np.triu_indices(numeric.shape[1], 1)]
        values["cor_min"], values["cor_max"] = np.nanmin(correlations), np.nanmax(correlations)
    skewness = stats.skew(numeric.to_numpy(), axis=0)
    spread = numeric.quantile(0.75) - numeric.quantile(0.25)
    values.update(
        skew_min=skewness.min(), skew_max=skewness.max(),
        iqr_min=spread.min(), iqr_max=spread.max(), iqr_avg=spread.mean(),
    )
    return {name: float(value) for name, value in values.items()}


@dataclass(frozen=True)
class Fingerprint:
    """How a loaded dataset compares with the authors' fingerprints."""

    names_matched: int
    names_expected: int
    meta_matched: int
    meta_compared: int

    @property
    def meta_summary(self) -> str:
        if self.meta_compared == 0:
            return "n/a (no numeric column)"
        return f"{self.meta_matched}/{self.meta_compared}"


def compare(row: int, X: pd.DataFrame) -> Fingerprint:
    """Compare ``X`` (Table 5 row ``row``, as loaded) with the authors' names and meta-features."""
    theirs = [normalize_name(name) for name in authors_feature_names(row)]
    ours = [normalize_name(name) for name in X.columns]
    ours_meta = meta_features(X)
    theirs_meta = authors_meta_features(row)
    compared = [name for name in META_FEATURES if not np.isnan(ours_meta[name])]
    matched = [
        name for name in compared
        if np.isclose(ours_meta[name], theirs_meta[name], rtol=RELATIVE_TOLERANCE, atol=1e-9)
    ]
    return Fingerprint(
        names_matched=sum(a == b for a, b in zip(ours, theirs)) if len(ours) == len(theirs) else 0,
        names_expected=len(theirs),
        meta_matched=len(matched),
        meta_compared=len(compared),
    )
