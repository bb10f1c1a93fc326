"""The authors' experimental protocol (``shared/protocol.md``): constants and the ratio rule."""

from __future__ import annotations

import numpy as np
from sklearn.model_selection import StratifiedKFold, train_test_split

__all__ = ["RATIOS", "TEST_SIZE", "SPLIT_SEED", "CV_SEED", "N_FOLDS", "SMOTE_SEED",
           "ratio_index", "min_strategy", "adj_strategy", "SPLIT_NAMES", "train_test_indices",
           "cv_indices"]

RATIOS = (0.2, 0.4, 0.6, 0.8, 1.0)
"""Target minority/majority ratios after resampling (imbalanced-learn's float strategy)."""
TEST_SIZE = 0.3
SPLIT_SEED = 100
CV_SEED = 2
N_FOLDS = 5
SMOTE_SEED = 0


def ratio_index(n_minority: int, n_majority: int) -> int:
    """The authors' ``ind = int((n_min / n_maj) // 0.2)``: the first usable ratio's index."""
    if n_minority <= 0 or n_majority <= 0:
        return 0
    return int((n_minority / n_majority) // 0.2)


def min_strategy(n_minority: int, n_majority: int) -> float:
    """The first target ratio a dataset uses (LM, SM, and the LLM seeds of LS)."""
    index = ratio_index(n_minority, n_majority)
    if index >= len(RATIOS):
        raise ValueError(
            f"the classes are already balanced ({n_minority}/{n_majority}); no ratio applies"
        )
    return RATIOS[index]


def adj_strategy(n_minority: int, n_majority: int) -> float | None:
    """The first ratio at which LS adds SMOTE rows (None if ``min_strategy`` is the last)."""
    index = ratio_index(n_minority, n_majority) + 1
    return RATIOS[index] if index < len(RATIOS) else None


SPLIT_NAMES = tuple(f"fold{i}" for i in range(N_FOLDS)) + ("train",)
"""The six training parts an oversampler sees: the five CV training folds and the whole 70 %."""


def train_test_indices(y) -> tuple[np.ndarray, np.ndarray]:
    """Row positions of the 70 % training and 30 % test parts (stratified, ``SPLIT_SEED``)."""
    positions = np.arange(len(y))
    train, test = train_test_split(
        positions, test_size=TEST_SIZE, stratify=np.asarray(y), random_state=SPLIT_SEED
    )
    return train, test


def cv_indices(y_train) -> list[tuple[np.ndarray, np.ndarray]]:
    """(fit, validation) row positions within the training part for the five CV folds."""
    y_train = np.asarray(y_train)
    folds = StratifiedKFold(n_splits=N_FOLDS, shuffle=True, random_state=CV_SEED)
    return list(folds.split(np.zeros((len(y_train), 1)), y_train))

