"""The naive reference: ``GridSearchCV(Pipeline(sampler, classifier))`` per classifier family.

This is how the authors ran the protocol (one grid search per classifier and ratio, the sampler
inside the pipeline so that only training folds are oversampled). It refits and re-oversamples
for every configuration and fold, and is the yardstick of ``benchmarks/engine_speed.py`` and of
the exactness tests. It covers ORG and the SMOTE family; the LLM methods need the per-part seed
pools, which a pipeline step does not know about.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from imblearn import FunctionSampler
from imblearn.pipeline import Pipeline
from sklearn.metrics import f1_score, make_scorer, precision_score, recall_score
from sklearn.model_selection import GridSearchCV

from .grid import FAMILIES, GRIDS, grid, make_classifier
from .metrics import METRICS, binary_metrics
from .tasks import SMOTE_METHODS, DatasetData, Task, protocol_resample

__all__ = ["naive_task", "SCORING"]


def _gmean(y_true, y_pred):
    return binary_metrics(y_true, y_pred)["gmean"]


SCORING = {
    "accuracy": "accuracy",
    "precision": make_scorer(precision_score, zero_division=0.0),
    "recall": make_scorer(recall_score, zero_division=0.0),
    "specificity": make_scorer(recall_score, pos_label=0, zero_division=0.0),
    "f1": make_scorer(f1_score, zero_division=0.0),
    "gmean": make_scorer(_gmean),
    "balanced_accuracy": "balanced_accuracy",
    "roc_auc": "roc_auc",
}


def naive_task(task: Task, X, y, *, grid_name: str = "full") -> pd.DataFrame:
    """Per-config mean validation metrics, fold F1s and the test F1 of each family's best."""
    from threadpoolctl import threadpool_limits

    if task.method not in ("ORG",) + SMOTE_METHODS:
        raise ValueError(f"the naive runner covers ORG and {', '.join(SMOTE_METHODS)}, not {task.method}")
    train, test, cv = DatasetData(task.dataset, X, y, "").parts()
    sampler = FunctionSampler(func=protocol_resample, validate=False,
                              kw_args={"method": task.method, "ratio": task.ratio})
    configs = grid(grid_name)
    records = []
    with threadpool_limits(limits=1), warnings.catch_warnings():
        from sklearn.exceptions import ConvergenceWarning

        warnings.simplefilter("ignore", ConvergenceWarning)
        for family in FAMILIES:
            members = [c for c in configs if c.family == family]
            pipeline = Pipeline([("sampler", sampler), ("clf", make_classifier(members[0]))])
            param_grid = {f"clf__{name}": values for name, values in GRIDS[grid_name][family].items()}
            search = GridSearchCV(pipeline, param_grid, scoring=SCORING, refit="f1", cv=cv,
                                  error_score="raise")
            search.fit(X[train], y[train])
            results = search.cv_results_
            test_f1 = f1_score(y[test], search.predict(X[test]), zero_division=0.0)
            for i, config in enumerate(members):
                params = {name.removeprefix("clf__"): value for name, value in results["params"][i].items()}
                assert params == config.kwargs, (params, config.kwargs)
                record = {"config_id": config.id, "position": config.position}
                for metric in METRICS:
                    record[f"val_{metric}"] = results[f"mean_test_{metric}"][i]
                for fold in range(len(cv)):
                    record[f"val_f1_fold{fold}"] = results[f"split{fold}_test_f1"][i]
                record["family_best"] = i == search.best_index_
                record["test_f1"] = test_f1 if i == search.best_index_ else np.nan
                records.append(record)
    return pd.DataFrame.from_records(records)
