"""The fast, exact evaluation of one task: every configuration's validation scores, and refits.

Exact shortcuts (each gives bitwise the predictions of fitting every configuration separately,
as ``GridSearchCV(Pipeline(sampler, clf))`` does; ``tests/test_engine_exact.py`` and
``benchmarks/engine_speed.py`` check it):

1. Each training part is oversampled once and reused by every configuration.
2. Configurations that scikit-learn fits as the same model (``Config.model_key``: 8 of 24 kNN,
   24 of 36 decision trees) are fitted once.
3. Decision trees: a tree grown with ``max_depth=M`` whose depth is ``< m`` never met the depth
   limit, so growing it with ``max_depth=m`` visits the same nodes with the same random state:
   the same tree. Depths are fitted from 40 down and reused while this holds.
4. LightGBM gbdt/goss: one training with the largest ``n_estimators``, scored at 50/100/150 with
   ``num_iteration`` (training does not depend on the total number of rounds). dart: truncation is
   not exact (dropout rescales earlier trees), so predictions are recorded by a callback at the
   end of rounds 50/100/150 of one training. ``max_depth``: LightGBM never splits a leaf at depth
   ``max_depth``; if the first ``n`` trees grown with ``max_depth=20`` are at most 10 deep, no
   split was ever refused or changed, so ``max_depth=10`` grows the same first ``n`` trees (same
   random draws): their predictions are reused instead of training again.
5. Logistic regression: ``lr.fit_logistic``, scikit-learn's lbfgs computation without its
   per-iteration overhead (bitwise-identical coefficients, ~2.4x faster).
6. kNN with odd ``k`` on two classes: ``predict`` is the majority vote, i.e. the argmax of
   ``predict_proba``, so one neighbour search gives both.
7. SVM: no ``probability=True`` (``predict`` does not use it; ROC-AUC uses ``decision_function``).

ROC-AUC scores follow scikit-learn's ``roc_auc`` scorer: ``decision_function`` where the model has
one (LR, SVM, LightGBM >= 4.7: the raw margin), else ``predict_proba`` (DT, kNN).

Only what selection needs is refitted on the whole oversampled 70 %: per classifier family, the
configurations with the family's highest mean validation F1 (all of them when tied, as distinct
models), scored on the 30 % test part and on the real (not oversampled) 70 % ("train" metrics).
"""

from __future__ import annotations

import contextlib
import functools
import json
import time
import warnings
from collections import defaultdict

import numpy as np
import pandas as pd

from ..protocol import N_FOLDS
from .grid import grid, make_classifier
from .lr import fit_logistic
from .metrics import METRICS, binary_metrics
from .tasks import Task, resample

__all__ = ["evaluate_task", "family_predictions", "prepare_parts", "merge_families"]


# ----------------------------------------------------------------------------------------------
# Predictions per family. ``fit_sets`` = [(X_fit, y_fit, [X_eval, ...]), ...]; the result maps a
# model_key to, per fit set, a list of (y_pred, score) per evaluation matrix.

def _predict_pairs(model, evals, score_method):
    out = []
    for X_eval in evals:
        pred = model.predict(X_eval)
        score = getattr(model, score_method)(X_eval)
        if score.ndim == 2:
            score = score[:, 1]
        out.append((pred, score))
    return out


def _lr(configs, fit_sets, info):
    result = {}
    for config in _distinct(configs):
        per_set, converged = [], []
        for X_fit, y_fit, evals in fit_sets:
            model = fit_logistic(X_fit, y_fit, **config.kwargs, random_state=100)
            converged.append(model.converged_)
            per_set.append(_predict_pairs(model, evals, "decision_function"))
        result[config.model_key] = per_set
        info["lr_converged"][config.model_key] = converged
    return result


def _dt(configs, fit_sets, info):
    from sklearn.tree import DecisionTreeClassifier

    groups = defaultdict(list)
    for config in _distinct(configs):
        kw = config.kwargs
        groups[(kw["min_samples_leaf"], max(kw["min_samples_split"], 2 * kw["min_samples_leaf"]))].append(config)
    result = {config.model_key: [None] * len(fit_sets) for config in _distinct(configs)}
    for members in groups.values():
        members = sorted(members, key=lambda c: -c.kwargs["max_depth"])
        for i, (X_fit, y_fit, evals) in enumerate(fit_sets):
            previous = None
            for config in members:
                depth = config.kwargs["max_depth"]
                if previous is not None and previous.get_depth() < depth:
                    info["dt_reused"] += 1
                    model = previous
                else:
                    model = DecisionTreeClassifier(**config.kwargs, random_state=100).fit(X_fit, y_fit)
                    info["fits"] += 1
                previous = model
                result[config.model_key][i] = _predict_pairs(model, evals, "predict_proba")
    return result


