"""The paper's scenarios as row positions: general, few-shot (1:0.01) and zero-shot (1:0.00).

General: the protocol's stratified 70/30 split and five stratified CV folds on the 70 % part.

Few-shot and zero-shot (paper §4.2, RQ3): in the 70 % part the minority class is cut to 1 % of
the majority count (at least one row) or to nothing; the removed minority rows go to validation
and test in the proportion 14:30 (a CV validation fold holds 20 % of the 70 % part, i.e. 14 % of
the data, the test part 30 %), so that evaluation still sees minority rows. The CV folds are the
general scenario's folds without the removed rows; the removed rows meant for validation are
dealt to the five validation folds in turn and never enter any training part. Which rows are
kept and where the removed ones go is drawn with ``SPLIT_SEED``.

The four datasets (the paper does not name them): the authors' code used solar-flare (Table 5
row 21), blood-transfusion-service-center (row 29) and analcatdata_draft (row 3) plus one
dataset outside the 60; we use diabetes (row 46, Pima Indians: numeric, well known, in the
less-imbalanced group) as the fourth.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .protocol import N_FOLDS, SPLIT_NAMES, SPLIT_SEED, cv_indices, train_test_indices

__all__ = ["SCENARIOS", "EXTREME_DATASETS", "EXTREME_SHARE", "ScenarioSplit", "scenario_split",
           "training_positions"]

SCENARIOS = ("general", "few-shot", "zero-shot")
EXTREME_SHARE = {"few-shot": 0.01, "zero-shot": 0.0}
"""Minority rows kept in the training part, as a share of its majority count."""
EXTREME_DATASETS = ("analcatdata_draft", "solar-flare", "blood-transfusion-service-center", "diabetes")
VALIDATION_SHARE = 14 / 44
"""The removed minority rows that go to validation (the rest go to test): 14:30."""


@dataclass(frozen=True)
class ScenarioSplit:
    """Row positions in the whole dataset: training part, test part and the five CV folds.

    Positions keep the protocol's order (``train_test_split``'s shuffled order), which SMOTE's
    neighbour search and random draws depend on.
    """

    scenario: str
    train: np.ndarray
    test: np.ndarray
    folds: tuple[tuple[np.ndarray, np.ndarray], ...]

    def training(self, split: str) -> np.ndarray:
        """Positions an oversampler sees for ``split`` (a CV fold's fit part, or ``train``)."""
        if split == "train":
            return self.train
        if split not in SPLIT_NAMES:
            raise ValueError(f"unknown split {split!r}; expected one of {', '.join(SPLIT_NAMES)}")
        return self.folds[int(split.removeprefix("fold"))][0]


def scenario_split(y, scenario: str = "general") -> ScenarioSplit:
    """The scenario's split of a dataset with binary labels ``y`` (minority = 1)."""
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; expected one of {', '.join(SCENARIOS)}")
    y = np.asarray(y)
    train, test = train_test_indices(y)
    folds = [(train[fit], train[validation]) for fit, validation in cv_indices(y[train])]
    if scenario == "general":
        return ScenarioSplit(scenario, train, test, tuple(folds))

    random = np.random.RandomState(SPLIT_SEED)
    minority = train[y[train] == 1]
    n_majority = int(np.sum(y[train] == 0))
    keep = max(1, round(EXTREME_SHARE[scenario] * n_majority)) if EXTREME_SHARE[scenario] else 0
    kept = np.sort(random.choice(minority, keep, replace=False)) if keep else minority[:0]
    removed = random.permutation(np.setdiff1d(minority, kept))
    n_validation = round(len(removed) * VALIDATION_SHARE)
    to_validation, to_test = removed[:n_validation], removed[n_validation:]

    def without_removed(positions):  # keeps the protocol's row order
        return positions[~np.isin(positions, removed)]

    new_folds = tuple(
        (without_removed(fit), np.concatenate([without_removed(validation), to_validation[index::N_FOLDS]]))
        for index, (fit, validation) in enumerate(folds)
    )
    return ScenarioSplit(scenario, without_removed(train), np.concatenate([test, to_test]), new_folds)


def training_positions(y, split: str, scenario: str = "general") -> np.ndarray:
    """Positions of the rows an oversampler sees for ``split`` in ``scenario``."""
    return scenario_split(y, scenario).training(split)
