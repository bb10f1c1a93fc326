"""Selection of the reported configuration, per dataset and method, from the cached results.

The protocol: the (classifier, hyper-parameters, ratio) with the highest mean validation F1; the
method's score is the test F1 of that configuration refitted on the whole oversampled 70 %;
achievement rate = test F1 / validation F1.

Ties (equal mean validation F1, compared exactly) are frequent on small datasets and are broken
by a rule, which is where ``faithful`` matters:

- ``faithful=True`` - the authors' rule as we reconstruct it: ``GridSearchCV.best_index_`` takes
  the first best candidate in ``ParameterGrid`` order within a classifier, and the per-ratio,
  per-classifier bests are collected in loop order (ratios ascending outer, classifiers in Table 4
  order LR, DT, SVM, kNN, LightGBM inner) into a table whose ``idxmax`` takes the first maximum.
  Net effect: the first maximum in (ratio, family, grid position) order. The loop nesting is an
  assumption (their notebook loops are not public in runnable form); every other part follows
  from scikit-learn and pandas.
- ``faithful=False`` (our default) - among the tied, the smallest standard deviation of the five
  fold F1s (the most stable), then the lowest ratio (fewest synthetic rows), then the same order.

Duplicated configurations (the same model under two parameter sets, see ``grid``) tie by
construction; both rules report the first one in grid order.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import cache
from .grid import FAMILIES

__all__ = ["load_results", "select"]


def load_results(grid_name: str = "full", *, scenario: str = "general", datasets=None, methods=None,
                 root: Path | None = None) -> pd.DataFrame:
    """All cached per-config rows (optionally of some datasets and methods) in one frame."""
    base = cache.results_root(root) / grid_name / scenario
    frames = []
    for path in sorted(base.glob("*/*.parquet")):
        if datasets is not None and path.parent.name not in datasets:
            continue
        if methods is not None and path.stem.rsplit("_", 1)[0] not in methods:
            continue
        frames.append(cache.read_result(path)[0])
    if not frames:
        raise FileNotFoundError(f"no cached results under {base}")
    return pd.concat(frames, ignore_index=True)


def select(results: pd.DataFrame, *, faithful: bool = True) -> pd.DataFrame:
    """One row per (dataset, method): the selected configuration, its scores, achievement rate."""
    frame = results.copy()
    frame["_ratio"] = frame["ratio"].fillna(0.0)
    frame["_family"] = frame["family"].map({f: i for i, f in enumerate(FAMILIES)})
    folds = frame[[f"val_f1_fold{i}" for i in range(5)]].to_numpy()
    frame["val_f1_std"] = folds.std(axis=1)
    if faithful:
        order = ["_ratio", "_family", "position"]
    else:
        order = ["val_f1_std", "_ratio", "_family", "position"]
    rows = []
    for (dataset, method), group in frame.groupby(["dataset", "method"], sort=True):
        best = group[group.val_f1 == group.val_f1.max()].sort_values(order, kind="stable")
        chosen = best.iloc[0]
        if not chosen.refit:
            raise ValueError(f"{dataset}/{method}: the selected {chosen.config_id} has no refit; "
                             "the cached results are incomplete")
        rows.append({
            "dataset": dataset, "method": method,
            "ratio": chosen.ratio, "family": chosen.family, "config_id": chosen.config_id,
            "val_f1": chosen.val_f1, "test_f1": chosen.test_f1,
            "achievement": chosen.test_f1 / chosen.val_f1 if chosen.val_f1 else np.nan,
            "n_tied": len(best),
            **{c: chosen[c] for c in chosen.index if c.startswith(("val_", "test_", "train_"))
               and c not in ("val_f1", "test_f1")},
        })
    return pd.DataFrame(rows)