def _svm(configs, fit_sets, info):
    result = {}
    for config in _distinct(configs):
        per_set = []
        for X_fit, y_fit, evals in fit_sets:
            model = make_classifier(config).fit(X_fit, y_fit)
            per_set.append(_predict_pairs(model, evals, "decision_function"))
        result[config.model_key] = per_set
    return result


def _knn(configs, fit_sets, info):
    result = {}
    for config in _distinct(configs):
        per_set = []
        for X_fit, y_fit, evals in fit_sets:
            model = make_classifier(config).fit(X_fit, y_fit)
            pairs = []
            for X_eval in evals:
                proba = model.predict_proba(X_eval)
                if config.kwargs["n_neighbors"] % 2 == 1 and len(model.classes_) == 2:
                    pred = model.classes_[np.argmax(proba, axis=1)]
                else:  # a vote can tie: use predict itself
                    pred = model.predict(X_eval)
                pairs.append((pred, proba[:, 1]))
            per_set.append(pairs)
        result[config.model_key] = per_set
    return result


def _tree_depths(booster) -> list[int]:
    """Depth of every tree (deepest leaf; a single leaf is 0), from the model text."""
    depths, left = [], None
    for line in booster.model_to_string().splitlines():
        if line.startswith("Tree="):
            left = None
            depths.append(0)
        elif line.startswith("left_child="):
            left = [int(v) for v in line[11:].split()]
        elif line.startswith("right_child=") and left is not None:
            right = [int(v) for v in line[12:].split()]
            level = {0: 0}
            deepest = 0
            for node in range(len(left)):  # parents come before children in LightGBM's numbering
                for child in (left[node], right[node]):
                    if child >= 0:
                        level[child] = level[node] + 1
                    else:
                        deepest = max(deepest, level[node] + 1)
            depths[-1] = deepest
    return depths


def _train_lightgbm(boosting, depth, rate, rounds, X_fit, y_fit, evals):
    """One training with ``max(rounds)`` trees; probabilities on ``evals`` after each of ``rounds``."""
    from lightgbm import LGBMClassifier

    total = rounds[-1]
    recorded = {}
    callbacks = None
    if boosting == "dart":
        def record(env, wanted=set(rounds[:-1])):
            if env.iteration + 1 in wanted:
                # num_threads=1: without it LightGBM resets OpenMP to all cores for the rest of
                # the training (100-1000x slower on a busy machine)
                recorded[env.iteration + 1] = [
                    (env.model.predict(X_eval, num_threads=1), env.model.predict(X_eval, raw_score=True, num_threads=1))
                    for X_eval in evals]
        callbacks = [record]
    model = LGBMClassifier(boosting_type=boosting, max_depth=depth, learning_rate=rate, n_estimators=total,
                           random_state=100, n_jobs=1, verbose=-1)
    model.fit(X_fit, y_fit, callbacks=callbacks)
    for n in rounds:
        if not (boosting == "dart" and n < total):
            recorded[n] = [(model.predict_proba(X_eval, num_iteration=n)[:, 1],
                            model.decision_function(X_eval, num_iteration=n)) for X_eval in evals]
    # LGBMClassifier.predict: argmax over [1 - p, p] (first index on a tie). Score for ROC-AUC: the
    # raw margin (decision_function, LightGBM >= 4.7), which scikit-learn's roc_auc scorer prefers.
    pairs = {n: [(model.classes_[(p > 1.0 - p).astype(np.intp)], raw) for p, raw in recorded[n]] for n in rounds}
    return model, pairs


