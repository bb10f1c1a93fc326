"""2-D views of real and synthetic rows: the paper's Figure 1 (original, SMOTE, LLM, LSH on one
dataset) and Figure 6 (the four datasets in the few-/zero-shot scenarios).

Rows are projected on the first two principal components of the standardized real training
rows (the 70 % part), so every panel of a dataset shares one projection. LLM rows come only from
the seed pools (:func:`lsh.seeds.seed_rows`); a missing pool is reported, never replaced.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler

from ..protocol import min_strategy
from ..scenarios import EXTREME_DATASETS, scenario_split

__all__ = ["KINDS", "sample_views", "extreme_views"]

KINDS = ("majority (real)", "minority (real)", "minority held out", "SMOTE rows", "LLM rows")
PANELS = {"ORG": "original (ORG)", "SM": "SMOTE (SM)", "LM": "LLM only (LM)", "LS": "LSH (LS)"}


def _projection(X: np.ndarray):
    scaler = StandardScaler().fit(X)
    keep = scaler.scale_ > 0
    pca = PCA(n_components=2, random_state=0).fit(scaler.transform(X)[:, keep])
    return lambda rows: pca.transform(scaler.transform(rows)[:, keep])


def _frame(project, X, kinds, panel, dataset, scenario="general"):
    points = project(X)
    return pd.DataFrame({"dataset": dataset, "scenario": scenario, "panel": panel,
                         "PC1": points[:, 0], "PC2": points[:, 1], "kind": kinds})


def _seeds(dataset, split, n, scenario, model):
    """(rows, "") or (None, reason)."""
    from ..seeds import SeedsMissingError, seed_rows

    if n <= 0:
        return np.empty((0, 0)), ""
    try:
        return seed_rows(dataset, split, n, scenario=scenario, model=model), ""
    except SeedsMissingError as error:
        return None, str(error).split(" (generate")[0]


def sample_views(dataset: str, *, ratio: float = 1.0, model: str | None = None) -> tuple[pd.DataFrame, dict]:
    """Figure 1's data: the 70 % training part of ``dataset`` oversampled to ``ratio`` by each
    method, projected to 2-D. Returns the points and ``{panel: reason}`` for panels that could
    not be drawn (LLM rows missing)."""
    from ..engine.tasks import load_data, resample, rows_to_add

    data = load_data(dataset)
    train, _, _ = data.parts()
    X, y = data.X[train], data.y[train]
    project = _projection(X)
    real = np.where(y == 1, KINDS[1], KINDS[0])
    frames, missing = [_frame(project, X, real, PANELS["ORG"], data.name)], {}

    X_sm, _, _, n_smote = resample("SM", X, y, ratio)
    frames.append(_frame(project, X_sm, np.concatenate([real, [KINDS[3]] * n_smote]), PANELS["SM"], data.name))

    seeds, reason = _seeds(data.name, "train", rows_to_add(y, ratio), "general", model)
    if seeds is None:
        missing[PANELS["LM"]] = reason
    else:
        X_lm, _, n_llm, _ = resample("LM", X, y, ratio, seeds=seeds)
        frames.append(_frame(project, X_lm, np.concatenate([real, [KINDS[4]] * n_llm]), PANELS["LM"], data.name))

    seed_ratio = min_strategy(int((y == 1).sum()), int((y == 0).sum()))
    seeds, reason = _seeds(data.name, "train", rows_to_add(y, seed_ratio), "general", model)
    if seeds is None:
        missing[PANELS["LS"]] = reason
    else:
        X_ls, _, n_llm, n_smote = resample("LS", X, y, ratio, seeds=seeds, seed_ratio=seed_ratio)
        kinds = np.concatenate([real, [KINDS[4]] * n_llm, [KINDS[3]] * n_smote])
        frames.append(_frame(project, X_ls, kinds, PANELS["LS"], data.name))
    return pd.concat(frames, ignore_index=True), missing


def extreme_views(datasets: Sequence[str] = EXTREME_DATASETS, scenarios=("few-shot", "zero-shot"), *,
                  model: str | None = None) -> tuple[pd.DataFrame, dict]:
    """Figure 6's data: per dataset and scenario, the training rows kept, the minority rows moved
    to validation/test, and the scenario's LLM rows (up to the first ratio) if its pool exists.
    Returns the points and ``{(scenario, dataset): reason}`` where LLM rows are missing."""
    from ..engine.tasks import load_data, rows_to_add

    frames, missing = [], {}
    for name in datasets:
        data = load_data(name)
        train, _, _ = data.parts()
        project = _projection(data.X[train])
        for scenario in scenarios:
            split = scenario_split(data.y, scenario)
            kept = split.train
            held_out = np.setdiff1d(train[data.y[train] == 1], kept)
            X = np.vstack([data.X[kept], data.X[held_out]])
            kinds = np.concatenate([np.where(data.y[kept] == 1, KINDS[1], KINDS[0]),
                                    [KINDS[2]] * len(held_out)])
            y_kept = data.y[kept]
            n_llm = rows_to_add(y_kept, min_strategy(int((y_kept == 1).sum()), int((y_kept == 0).sum())))
            seeds, reason = _seeds(data.name, "train", n_llm, scenario, model)
            if seeds is None:
                missing[(scenario, data.name)] = reason
            elif len(seeds):
                X = np.vstack([X, seeds])
                kinds = np.concatenate([kinds, [KINDS[4]] * len(seeds)])
            frames.append(_frame(project, X, kinds, scenario, data.name, scenario))
    return pd.concat(frames, ignore_index=True), missing
