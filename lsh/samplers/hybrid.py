"""LSH: LLM seeds (the Scout) up to ``seed_ratio``, then SMOTE (the Surveyor) to the target."""

from __future__ import annotations

import numbers
from collections import Counter

import numpy as np
import pandas as pd
from imblearn.over_sampling.base import BaseOverSampler
from sklearn.base import clone
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from ..protocol import min_strategy
from .base import LLMBasedOverSampler
from .llm import LLMOversampler
from .smote import SMOTE

__all__ = ["LSHOversampler"]


class LSHOversampler(LLMBasedOverSampler):
    """The LLM-SMOTE hybrid of the paper.

    For every class to oversample, an LLM oversampler writes seed rows until the class reaches
    ``seed_ratio`` of the majority; SMOTE then interpolates between the real rows and the seeds
    until ``sampling_strategy`` is reached. If the target is at or below the seed ratio, all new
    rows are LLM rows (LS then equals LLM-only, as in the paper).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        As in imbalanced-learn: the final class sizes.
    seed_ratio : float or "auto", default="auto"
        Class size / majority size reached with LLM seeds. "auto" is the protocol's
        ``min_strategy``: the first of 0.2, 0.4, ..., 1.0 above the current ratio.
    llm : LLMOversampler or None, default=None
        The Scout (its ``sampling_strategy`` is ignored); None means ``LLMOversampler()``.
    k_neighbors : int, default=5
        SMOTE's neighbours, over real rows and seeds.
    small_class : {"error", "reduce_k"}, default="error"
        What SMOTE does when real rows plus seeds are fewer than ``k_neighbors + 1``.
    random_state : int, RandomState instance or None, default=None
        Passed to the Scout and to SMOTE.
    zero_shot_class : int or None, default=None
        A class that may be absent from ``y``: its seeds come from the Scout in zero-shot mode.

    Attributes
    ----------
    n_seeds_ : dict
        LLM rows per class.
    scout_ : LLMOversampler
        The fitted Scout (its ``rejections_``, ``usage_``, ``provenance_``).
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "seed_ratio": [Interval(numbers.Real, 0, 1, closed="right"), StrOptions({"auto"})],
        "llm": [HasMethods(["fit_resample"]), None],
        "k_neighbors": [Interval(numbers.Integral, 1, None, closed="left")],
        "small_class": [StrOptions({"error", "reduce_k"})],
        "zero_shot_class": [numbers.Integral, str, None],
    }

    def __init__(self, *, sampling_strategy="auto", seed_ratio="auto", llm=None, k_neighbors=5,
                 small_class="error", random_state=None, zero_shot_class=None):
        super().__init__(sampling_strategy=sampling_strategy)
        self.seed_ratio = seed_ratio
        self.llm = llm
        self.k_neighbors = k_neighbors
        self.small_class = small_class
        self.random_state = random_state
        self.zero_shot_class = zero_shot_class

    def _scout(self, sampling_strategy) -> LLMOversampler:
        scout = clone(self.llm) if self.llm is not None else LLMOversampler()
        return scout.set_params(sampling_strategy=sampling_strategy, random_state=self.random_state,
                                zero_shot_class=self.zero_shot_class)

    def _surveyor(self, sampling_strategy) -> SMOTE:
        return SMOTE(sampling_strategy=sampling_strategy, random_state=self.random_state,
                     k_neighbors=self.k_neighbors, small_class=self.small_class)

    def _seed_targets(self, counts: Counter, targets: dict) -> dict:
        """Seeds per class: up to ``seed_ratio`` of the majority, never beyond the target."""
        n_majority = max(counts.values())
        seeds = {}
        for label, n_new in targets.items():
            ratio = self.seed_ratio
            if ratio == "auto":
                ratio = min_strategy(counts.get(label, 0), n_majority)
            seeds[label] = int(min(n_new, max(0, int(n_majority * ratio) - counts.get(label, 0))))
        return seeds

    def _fit_resample(self, X, y):
        counts = Counter(y)
        targets = {label: n for label, n in self.sampling_strategy_.items() if n > 0}
        self.n_seeds_ = self._seed_targets(counts, targets)
        columns = getattr(self, "feature_names_in_", None)
        frame = pd.DataFrame(X, columns=columns) if columns is not None else X
        # imbalanced-learn's dict strategy gives class sizes after resampling, not new rows
        self.scout_ = self._scout({label: counts[label] + n for label, n in self.n_seeds_.items() if n > 0})
        if any(self.n_seeds_.values()):
            X_seeded, y_seeded = self.scout_.fit_resample(frame, y)
            X_seeded = np.asarray(X_seeded, dtype=X.dtype)
            y_seeded = np.asarray(y_seeded, dtype=y.dtype)
        else:
            X_seeded, y_seeded = X, y
        if all(self.n_seeds_[label] == targets[label] for label in targets):
            return X_seeded, y_seeded
        final = {label: counts[label] + targets[label] for label in targets}
        return self._surveyor(final).fit_resample(X_seeded, y_seeded)

    def _zero_shot_resample(self, X, y):
        self._validate_params()
        if not isinstance(self.sampling_strategy, numbers.Real):
            raise ValueError("zero-shot resampling needs a float sampling_strategy (ratio to the majority)")
        y_array = np.asarray(y)
        n_majority = max(Counter(y_array).values())
        n_target = int(n_majority * self.sampling_strategy)
        ratio = min_strategy(0, n_majority) if self.seed_ratio == "auto" else self.seed_ratio
        n_seeds = min(n_target, int(n_majority * ratio))
        self.n_seeds_ = {self.zero_shot_class: n_seeds}
        self.scout_ = self._scout({self.zero_shot_class: n_seeds})
        X_seeded, y_seeded = self.scout_.fit_resample(X, y)
        if n_target == n_seeds:
            return X_seeded, y_seeded
        surveyor = self._surveyor({self.zero_shot_class: n_target})
        return surveyor.fit_resample(X_seeded, y_seeded)
