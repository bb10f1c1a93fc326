"""The 139 classifier configurations of the protocol (``shared/protocol.md``), with stable ids.

Order: the families as in the paper's Table 4 (LR, DT, SVM, kNN, LightGBM), and within a family
scikit-learn's ``ParameterGrid`` order (parameter names sorted, the last one varying fastest),
which is the candidate order of the ``GridSearchCV`` the authors ran per classifier. That order
decides ties in the faithful selection rule (first occurrence wins, see ``select``).

Some configurations are the same model under scikit-learn's rules, recorded in ``Config.model_key``:

- kNN: ``p`` is ignored unless ``metric="minkowski"``, and minkowski with ``p=1``/``p=2`` is
  turned into ``manhattan``/``euclidean`` when fitted: 8 distinct models of 24.
- Decision tree: scikit-learn uses ``max(min_samples_split, 2 * min_samples_leaf)``, so
  ``min_samples_split`` 2 and 4 are the same with ``min_samples_leaf=2``, and 2, 4, 6 with
  ``min_samples_leaf=3``: 24 distinct models of 36.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache

from sklearn.model_selection import ParameterGrid

__all__ = ["Config", "FAMILIES", "PARAM_GRIDS", "QUICK_PARAM_GRIDS", "CLASSIFIER_SEED", "grid",
           "grid_digest", "make_classifier"]

CLASSIFIER_SEED = 100
LR_MAX_ITER = 100000
FAMILIES = ("LR", "DT", "SVM", "kNN", "LightGBM")

PARAM_GRIDS = {
    "LR": {"C": [0.001, 0.01, 0.1, 1, 10, 100, 1000]},
    "DT": {"max_depth": [10, 20, 30, 40], "min_samples_split": [2, 4, 6], "min_samples_leaf": [1, 2, 3]},
    "SVM": {"C": [0.1, 1, 10], "kernel": ["rbf", "sigmoid"], "gamma": ["scale", "auto", 0.1, 1]},
    "kNN": {"n_neighbors": [3, 5, 7, 9], "p": [1, 2], "metric": ["euclidean", "manhattan", "minkowski"]},
    "LightGBM": {"boosting_type": ["gbdt", "dart", "goss"], "max_depth": [10, 20],
                 "learning_rate": [0.01, 0.05], "n_estimators": [50, 100, 150, 200]},
}
"""The paper's grid (Table 4 and the authors' code): 7 + 36 + 24 + 24 + 48 = 139."""

QUICK_PARAM_GRIDS = {
    "LR": {"C": [0.01, 1, 100]},
    "DT": {"max_depth": [10, 20], "min_samples_split": [2], "min_samples_leaf": [1, 3]},
    "SVM": {"C": [1, 10], "kernel": ["rbf"], "gamma": ["scale", 0.1]},
    "kNN": {"n_neighbors": [3, 5], "p": [1, 2], "metric": ["euclidean", "minkowski"]},
    "LightGBM": {"boosting_type": ["gbdt", "dart"], "max_depth": [10, 20], "learning_rate": [0.05],
                 "n_estimators": [50, 100]},
}
"""A reduced grid (27 configurations, every family and every shortcut) for tests and demos."""

GRIDS = {"full": PARAM_GRIDS, "quick": QUICK_PARAM_GRIDS}


@dataclass(frozen=True)
class Config:
    """One classifier configuration."""

    family: str
    params: tuple = field(compare=True)  # sorted (name, value) pairs
    position: int = field(default=0, compare=False)  # index in the grid's order

    @property
    def kwargs(self) -> dict:
        return dict(self.params)

    @property
    def id(self) -> str:
        """Stable id, e.g. ``SVM(C=1,gamma=scale,kernel=rbf)``."""
        inner = ",".join(f"{name}={value}" for name, value in self.params)
        return f"{self.family}({inner})"

    @property
    def model_key(self) -> str:
        """Equal for configurations that scikit-learn fits as the same model."""
        kwargs = self.kwargs
        if self.family == "kNN":
            metric = kwargs["metric"]
            if metric == "minkowski":
                metric = {1: "manhattan", 2: "euclidean"}.get(kwargs["p"], f"minkowski_p{kwargs['p']}")
            return f"kNN(metric={metric},n_neighbors={kwargs['n_neighbors']})"
        if self.family == "DT":
            split = max(kwargs["min_samples_split"], 2 * kwargs["min_samples_leaf"])
            return (f"DT(max_depth={kwargs['max_depth']},min_samples_leaf={kwargs['min_samples_leaf']},"
                    f"min_samples_split={split})")
        return self.id


@lru_cache(maxsize=None)
def grid(name: str = "full") -> tuple[Config, ...]:
    """The configurations of grid ``name`` ("full" = the paper's 139, or "quick")."""
    if name not in GRIDS:
        raise ValueError(f"unknown grid {name!r}; expected one of {', '.join(GRIDS)}")
    configs = []
    for family in FAMILIES:
        for params in ParameterGrid(GRIDS[name][family]):
            configs.append(Config(family, tuple(sorted(params.items())), len(configs)))
    return tuple(configs)


def grid_digest(name: str = "full") -> str:
    """A hash of the grid's configuration ids in order (part of the results' cache key)."""
    text = json.dumps([config.id for config in grid(name)])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def make_classifier(config: Config):
    """The scikit-learn / LightGBM estimator of a configuration, as the authors built it.

    Deviations that do not change ``predict``: ``SVC`` without ``probability=True`` (deprecated
    in scikit-learn 1.9; ROC-AUC uses ``decision_function``, which scikit-learn's ``roc_auc``
    scorer prefers anyway), LightGBM with ``n_jobs=1`` (one thread per fit, parallelism is over
    tasks; multi-threaded LightGBM on a busy 2-core machine is up to 1000x slower) and
    ``verbose=-1`` (no log lines).
    """
    kwargs = config.kwargs
    if config.family == "LR":
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(**kwargs, random_state=CLASSIFIER_SEED, max_iter=LR_MAX_ITER)
    if config.family == "DT":
        from sklearn.tree import DecisionTreeClassifier

        return DecisionTreeClassifier(**kwargs, random_state=CLASSIFIER_SEED)
    if config.family == "SVM":
        from sklearn.svm import SVC

        return SVC(**kwargs, random_state=CLASSIFIER_SEED)
    if config.family == "kNN":
        from sklearn.neighbors import KNeighborsClassifier

        return KNeighborsClassifier(**kwargs)
    if config.family == "LightGBM":
        from lightgbm import LGBMClassifier

        return LGBMClassifier(**kwargs, random_state=CLASSIFIER_SEED, n_jobs=1, verbose=-1)
    raise ValueError(f"unknown classifier family {config.family!r}")
