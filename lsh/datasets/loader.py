"""Load a Table 5 dataset from its shipped raw file: ``(X, y)`` with categories kept."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd

from .arff import read_arff
from .recipe import PreprocessReport, apply_recipe
from .registry import DatasetInfo, get_info

__all__ = [
    "DatasetMissingError",
    "RawFileError",
    "load_dataset",
    "load_with_report",
    "read_raw",
    "encode_numeric",
]


class DatasetMissingError(LookupError):
    """Raised when a registered dataset has no raw file on this machine (Table 5 row 54)."""


class RawFileError(OSError):
    """Raised when a shipped raw file is absent or differs from its recorded sha256."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _categorize_text_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns of CSV/TSV sources become categoricals with levels in sorted order."""
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[column]):
            levels = sorted(frame[column].dropna().astype(str).unique())
            frame[column] = pd.Categorical(frame[column].astype(object).where(frame[column].notna(), None), categories=levels)
    return frame


def read_raw(info: DatasetInfo) -> pd.DataFrame:
    """Parse a dataset's raw file after checking its sha256 against the registry."""
    if not info.available:
        if info.fetched_path.is_file():
            return _read_table(info.fetched_path)
        raise DatasetMissingError(
            f"Dataset {info.name!r} (Table 5 row {info.row}) is missing: {info.status_reason}"
        )
    if not info.raw_path.is_file():
        raise RawFileError(f"Raw file {info.raw_path} of dataset {info.name!r} does not exist.")
    actual = sha256_of(info.raw_path)
    if actual != info.sha256:
        raise RawFileError(
            f"Raw file {info.raw_path.name} of dataset {info.name!r} has sha256 {actual}, "
            f"the registry records {info.sha256}: the file was changed or replaced."
        )
    path = info.read_path
    if path.name.endswith(".arff"):
        frame, _ = read_arff(path)
        return frame
    return _read_table(path)


def _read_table(path: Path) -> pd.DataFrame:
    """A CSV or TSV(.gz) table; empty cells and ``?`` are missing, text becomes categorical."""
    separator = "\t" if ".tsv" in path.suffixes else ","
    frame = pd.read_csv(path, sep=separator, na_values=["", "?"], keep_default_na=False)
    return _categorize_text_columns(frame)


def load_with_report(dataset: str | int) -> tuple[pd.DataFrame, pd.Series, PreprocessReport]:
    """Like ``load_dataset``, plus the report of what the recipe dropped."""
    info = get_info(dataset)
    frame = read_raw(info)
    target = info.target or frame.columns[-1]
    if not info.available:  # a copy fetched from OpenML: its default target, already binary
        target = json.loads(info.fetched_path.with_suffix(".json").read_text())["target"]
    return apply_recipe(frame, target, info.rule)


def load_dataset(dataset: str | int) -> tuple[pd.DataFrame, pd.Series]:
    """Load a dataset of the paper's Table 5, preprocessed by the authors' recipe.

    Parameters
    ----------
    dataset : str or int
        The dataset's name (case-insensitive) or its Table 5 row number.

    Returns
    -------
    X : DataFrame
        Features in the raw file's column order; nominal columns are ``category`` dtype with
        their declared levels. Use ``encode_numeric`` for a numeric matrix.
    y : Series
        ``1`` for the minority class, ``0`` for the majority class.

    Raises
    ------
    DatasetMissingError
        For a registered dataset without a raw file (row 54), naming the reason.
    RawFileError
        When the raw file is absent or its sha256 differs from the registry.
    """
    X, y, _ = load_with_report(dataset)
    return X, y


def encode_numeric(X: pd.DataFrame) -> pd.DataFrame:
    """Encode categorical columns as the authors did: codes of the levels in lexicographic order.

    A nominal column with levels ``{1, 2, ..., 12}`` becomes codes of ``1, 10, 11, 12, 2, ...``
    (R's ``factor`` order, which the authors' files follow, see ``data/datasets/NOTES.md``).
    Codes start at 0 and count only the levels present in ``X``. Numeric columns are unchanged.

    Returns
    -------
    DataFrame
        float64 columns, same index and column names as ``X``.
    """
    encoded = {}
    for column in X.columns:
        values = X[column]
        if isinstance(values.dtype, pd.CategoricalDtype) or not pd.api.types.is_numeric_dtype(values):
            text = values.astype(object).where(values.notna(), None)
            levels = sorted({str(v) for v in text if v is not None})
            lookup = {level: float(code) for code, level in enumerate(levels)}
            encoded[column] = np.array(
                [np.nan if v is None else lookup[str(v)] for v in text], dtype="float64"
            )
        else:
            encoded[column] = values.to_numpy(dtype="float64")
    return pd.DataFrame(encoded, index=X.index, columns=X.columns)
