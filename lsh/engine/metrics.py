"""The protocol's eight metrics for a binary problem (minority = 1), from confusion counts.

Computed from the confusion matrix with the same float expressions scikit-learn uses, so F1,
precision, recall and accuracy equal ``sklearn.metrics`` bit for bit (tested). Undefined ratios
are handled explicitly instead of warning: ``zero_division`` (default 0.0, which is also the value
scikit-learn returns after its warning) for precision, recall, specificity and F1; G-mean and
balanced accuracy follow from recall and specificity (balanced accuracy averages only
the classes present in ``y_true``, as scikit-learn does); ROC-AUC is NaN when ``y_true`` has one class.

ROC-AUC takes a continuous score: ``decision_function`` where a classifier has one (LR, SVM, and
LightGBM since 4.7: the raw margin), else the minority probability (DT, kNN) - the order of
scikit-learn's ``roc_auc`` scorer. (Probabilities can tie where margins do not: the sigmoid
rounds large margins to the same float.)
"""

from __future__ import annotations

import math

import numpy as np
from sklearn.metrics import roc_auc_score

__all__ = ["METRICS", "confusion", "metrics_from_counts", "binary_metrics"]

METRICS = ("accuracy", "precision", "recall", "specificity", "f1", "gmean", "balanced_accuracy", "roc_auc")


def confusion(y_true: np.ndarray, y_pred: np.ndarray) -> tuple[int, int, int, int]:
    """(tp, fp, fn, tn) with 1 as the positive (minority) class."""
    y_true = np.asarray(y_true) == 1
    y_pred = np.asarray(y_pred) == 1
    tp = int(np.count_nonzero(y_true & y_pred))
    fp = int(np.count_nonzero(~y_true & y_pred))
    fn = int(np.count_nonzero(y_true & ~y_pred))
    return tp, fp, fn, int(y_true.size - tp - fp - fn)


def _ratio(numerator: float, denominator: int, zero_division: float) -> float:
    return float(numerator / denominator) if denominator else zero_division


def metrics_from_counts(tp: int, fp: int, fn: int, tn: int, *, zero_division: float = 0.0) -> dict:
    """All metrics except ROC-AUC."""
    precision = _ratio(float(tp), tp + fp, zero_division)
    recall = _ratio(float(tp), tp + fn, zero_division)
    specificity = _ratio(float(tn), tn + fp, zero_division)
    return {
        "accuracy": _ratio(float(tp + tn), tp + fp + fn + tn, zero_division),
        "precision": precision,
        "recall": recall,
        "specificity": specificity,
        # scikit-learn's expression: (1 + b^2) tp / ((1 + b^2) tp + b^2 fn + fp), b = 1
        "f1": _ratio(2.0 * tp, (tp + fn) + (tp + fp), zero_division),
        "gmean": math.sqrt(recall * specificity),
        "balanced_accuracy": _balanced(tp, fp, fn, tn, recall, specificity),
    }


def _balanced(tp, fp, fn, tn, recall, specificity) -> float:
    """Mean recall over the classes present in ``y_true`` (scikit-learn's definition)."""
    if tp + fn == 0:
        return specificity
    if tn + fp == 0:
        return recall
    return (specificity + recall) / 2


def binary_metrics(y_true, y_pred, score=None, *, zero_division: float = 0.0) -> dict:
    """The eight metrics of one prediction; ``score`` is needed for ROC-AUC (else NaN)."""
    result = metrics_from_counts(*confusion(y_true, y_pred), zero_division=zero_division)
    y_true = np.asarray(y_true)
    if score is None or np.unique(y_true).size < 2:
        result["roc_auc"] = float("nan")
    else:
        result["roc_auc"] = float(roc_auc_score(y_true, np.asarray(score)))
    return result
