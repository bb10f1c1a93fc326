"""Experiment engine: the grid, metrics, tasks and oversampling rules on shipped datasets."""

import warnings
from collections import Counter

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning, UndefinedMetricWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score

from lsh.engine.grid import grid, make_classifier
from lsh.engine.metrics import binary_metrics
from lsh.engine.tasks import (Task, load_data, not_applicable, resample, rows_to_add, task_ratios,
                              tasks_for)
from lsh.protocol import SPLIT_NAMES, adj_strategy, min_strategy
from lsh.scenarios import EXTREME_DATASETS


def test_grid_has_the_papers_139_configurations_in_parameter_grid_order():
    configs = grid("full")
    assert len(configs) == 139
    assert Counter(c.family for c in configs) == {"LR": 7, "DT": 36, "SVM": 24, "kNN": 24, "LightGBM": 48}
    assert len({c.id for c in configs}) == 139
    assert [c.position for c in configs] == list(range(139))
    assert configs[0].id == "LR(C=0.001)"
    assert configs[7].id == "DT(max_depth=10,min_samples_leaf=1,min_samples_split=2)"
    assert configs[-1].id == "LightGBM(boosting_type=goss,learning_rate=0.05,max_depth=20,n_estimators=200)"


def test_duplicate_models_are_the_ones_scikit_learn_fits_identically():
    configs = grid("full")
    knn = {c.model_key for c in configs if c.family == "kNN"}
    dt = {c.model_key for c in configs if c.family == "DT"}
    assert len(knn) == 8 and len(dt) == 24
    # minkowski p=1 is manhattan; euclidean ignores p
    by_id = {c.id: c for c in configs}
    assert (by_id["kNN(metric=minkowski,n_neighbors=3,p=1)"].model_key
            == by_id["kNN(metric=manhattan,n_neighbors=3,p=2)"].model_key)
    fitted = make_classifier(by_id["kNN(metric=minkowski,n_neighbors=3,p=1)"]).fit([[0.0], [1.0], [2.0]], [0, 1, 1])
    assert fitted.effective_metric_ == "manhattan"
    assert len(grid("quick")) == 27


def test_metrics_equal_scikit_learn_bit_for_bit_without_warnings():
    rng = np.random.default_rng(0)
    for _ in range(500):
        n = int(rng.integers(2, 60))
        y_true = (rng.random(n) < 0.4).astype(int)
        y_pred = (rng.random(n) < rng.random()).astype(int)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            ours = binary_metrics(y_true, y_pred, rng.random(n))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UndefinedMetricWarning)
            assert ours["f1"] == f1_score(y_true, y_pred, zero_division=0.0)
            assert ours["precision"] == precision_score(y_true, y_pred, zero_division=0.0)
            assert ours["recall"] == recall_score(y_true, y_pred, zero_division=0.0)
            assert ours["accuracy"] == accuracy_score(y_true, y_pred)
    none_predicted = binary_metrics([0, 1, 1], [0, 0, 0])
    assert none_predicted["precision"] == 0.0 and none_predicted["f1"] == 0.0
    assert np.isnan(binary_metrics([1, 1], [1, 0], [0.2, 0.3])["roc_auc"])


def test_ratio_rule_per_method():
    n_min, n_maj = 150, 314  # ratio 0.48 -> min_strategy 0.6, adj_strategy 0.8
    assert min_strategy(n_min, n_maj) == 0.6 and adj_strategy(n_min, n_maj) == 0.8
    assert task_ratios("ORG", n_min, n_maj) == [None]
    assert task_ratios("SM", n_min, n_maj) == [0.6, 0.8, 1.0]
    assert task_ratios("LM", n_min, n_maj) == [0.6, 0.8, 1.0]
    assert task_ratios("LS", n_min, n_maj) == [0.8, 1.0]
    assert task_ratios("LS", 90, 100) == []  # min_strategy is 1.0: no SMOTE step left
    with pytest.raises(ValueError, match="unknown method"):
        task_ratios("XX", n_min, n_maj)


def test_tasks_of_a_dataset():
    tasks = tasks_for(["haberman"], ["ORG", "SM", "LS"])
    assert [t.name for t in tasks] == [
        "general/haberman/ORG_none", "general/haberman/SM_0.4", "general/haberman/SM_0.6",
        "general/haberman/SM_0.8", "general/haberman/SM_1.0", "general/haberman/LS_0.6",
        "general/haberman/LS_0.8", "general/haberman/LS_1.0"]
    with pytest.raises(ValueError, match="unknown scenario 'one-shot'"):
        tasks_for(["haberman"], ["SM"], scenario="one-shot")


