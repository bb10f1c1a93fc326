"""Tasks of the protocol: (scenario, dataset, method, ratio), their data and their oversampling.

Methods (``shared/protocol.md``):

- ``ORG`` no resampling (one task, ratio ``None``);
- ``SM``, ``BSM``, ``ADA``: SMOTE, BorderlineSMOTE, ADASYN (``k=5``, ``random_state=0``) at every
  ratio >= ``min_strategy``;
- ``LM``: LLM rows only, at every ratio >= ``min_strategy``;
- ``LS``: LLM seeds up to ``min_strategy``, then SMOTE on real + seed rows, at every ratio
  >= ``adj_strategy``.

``min_strategy``/``adj_strategy`` come from the class counts of the 70 % training part. Each of the
six training parts (``SPLIT_NAMES``: five CV training folds and the whole 70 %) is oversampled on
its own: rows to add = ``int(n_maj * r - n_min)`` on that part; a part that needs no rows (e.g.
soybean at 0.2 in one fold) keeps its data unchanged instead of failing in imbalanced-learn;
so does a part where ADASYN's rounding of per-row counts gives 0 rows (it raises "No samples
will be generated" when only a few rows are needed).
LLM rows come only from ``lsh.seeds.seed_rows``: the first rows of the part's seed pool, in
generation order.

Scenarios (:mod:`lsh.scenarios`): the few-shot and zero-shot scenarios change the training parts
(minority cut to 1 % / 0 % of the majority, removed rows moved to validation and test); the ratio
rule then uses the scenario's class counts. A task that cannot run there is *not applicable* and
is never computed (paper, Table 3: N/A): ORG when a training part has no minority row (zero-shot),
the SMOTE family when a part that needs new rows has fewer than ``k + 1`` minority rows.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..protocol import (RATIOS, SMOTE_SEED, SPLIT_NAMES, adj_strategy, cv_indices, min_strategy,
                        train_test_indices)
from ..scenarios import SCENARIOS, ScenarioSplit, scenario_split

__all__ = ["METHODS", "SMOTE_METHODS", "LLM_METHODS", "SCENARIOS", "Task", "DatasetData", "task_ratios",
           "tasks_for", "load_data", "rows_to_add", "resample", "SeedsUnavailable", "fetch_seeds",
           "protocol_resample", "not_applicable", "seed_ratio"]

METHODS = ("ORG", "SM", "BSM", "ADA", "LM", "LS")
SMOTE_METHODS = ("SM", "BSM", "ADA")
LLM_METHODS = ("LM", "LS")
K_NEIGHBORS = 5


class SeedsUnavailable(LookupError):
    """The LLM rows a task needs are not (yet) in the seed pool, or ``lsh.seeds`` is absent."""


@dataclass(frozen=True, order=True)
class Task:
    """One unit of work and of caching: all configurations of one (dataset, method, ratio)."""

    scenario: str
    dataset: str
    method: str
    ratio: float | None

    @property
    def ratio_label(self) -> str:
        return "none" if self.ratio is None else f"{self.ratio:.1f}"

    @property
    def name(self) -> str:
        return f"{self.scenario}/{self.dataset}/{self.method}_{self.ratio_label}"


@dataclass(frozen=True)
class DatasetData:
    """A dataset as the engine uses it: encode_numeric(X) as float64, y with minority = 1."""

    name: str
    X: np.ndarray
    y: np.ndarray
    raw_sha256: str

    @property
    def digest(self) -> str:
        """Hash of the encoded matrix and labels (covers the raw file, recipe and encoding)."""
        h = hashlib.sha256()
        h.update(str(self.X.shape).encode())
        h.update(np.ascontiguousarray(self.X).tobytes())
        h.update(np.ascontiguousarray(self.y, dtype=np.int64).tobytes())
        return h.hexdigest()

    def parts(self):
        """(train positions, test positions, [(fit, validation) positions within train] x 5)."""
        return _parts(self.y.tobytes(), len(self.y))

    def split(self, scenario: str = "general") -> ScenarioSplit:
        """The scenario's training, test and CV positions in the whole dataset."""
        return _split(self.y.tobytes(), len(self.y), scenario)

    def class_counts_train(self, scenario: str = "general") -> tuple[int, int]:
        y_train = self.y[self.split(scenario).train]
        return int((y_train == 1).sum()), int((y_train == 0).sum())


