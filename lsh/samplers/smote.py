"""SMOTE, BorderlineSMOTE and ADASYN from imbalanced-learn, with a clear answer for tiny classes.

imbalanced-learn fails deep inside ``NearestNeighbors`` ("Expected n_neighbors <= n_samples_fit")
when a class to oversample has fewer rows than ``k_neighbors + 1``. These subclasses check
first: with ``small_class="error"`` (default) they raise ``SmoteNotApplicableError`` naming
the class, its size and what is needed; with ``small_class="reduce_k"`` they use
``k = n_rows - 1`` for that fit (recorded in ``k_neighbors_used_``), which needs two rows.
A class with no rows at all (zero-shot) is never applicable. The interpolation itself is
imbalanced-learn's, unchanged.
"""

from __future__ import annotations

import numbers
from collections import Counter

import numpy as np

from imblearn import over_sampling
from sklearn.neighbors import NearestNeighbors
from sklearn.utils._param_validation import StrOptions

__all__ = ["ADASYN", "BorderlineSMOTE", "SMOTE", "SmoteNotApplicableError"]


class SmoteNotApplicableError(ValueError):
    """A SMOTE-type method cannot run on this data (too few or no rows of a class)."""


class _SmallClassGuard:
    """Check class sizes before imbalanced-learn builds its neighbour search."""

    _neighbors_param = "k_neighbors"
    _estimator_attribute = "nn_k_"

    def _smallest_class(self, y) -> tuple[object, int] | None:
        counts = Counter(y)
        wanted = [label for label, n in self.sampling_strategy_.items() if n > 0]
        if not wanted:
            return None
        label = min(wanted, key=lambda c: counts.get(c, 0))
        return getattr(label, "item", lambda: label)(), counts.get(label, 0)

    def fit_resample(self, X, y, **params):
        if len(np.unique(np.asarray(y))) == 1:
            raise SmoteNotApplicableError(
                f"{type(self).__name__} is not applicable: y holds one class only, so there are no "
                "rows of the class to oversample (zero-shot)"
            )
        return super().fit_resample(X, y, **params)

    def _fit_resample(self, X, y):
        requested = getattr(self, self._neighbors_param)
        self.k_neighbors_used_ = requested
        smallest = self._smallest_class(y)
        if isinstance(requested, numbers.Integral) and smallest is not None:
            label, size = smallest
            name = type(self).__name__
            if size == 0:
                raise SmoteNotApplicableError(f"{name} is not applicable: class {label!r} has no rows")
            if size < requested + 1:
                if self.small_class == "error" or size < 2:
                    raise SmoteNotApplicableError(
                        f"{name} needs {self._neighbors_param} + 1 = {requested + 1} rows of class "
                        f"{label!r}, which has {size}. Lower {self._neighbors_param}, or pass "
                        "small_class='reduce_k' to use k = rows - 1 (needs 2 rows)."
                    )
                self.k_neighbors_used_ = size - 1
        return super()._fit_resample(X, y)

    def _validate_estimator(self):
        super()._validate_estimator()
        if self.k_neighbors_used_ != getattr(self, self._neighbors_param):
            setattr(self, self._estimator_attribute, NearestNeighbors(n_neighbors=self.k_neighbors_used_ + 1))


_SMALL_CLASS = {"small_class": [StrOptions({"error", "reduce_k"})]}


class SMOTE(_SmallClassGuard, over_sampling.SMOTE):
    """imbalanced-learn's SMOTE with a clear error (or documented fallback) for tiny classes."""

    _parameter_constraints = {**over_sampling.SMOTE._parameter_constraints, **_SMALL_CLASS}

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=5, small_class="error"):
        super().__init__(sampling_strategy=sampling_strategy, random_state=random_state, k_neighbors=k_neighbors)
        self.small_class = small_class


class BorderlineSMOTE(_SmallClassGuard, over_sampling.BorderlineSMOTE):
    """imbalanced-learn's BorderlineSMOTE with a clear error (or fallback) for tiny classes."""

    _parameter_constraints = {**over_sampling.BorderlineSMOTE._parameter_constraints, **_SMALL_CLASS}

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=5, m_neighbors=10,
                 kind="borderline-1", small_class="error"):
        super().__init__(sampling_strategy=sampling_strategy, random_state=random_state,
                         k_neighbors=k_neighbors, m_neighbors=m_neighbors, kind=kind)
        self.small_class = small_class


class ADASYN(_SmallClassGuard, over_sampling.ADASYN):
    """imbalanced-learn's ADASYN with a clear error (or fallback) for tiny classes."""

    _neighbors_param = "n_neighbors"
    _estimator_attribute = "nn_"
    _parameter_constraints = {**over_sampling.ADASYN._parameter_constraints, **_SMALL_CLASS}

    def __init__(self, *, sampling_strategy="auto", random_state=None, n_neighbors=5, small_class="error"):
        super().__init__(sampling_strategy=sampling_strategy, random_state=random_state, n_neighbors=n_neighbors)
        self.small_class = small_class
