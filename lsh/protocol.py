"""The authors' experimental protocol (``shared/protocol.md``): constants and the ratio rule."""

from __future__ import annotations

__all__ = ["RATIOS", "TEST_SIZE", "SPLIT_SEED", "CV_SEED", "N_FOLDS", "SMOTE_SEED",
           "ratio_index", "min_strategy", "adj_strategy"]

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
