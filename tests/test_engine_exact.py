"""The fast runner's shortcuts are exact: the same scores as GridSearchCV(Pipeline(sampler, clf)).

On real shipped datasets with the reduced ("quick") grid, which exercises every shortcut:
oversampling once per part, duplicate kNN/DT models, decision-tree depth reuse, LightGBM
``num_iteration`` truncation and the dart callback, the lean logistic regression. The full
139-config comparison on four datasets is ``benchmarks/engine_speed.py``.
"""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from lsh.engine.evaluate import evaluate_task
from lsh.engine.lr import fit_logistic, lean_path_available
from lsh.engine.metrics import METRICS
from lsh.engine.naive import naive_task
from lsh.engine.tasks import Task, load_data, resample

SCORES = [f"val_{m}" for m in METRICS] + [f"val_f1_fold{i}" for i in range(5)]


@pytest.mark.parametrize("dataset", ["vertebra-column", "CastMetal1"])
def test_lean_logistic_regression_is_bitwise_scikit_learn(dataset):
    assert lean_path_available()
    data = load_data(dataset)
    train, _, folds = data.parts()
    fit, val = folds[0]
    X, y, _, _ = resample("SM", data.X[train][fit], data.y[train][fit], 1.0)
    for C in (0.01, 100):
        # one BLAS thread, as in the engine (two threads on a busy 2-core machine crawl)
        with warnings.catch_warnings(), threadpool_limits(limits=1):
            warnings.simplefilter("ignore", ConvergenceWarning)
            reference = LogisticRegression(C=C, random_state=100, max_iter=100000).fit(X, y)
            lean = fit_logistic(X, y, C=C, random_state=100)
        assert np.array_equal(lean.coef_, reference.coef_)
        assert np.array_equal(lean.intercept_, reference.intercept_)
        assert lean.n_iter_[0] == reference.n_iter_[0]
        X_val = data.X[train][val]
        assert np.array_equal(lean.decision_function(X_val), reference.decision_function(X_val))


@pytest.mark.parametrize("dataset, method, ratio", [
    ("haberman", "SM", 0.4),
    ("soybean", "SM", 0.2),  # one fold needs no new rows
    ("car", "BSM", 0.6),  # categorical features (codes), many distance ties for kNN
    ("vertebra-column", "ORG", None),
])
def test_fast_runner_equals_grid_search(dataset, method, ratio):
    data = load_data(dataset)
    task = Task("general", data.name, method, ratio)
    naive = naive_task(task, data.X, data.y, grid_name="quick")
    fast, info = evaluate_task(task, data.X, data.y, grid_name="quick")
    assert list(fast.config_id) == list(naive.config_id)
    for column in SCORES:
        assert np.array_equal(fast[column].to_numpy(), naive[column].to_numpy()), column
    best = naive[naive.family_best]
    refit = fast.set_index("config_id").loc[best.config_id]
    assert refit.refit.all()
    assert np.array_equal(refit.test_f1.to_numpy(), best.test_f1.to_numpy())
    assert info["fits"] < len(fast) * 5  # shortcuts fitted fewer models than configs x folds
