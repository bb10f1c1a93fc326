"""What the LLM-based samplers share on top of imbalanced-learn's ``BaseOverSampler``."""

from __future__ import annotations

import numpy as np
import pandas as pd
from imblearn.over_sampling.base import BaseOverSampler

__all__ = ["LLMBasedOverSampler"]


class LLMBasedOverSampler(BaseOverSampler):
    """Dense input only, and a zero-shot path for a class absent from ``y``.

    Subclasses define ``zero_shot_class`` and ``_zero_shot_resample(X, y)``.
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False  # rows are written as dense CSV for the prompts
        tags.non_deterministic = self.random_state is None
        return tags

    def _check_X_y(self, X, y, accept_sparse=None):
        if isinstance(X, pd.DataFrame) and any(isinstance(d, pd.SparseDtype) for d in X.dtypes):
            X = X.sparse.to_dense()  # the output is converted back to the input's dtypes
        return super()._check_X_y(X, y, accept_sparse=False)

    def fit_resample(self, X, y, **params):
        """Resample; with ``zero_shot_class`` absent from ``y``, generate that class from nothing."""
        if self.zero_shot_class is not None and self.zero_shot_class not in set(np.unique(np.asarray(y))):
            return self._zero_shot_resample(X, y)
        return super().fit_resample(X, y, **params)