def _lightgbm(configs, fit_sets, info):
    groups = defaultdict(lambda: defaultdict(list))  # (boosting, rate) -> max_depth -> configs
    for config in _distinct(configs):
        kw = config.kwargs
        groups[(kw["boosting_type"], kw["learning_rate"])][kw["max_depth"]].append(config)
    result = {}
    for (boosting, rate), by_depth in groups.items():
        rounds = sorted({c.kwargs["n_estimators"] for members in by_depth.values() for c in members})
        depths = sorted(by_depth, reverse=True)
        per_depth = {depth: [] for depth in depths}
        for X_fit, y_fit, evals in fit_sets:
            reference = None  # (tree depths, predictions) of the last model trained
            for depth in depths:
                needed = max(c.kwargs["n_estimators"] for c in by_depth[depth])
                if reference is not None:
                    tree_depths, pairs = reference
                    leading = next((i for i, d in enumerate(tree_depths) if d > depth), len(tree_depths))
                    # trees that never reached ``depth`` were grown the same with max_depth=depth
                    if leading == len(tree_depths) or needed <= leading:
                        info["lgbm_reused"] += 1
                        per_depth[depth].append(pairs)
                        continue
                model, pairs = _train_lightgbm(boosting, depth, rate, rounds, X_fit, y_fit, evals)
                info["fits"] += 1
                if depth != depths[-1]:
                    reference = (_tree_depths(model.booster_), pairs)
                per_depth[depth].append(pairs)
        for depth, members in by_depth.items():
            for config in members:
                n = config.kwargs["n_estimators"]
                result[config.model_key] = [pairs[n] for pairs in per_depth[depth]]
    return result


_FAMILY_FUNCTIONS = {"LR": _lr, "DT": _dt, "SVM": _svm, "kNN": _knn, "LightGBM": _lightgbm}


def _distinct(configs):
    seen, out = set(), []
    for config in configs:
        if config.model_key not in seen:
            seen.add(config.model_key)
            out.append(config)
    return out


def family_predictions(family, configs, fit_sets, info=None):
    """Predictions of every distinct model of ``configs`` (one family) on every fit set."""
    if info is None:
        info = _new_info()
    return _FAMILY_FUNCTIONS[family](configs, fit_sets, info)


def _new_info():
    return {"fits": 0, "dt_reused": 0, "lgbm_reused": 0, "lr_converged": {}, "seconds": {},
            "cpu_seconds": {}}


# ----------------------------------------------------------------------------------------------

def prepare_parts(task: Task, X, y, pools, seed_ratio):
    """Oversampled training data of the five folds and of the whole 70 %, plus evaluation parts.

    The parts are the task's scenario's (:func:`lsh.scenarios.scenario_split`). Returns
    ``(folds, refit, rows)``: ``folds`` = [(X_fit, y_fit, X_val, y_val)] x 5, ``refit`` =
    (X_train_res, y_train_res, X_train, y_train, X_test, y_test), ``rows`` = added rows per part
    (LLM, SMOTE).
    """
    from .tasks import DatasetData

    split = DatasetData(task.dataset, X, y, "").split(task.scenario)
    rows = {}
    folds = []
    for i, (fit, val) in enumerate(split.folds):
        part = f"fold{i}"
        X_fit, y_fit, n_llm, n_smote = resample(task.method, X[fit], y[fit], task.ratio,
                                                seeds=pools.get(part), seed_ratio=seed_ratio)
        rows[part] = (n_llm, n_smote)
        folds.append((X_fit, y_fit, X[val], y[val]))
    X_train, y_train = X[split.train], y[split.train]
    X_res, y_res, n_llm, n_smote = resample(task.method, X_train, y_train, task.ratio,
                                            seeds=pools.get("train"), seed_ratio=seed_ratio)
    rows["train"] = (n_llm, n_smote)
    return folds, (X_res, y_res, X_train, y_train, X[split.test], y[split.test]), rows


