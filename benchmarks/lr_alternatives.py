"""Logistic regression: what was tried to make the 7 x 5 lbfgs fits per task cheaper, with numbers.

For each dataset (SM at its first ratio, the five CV folds, C = 0.001 ... 1000, unscaled, as the
protocol), compare with scikit-learn's ``LogisticRegression(max_iter=100000)`` (lbfgs):

- ``lean``: ``lsh.engine.lr.fit_logistic`` (the same computation without overhead);
- ``warm``: lbfgs with ``warm_start=True`` along the C path (each C starts from the previous C's
  coefficients);
- ``newton-cholesky``: another solver for the same objective.

Reported: seconds, and how many validation predictions and fold F1s differ from the reference.
Only a path with zero differences may replace the reference; ``lean`` is the one used.
Writes ``benchmarks/results/lr_alternatives.json``.
"""

from __future__ import annotations

import json
import sys
import time
import warnings
from pathlib import Path

from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from lsh.engine.lr import fit_logistic
from lsh.engine.metrics import binary_metrics
from lsh.engine.tasks import load_data, resample, tasks_for

CS = [0.001, 0.01, 0.1, 1, 10, 100, 1000]
DATASETS = ["haberman", "emotions", "kc3", "spambase", "car"]


def main(datasets):
    report = {}
    for name in datasets:
        data = load_data(name)
        task = tasks_for([name], ["SM"])[0]
        train, _, folds = data.parts()
        X_train, y_train = data.X[train], data.y[train]
        seconds = {"sklearn": 0.0, "lean": 0.0, "warm": 0.0, "newton-cholesky": 0.0}
        differing_predictions = {k: 0 for k in seconds}
        differing_f1 = {k: 0 for k in seconds}
        n_predictions = 0
        with threadpool_limits(limits=1), warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            for fit, val in folds:
                X, y, _, _ = resample("SM", X_train[fit], y_train[fit], task.ratio)
                X_val, y_val = X_train[val], y_train[val]
                warm = LogisticRegression(random_state=100, max_iter=100000, warm_start=True)
                for C in CS:
                    predictions = {}
                    t = time.perf_counter()
                    predictions["sklearn"] = LogisticRegression(C=C, random_state=100, max_iter=100000).fit(X, y).predict(X_val)
                    seconds["sklearn"] += time.perf_counter() - t
                    t = time.perf_counter()
                    predictions["lean"] = fit_logistic(X, y, C=C, random_state=100).predict(X_val)
                    seconds["lean"] += time.perf_counter() - t
                    t = time.perf_counter()
                    predictions["warm"] = warm.set_params(C=C).fit(X, y).predict(X_val)
                    seconds["warm"] += time.perf_counter() - t
                    t = time.perf_counter()
                    predictions["newton-cholesky"] = LogisticRegression(
                        C=C, random_state=100, max_iter=100000, solver="newton-cholesky").fit(X, y).predict(X_val)
                    seconds["newton-cholesky"] += time.perf_counter() - t
                    reference_f1 = binary_metrics(y_val, predictions["sklearn"])["f1"]
                    n_predictions += len(y_val)
                    for key, values in predictions.items():
                        differing_predictions[key] += int((values != predictions["sklearn"]).sum())
                        differing_f1[key] += int(binary_metrics(y_val, values)["f1"] != reference_f1)
        report[name] = {"shape": list(data.X.shape), "ratio": task.ratio, "fits": 5 * len(CS),
                        "validation_predictions": n_predictions, "seconds": seconds,
                        "differing_predictions": differing_predictions, "differing_fold_f1": differing_f1}
        print(name, {k: round(v, 2) for k, v in seconds.items()}, "differing predictions", differing_predictions,
              "differing fold F1", differing_f1, flush=True)
    out = Path(__file__).parent / "results" / "lr_alternatives.json"
    out.write_text(json.dumps(report, indent=1) + "\n")
    print(f"-> {out}")


if __name__ == "__main__":
    main(sys.argv[1:] or DATASETS)