@lru_cache(maxsize=64)
def _parts(y_bytes: bytes, n: int):
    y = np.frombuffer(y_bytes, dtype=np.int64, count=n)
    train, test = train_test_indices(y)
    return train, test, cv_indices(y[train])


@lru_cache(maxsize=64)
def _split(y_bytes: bytes, n: int, scenario: str) -> ScenarioSplit:
    return scenario_split(np.frombuffer(y_bytes, dtype=np.int64, count=n), scenario)


@lru_cache(maxsize=128)
def load_data(dataset: str) -> DatasetData:
    """Load, encode (the authors' numeric encoding) and fingerprint a dataset."""
    from ..datasets import encode_numeric, get_info, load_dataset
    from ..datasets.loader import sha256_of

    info = get_info(dataset)
    X, y = load_dataset(info.name)
    X = np.ascontiguousarray(encode_numeric(X).to_numpy(dtype=np.float64))
    raw = info.sha256 if info.available else sha256_of(info.fetched_path)
    return DatasetData(info.name, X, np.asarray(y, dtype=np.int64), raw)


def task_ratios(method: str, n_minority: int, n_majority: int) -> list[float | None]:
    """The ratios a method runs at for a training part with these class counts."""
    if method == "ORG":
        return [None]
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
    start = min_strategy(n_minority, n_majority) if method != "LS" else adj_strategy(n_minority, n_majority)
    if start is None:
        return []
    return [r for r in RATIOS if r >= start - 1e-12]


def tasks_for(datasets, methods, scenario: str = "general") -> list[Task]:
    """All tasks of these datasets and methods, in (dataset, method order, ratio) order."""
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; the engine runs {', '.join(SCENARIOS)}")
    tasks = []
    for dataset in datasets:
        data = load_data(dataset)
        n_min, n_maj = data.class_counts_train(scenario)
        for method in methods:
            for ratio in task_ratios(method, n_min, n_maj):
                tasks.append(Task(scenario, data.name, method, ratio))
    return tasks


def rows_to_add(y: np.ndarray, ratio: float) -> int:
    """``int(n_maj * r - n_min)``: imbalanced-learn's count for a float sampling strategy."""
    n_min, n_maj = int((y == 1).sum()), int((y == 0).sum())
    return int(n_maj * ratio - n_min)


def _smote_family(method: str, ratio: float):
    from ..samplers.smote import ADASYN, SMOTE, BorderlineSMOTE

    if method == "SM":
        return SMOTE(sampling_strategy=ratio, k_neighbors=K_NEIGHBORS, random_state=SMOTE_SEED)
    if method == "BSM":
        return BorderlineSMOTE(sampling_strategy=ratio, k_neighbors=K_NEIGHBORS, random_state=SMOTE_SEED)
    if method == "ADA":
        return ADASYN(sampling_strategy=ratio, n_neighbors=K_NEIGHBORS, random_state=SMOTE_SEED)
    raise ValueError(method)


def protocol_resample(X, y, *, method: str, ratio: float | None):
    """Resampling of a SMOTE-family method or ORG (also an imblearn ``FunctionSampler`` func)."""
    if method == "ORG" or ratio is None or rows_to_add(y, ratio) <= 0:
        return X, y
    try:
        return _smote_family(method, ratio).fit_resample(X, y)
    except ValueError as error:
        # ADASYN rounds per-row counts and raises when they sum to 0 (a few rows needed)
        if method == "ADA" and "No samples will be generated" in str(error):
            return X, y
        raise


def resample(method: str, X: np.ndarray, y: np.ndarray, ratio: float | None, *,
             seeds: np.ndarray | None = None, seed_ratio: float | None = None):
    """The training data of one part after the method's oversampling.

    ``seeds`` are the LLM rows for this part (LM: exactly ``rows_to_add(y, ratio)`` rows; LS:
    ``rows_to_add(y, seed_ratio)`` rows, ``seed_ratio`` = the dataset's ``min_strategy``).
    Returns ``(X, y, n_llm_rows, n_smote_rows)``.
    """
    if method in ("ORG",) + SMOTE_METHODS:
        X_res, y_res = protocol_resample(X, y, method=method, ratio=ratio)
        return X_res, y_res, 0, len(y_res) - len(y)
    if method == "LM":
        n_add = max(rows_to_add(y, ratio), 0)
        X_res, y_res = _append(X, y, seeds, n_add)
        return X_res, y_res, n_add, 0
    if method == "LS":
        n_seed = max(rows_to_add(y, seed_ratio), 0)
        X_seeded, y_seeded = _append(X, y, seeds, n_seed)
        X_res, y_res = protocol_resample(X_seeded, y_seeded, method="SM", ratio=ratio)
        return X_res, y_res, n_seed, len(y_res) - len(y_seeded)
    raise ValueError(f"unknown method {method!r}")