@functools.lru_cache(maxsize=1)
def _threadpools():
    """The process's BLAS/OpenMP thread pools (scanned once: ~15 ms per scan)."""
    import lightgbm  # noqa: F401  (load its OpenMP runtime before the scan)
    import sklearn.svm  # noqa: F401
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def evaluate_task(task: Task, X, y, pools=None, *, seed_ratio=None, grid_name="full", families=None,
                  refit_test=True) -> tuple[pd.DataFrame, dict]:
    """The configurations of ``grid_name`` (of ``families``, default all) on one task.

    Returns the per-config frame (grid order) and run information. Families are independent
    (each oversamples the same parts, deterministically, and refits its own best), so a runner
    may evaluate them as separate jobs and concatenate the frames in grid order.
    """
    started, started_cpu = time.perf_counter(), time.process_time()
    configs = [c for c in grid(grid_name) if families is None or c.family in families]
    info = _new_info()

    @contextlib.contextmanager
    def timed(name):
        wall, cpu = time.perf_counter(), time.process_time()
        yield
        info["seconds"][name] = time.perf_counter() - wall
        info["cpu_seconds"][name] = time.process_time() - cpu

    with _threadpools().limit(limits=1), warnings.catch_warnings():
        # the fallback LR path (other library versions) records non-convergence itself
        from sklearn.exceptions import ConvergenceWarning

        warnings.simplefilter("ignore", ConvergenceWarning)
        with timed("oversampling"):
            folds, refit, rows = prepare_parts(task, X, y, pools or {}, seed_ratio)
        fit_sets = [(X_fit, y_fit, [X_val]) for X_fit, y_fit, X_val, _ in folds]
        by_family = defaultdict(list)
        for config in configs:
            by_family[config.family].append(config)
        frames = []
        for family, members in by_family.items():
            with timed(family):
                predictions = family_predictions(family, members, fit_sets, info)
                fold_scores = {key: [binary_metrics(folds[i][3], *per_fold[i][0]) for i in range(N_FOLDS)]
                               for key, per_fold in predictions.items()}
                frame = _frame(task, members, fold_scores, info)
                if refit_test:
                    _refit(frame, members, {family: members}, refit, info)
                frames.append(frame)
    info["rows_added"] = {split: {"llm": a, "smote": b} for split, (a, b) in rows.items()}
    info["seconds"]["total"] = time.perf_counter() - started
    info["cpu_seconds"]["total"] = time.process_time() - started_cpu
    return pd.concat(frames, ignore_index=True), info


def merge_families(parts: list[tuple[pd.DataFrame, dict]]) -> tuple[pd.DataFrame, dict]:
    """One task's frame and information from its per-family evaluations (any order)."""
    parts = sorted(parts, key=lambda part: part[0].position.min())
    frame = pd.concat([part[0] for part in parts], ignore_index=True)
    info = _new_info()
    for _, part in parts:
        info["fits"] += part["fits"]
        info["dt_reused"] += part["dt_reused"]
        info["lgbm_reused"] += part["lgbm_reused"]
        for kind in ("seconds", "cpu_seconds"):
            for name, value in part[kind].items():
                info[kind][name] = info[kind].get(name, 0.0) + value
        info["rows_added"] = part["rows_added"]
    return frame, info


def _frame(task, configs, fold_scores, info):
    records = []
    for config in configs:
        scores = fold_scores[config.model_key]
        record = {
            "scenario": task.scenario, "dataset": task.dataset, "method": task.method,
            "ratio": np.nan if task.ratio is None else task.ratio,
            "position": config.position, "config_id": config.id, "family": config.family,
            "params": json.dumps(config.kwargs), "model_key": config.model_key,
        }
        for metric in METRICS:
            values = np.array([s[metric] for s in scores], dtype=np.float64)
            record[f"val_{metric}"] = np.average(values)  # GridSearchCV's mean_test_score
        for i, s in enumerate(scores):
            record[f"val_f1_fold{i}"] = s["f1"]
        converged = info["lr_converged"].get(config.model_key)
        record["lr_converged_folds"] = np.nan if converged is None else float(sum(converged))
        records.append(record)
    frame = pd.DataFrame.from_records(records)
    for metric in METRICS:
        frame[f"test_{metric}"] = np.nan
    for metric in METRICS:
        frame[f"train_{metric}"] = np.nan
    frame["refit"] = False
    return frame


def _refit(frame, configs, by_family, refit, info):
    X_res, y_res, X_train, y_train, X_test, y_test = refit
    for family, members in by_family.items():
        rows = frame[frame.family == family]
        best = rows.val_f1.max()
        keys = set(rows.model_key[rows.val_f1 == best])
        chosen = [c for c in _distinct(members) if c.model_key in keys]
        predictions = family_predictions(family, chosen, [(X_res, y_res, [X_test, X_train])], info)
        for key, (pairs,) in predictions.items():
            test = binary_metrics(y_test, *pairs[0])
            train = binary_metrics(y_train, *pairs[1])
            mask = frame.model_key == key
            for metric in METRICS:
                frame.loc[mask, f"test_{metric}"] = test[metric]
                frame.loc[mask, f"train_{metric}"] = train[metric]
            frame.loc[mask, "refit"] = True
