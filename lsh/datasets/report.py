"""Tables about the registry, shared by the CLI and the book's datasets page."""

from __future__ import annotations

import math

import pandas as pd

from .fingerprint import compare
from .loader import load_with_report
from .registry import DatasetInfo, registry

__all__ = ["ir_note", "registry_table", "verification_table"]


def ir_note(info: DatasetInfo) -> str:
    """How Table 5's printed IR relates to the IR computed from the authors' class counts."""
    printed = float(info.ir_table5)
    if f"{info.ir:.2f}" == info.ir_table5:
        return ""
    if math.floor(info.ir * 100) / 100 == printed:
        return f"Table 5 truncates {info.ir:.4f} to {info.ir_table5}"
    return f"Table 5 prints {info.ir_table5}, the class counts give {info.ir:.4f} (typo)"


def registry_table() -> pd.DataFrame:
    """One row per Table 5 dataset: identity, provenance, expected shape, status."""
    records = []
    for info in registry():
        records.append(
            {
                "row": info.row,
                "name": info.name,
                "group": info.group,
                "status": info.status,
                "rows": info.expected_size,
                "features": info.expected_features,
                "minority": info.expected_minority,
                "IR": round(info.ir, 2),
                "IR (Table 5)": info.ir_table5,
                "OpenML id": info.openml_label,
                "OpenML (as recorded)": info.openml,
                "source": info.source if info.available else "(no offline copy)",
                "repository": info.source.split("/")[-1] if info.available else "-",
                "licence": info.licence or "-",
                "note": info.status_reason or ir_note(info),
            }
        )
    return pd.DataFrame.from_records(records).set_index("row")


def verification_table() -> pd.DataFrame:
    """Load every available dataset from raw and compare it with Table 5 and the authors."""
    records = []
    for info in registry():
        record = {"row": info.row, "name": info.name}
        expected = f"{info.expected_size}x{info.expected_features}, min {info.expected_minority}"
        if not info.available:
            record.update(expected=expected, loaded="not available", names="-", meta="-", verdict="MISSING")
        else:
            X, _, report = load_with_report(info.row)
            fingerprint = compare(info.row, X)
            loaded = f"{report.shape[0]}x{report.shape[1]}, min {report.minority}"
            record.update(
                expected=expected,
                loaded=loaded,
                names=f"{fingerprint.names_matched}/{fingerprint.names_expected}",
                meta=fingerprint.meta_summary,
                verdict="OK"
                if loaded == expected
                and fingerprint.names_matched == fingerprint.names_expected
                and fingerprint.meta_matched == fingerprint.meta_compared
                else "DIFF",
            )
        records.append(record)
    return pd.DataFrame.from_records(records).set_index("row")