def _append(X, y, seeds, n):
    if n <= 0:
        return X, y
    if seeds is None or len(seeds) < n:
        raise SeedsUnavailable(f"{n} LLM rows needed, {0 if seeds is None else len(seeds)} given")
    rows = np.asarray(seeds[:n], dtype=np.float64)
    if rows.shape[1] != X.shape[1]:
        raise ValueError(f"seed rows have {rows.shape[1]} features, the data {X.shape[1]}")
    return np.vstack([X, rows]), np.concatenate([y, np.ones(n, dtype=y.dtype)])


def seed_ratio(task: Task, data: DatasetData) -> float | None:
    """LS: the ratio its LLM seeds fill up to (``min_strategy`` of the scenario's training part)."""
    return min_strategy(*data.class_counts_train(task.scenario)) if task.method == "LS" else None


def seed_counts(task: Task, data: DatasetData) -> dict[str, int]:
    """LLM rows a task needs per training part (empty for non-LLM methods)."""
    if task.method not in LLM_METHODS:
        return {}
    split = data.split(task.scenario)
    ratio = task.ratio if task.method == "LM" else seed_ratio(task, data)
    return {part: max(rows_to_add(data.y[split.training(part)], ratio), 0) for part in SPLIT_NAMES}


def not_applicable(task: Task, data: DatasetData) -> str | None:
    """Why a task cannot run in its scenario (paper, Table 3: N/A), or None if it can."""
    split = data.split(task.scenario)
    minority = {part: int(data.y[split.training(part)].sum()) for part in SPLIT_NAMES}
    if task.method == "ORG":
        empty = [part for part, n in minority.items() if n == 0]
        if empty:
            return (f"no minority row in training part(s) {', '.join(empty)}: a classifier needs "
                    "both classes")
    if task.method in SMOTE_METHODS:
        needed = {part: rows_to_add(data.y[split.training(part)], task.ratio) for part in SPLIT_NAMES}
        short = [f"{part} has {minority[part]}" for part in SPLIT_NAMES
                 if needed[part] > 0 and minority[part] <= K_NEIGHBORS]
        if short:
            return (f"SMOTE-family (k = {K_NEIGHBORS}) needs at least {K_NEIGHBORS + 1} minority rows; "
                    + ", ".join(short))
    return None


def fetch_seeds(task: Task, data: DatasetData) -> dict[str, np.ndarray]:
    """The LLM rows of every training part, through ``lsh.seeds.seed_rows`` only.

    Raises ``SeedsUnavailable`` when ``lsh.seeds`` is missing or a pool holds too few rows.
    """
    counts = seed_counts(task, data)
    if not counts:
        return {}
    try:
        from .. import seeds as seed_module
    except ImportError as error:
        raise SeedsUnavailable(f"lsh.seeds is not available ({error})") from error
    missing_error = getattr(seed_module, "SeedsMissingError", LookupError)
    pools = {}
    for split, n in counts.items():
        if n <= 0:
            pools[split] = np.empty((0, data.X.shape[1]))
            continue
        try:
            rows = seed_module.seed_rows(data.name, split, n, scenario=task.scenario)
        except missing_error as error:
            raise SeedsUnavailable(str(error)) from error
        rows = np.asarray(rows, dtype=np.float64)
        if rows.shape != (n, data.X.shape[1]):
            raise ValueError(f"seed_rows({data.name!r}, {split!r}, {n}) returned shape {rows.shape}, "
                             f"expected {(n, data.X.shape[1])}")
        pools[split] = rows
    return pools


def seeds_digest(pools: dict[str, np.ndarray]) -> str | None:
    """Hash of the LLM rows actually used (None without LLM rows)."""
    if not pools:
        return None
    h = hashlib.sha256()
    for split in sorted(pools):
        h.update(split.encode())
        h.update(str(pools[split].shape).encode())
        h.update(np.ascontiguousarray(pools[split], dtype=np.float64).tobytes())
    return h.hexdigest()