@pytest.mark.parametrize("scenario", ["few-shot", "zero-shot"])
def test_not_applicable_in_the_extreme_scenarios_is_what_fails_when_run(scenario):
    """Table 3's N/A: the rule of ``not_applicable`` agrees with running the method on every part."""
    for dataset in EXTREME_DATASETS:
        data = load_data(dataset)
        split = data.split(scenario)
        for task in tasks_for([dataset], ["ORG", "SM", "BSM", "ADA"], scenario):
            reason = not_applicable(task, data)
            failures = 0
            for part in SPLIT_NAMES:
                X, y = data.X[split.training(part)], data.y[split.training(part)]
                try:
                    if task.method == "ORG":
                        with warnings.catch_warnings():
                            warnings.simplefilter("ignore", ConvergenceWarning)
                            LogisticRegression().fit(X, y)
                    else:
                        resample(task.method, X, y, task.ratio)
                except ValueError:  # imblearn: too few neighbours; sklearn: one class only
                    failures += 1
            assert (reason is None) == (failures == 0), (task.name, reason, failures)
    smote = [t for t in tasks_for(EXTREME_DATASETS, ["SM"], scenario)]
    assert smote and all(not_applicable(t, load_data(t.dataset)) for t in smote)  # SMOTE: N/A


def test_extreme_scenarios_ratio_rule_uses_the_scenarios_training_counts():
    data = load_data("diabetes")
    n_min, n_maj = data.class_counts_train("few-shot")
    assert n_min == round(0.01 * n_maj) and data.class_counts_train("zero-shot") == (0, n_maj)
    tasks = tasks_for(["diabetes"], ["LM", "LS"], "zero-shot")
    assert [t.name for t in tasks] == [f"zero-shot/diabetes/LM_{r}" for r in ("0.2", "0.4", "0.6", "0.8", "1.0")] + [
        f"zero-shot/diabetes/LS_{r}" for r in ("0.4", "0.6", "0.8", "1.0")]
    general = tasks_for(["diabetes"], ["LM"])
    assert [t.ratio for t in general] == [0.6, 0.8, 1.0]  # 0.54 in the general scenario


def test_a_part_that_needs_no_rows_keeps_its_data():
    # soybean at 0.2: the 70 % part is below 0.2 but one CV fold is not
    data = load_data("soybean")
    train, _, folds = data.parts()
    y_train = data.y[train]
    needed = [rows_to_add(y_train[fit], 0.2) for fit, _ in folds]
    assert min(needed) <= 0 < rows_to_add(y_train, 0.2)
    fold = int(np.argmin(needed))
    X_fit, y_fit = data.X[train][folds[fold][0]], y_train[folds[fold][0]]
    for method in ("SM", "BSM", "ADA"):
        X_res, y_res, n_llm, n_smote = resample(method, X_fit, y_fit, 0.2)
        assert X_res is X_fit and n_smote == 0
    X_res, y_res, n_llm, n_smote = resample("LM", X_fit, y_fit, 0.2, seeds=np.empty((0, X_fit.shape[1])))
    assert X_res is X_fit and n_llm == 0


def test_lm_and_ls_take_the_first_seed_rows_then_smote():
    data = load_data("haberman")
    y = data.y
    seeds = np.tile(data.X[y == 1], (2, 1)) + 0.5  # stand-in LLM rows (the pools come from lsh.seeds)
    n_add = rows_to_add(y, 0.8)
    X_res, y_res, n_llm, n_smote = resample("LM", data.X, y, 0.8, seeds=seeds)
    assert n_llm == n_add and n_smote == 0
    np.testing.assert_array_equal(X_res[len(y):], seeds[:n_add])
    X_res, y_res, n_llm, n_smote = resample("LS", data.X, y, 0.8, seeds=seeds, seed_ratio=0.4)
    assert n_llm == rows_to_add(y, 0.4)
    np.testing.assert_array_equal(X_res[len(y):len(y) + n_llm], seeds[:n_llm])
    assert int(y_res.sum()) == int(y.sum()) + n_add and n_smote == n_add - n_llm
    with pytest.raises(LookupError, match="LLM rows needed"):
        resample("LM", data.X, y, 0.8, seeds=seeds[:3])


def test_task_names_and_ordering():
    task = Task("general", "haberman", "SM", 0.4)
    assert task.name == "general/haberman/SM_0.4" and Task("general", "x", "ORG", None).ratio_label == "none"
