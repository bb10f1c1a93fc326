"""Few-shot and zero-shot splits (RQ3) on the four chosen datasets, and the general split."""

import numpy as np
import pytest

from lsh.datasets import load_dataset
from lsh.protocol import SPLIT_NAMES, cv_indices, train_test_indices
from lsh.scenarios import EXTREME_DATASETS, scenario_split


@pytest.fixture(scope="module", params=EXTREME_DATASETS)
def labels(request):
    return request.param, load_dataset(request.param)[1].to_numpy()


def test_general_split_is_the_protocols(labels):
    _, y = labels
    split = scenario_split(y, "general")
    train, test = train_test_indices(y)
    assert np.array_equal(split.train, train) and np.array_equal(split.test, test)
    for (fit, validation), (fit_ref, validation_ref) in zip(split.folds, cv_indices(y[train])):
        assert np.array_equal(fit, train[fit_ref]) and np.array_equal(validation, train[validation_ref])


@pytest.mark.parametrize("scenario, share", [("few-shot", 0.01), ("zero-shot", 0.0)])
def test_extreme_scenarios_cut_the_minority_and_move_it_to_evaluation(labels, scenario, share):
    _, y = labels
    general, split = scenario_split(y, "general"), scenario_split(y, scenario)
    n_majority = int(np.sum(y[general.train] == 0))
    kept = int(np.sum(y[split.train] == 1))
    assert kept == (max(1, round(share * n_majority)) if share else 0)
    assert np.sum(y[split.train] == 0) == n_majority  # the majority is untouched
    removed = np.setdiff1d(general.train, split.train)
    assert (y[removed] == 1).all()
    validation = np.concatenate([v for _, v in split.folds])
    to_validation = np.setdiff1d(validation, general.train[np.isin(general.train, split.train)])
    to_test = np.setdiff1d(split.test, general.test)
    assert sorted(np.concatenate([to_validation, to_test])) == sorted(removed)
    assert len(to_validation) == round(len(removed) * 14 / 44)
    for name in SPLIT_NAMES:  # removed rows never reach any training part
        assert not np.isin(removed, split.training(name)).any()
    every_row = np.concatenate([split.train, split.test, to_validation])
    assert sorted(every_row) == list(range(len(y)))


def test_scenario_split_is_deterministic_and_checks_its_input(labels):
    _, y = labels
    first, second = scenario_split(y, "few-shot"), scenario_split(y, "few-shot")
    assert np.array_equal(first.train, second.train) and np.array_equal(first.test, second.test)
    with pytest.raises(ValueError, match="unknown scenario 'one-shot'"):
        scenario_split(y, "one-shot")
    with pytest.raises(ValueError, match="unknown split 'fold9'"):
        first.training("fold9")
