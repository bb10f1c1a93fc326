"""Rebuild a dataset from OpenML for users who are online (never called by tests or the book).

This is the only code in ``lsh`` that opens a network connection, and only when a user runs
``lsh datasets fetch NAME``. The downloaded table is stored under ``data/datasets/fetched/``
with its provenance; the loader then uses it for a dataset whose raw file is missing.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from .loader import sha256_of
from .recipe import apply_recipe
from .registry import DatasetInfo

__all__ = ["fetch_from_openml"]

def fetch_from_openml(info: DatasetInfo) -> tuple[Path, str]:
    """Download ``info.openml_id`` from OpenML, apply the recipe, and store the raw table.

    Returns the stored path and a one-line comparison with Table 5.
    """
    if info.openml_id is None:
        raise ValueError(
            f"Dataset {info.name!r} has no verified OpenML id in the registry ({info.openml!r}); "
            "fetching it would be a guess."
        )
    from sklearn.datasets import fetch_openml

    bunch = fetch_openml(data_id=info.openml_id, as_frame=True, parser="liac-arff")
    frame = bunch.frame
    target = bunch.target.name if hasattr(bunch.target, "name") else frame.columns[-1]
    X, y, report = apply_recipe(frame, target, "majority_vs_rest")
    path = info.fetched_path
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    frame.to_csv(temporary, index=False)
    temporary.replace(path)
    provenance = {
        "row": info.row,
        "name": info.name,
        "openml_id": info.openml_id,
        "target": target,
        "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "sha256": sha256_of(path),
        "shape_after_recipe": list(report.shape),
        "minority_after_recipe": report.minority,
    }
    path.with_suffix(".json").write_text(json.dumps(provenance, indent=2) + "\n")
    expected = (info.expected_size, info.expected_features, info.expected_minority)
    got = (*report.shape, report.minority)
    verdict = "matches Table 5" if got == expected else f"DIFFERS from Table 5 {expected}"
    return path, f"{info.name}: {got[0]}x{got[1]}, minority {got[2]} - {verdict}"
