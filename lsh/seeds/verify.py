"""Check the committed seed pools: files against manifests, and rows against the call cache."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import paths
from .store import PoolCorruptError, read_pool

__all__ = ["VerifyReport", "verify"]


@dataclass
class VerifyReport:
    pools: int = 0
    rows: int = 0
    problems: list[str] = field(default_factory=list)
    replayed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _replay(path, pool, model) -> str | None:
    """Regenerate the pool's rounds in replay mode; None if bit-identical, else the problem."""
    from ..llm.cache import CacheMissError
    from .generate import PoolTask, pool_sampler, training_data

    if pool.rounds_done == 0:
        return None
    manifest = pool.manifest
    task = PoolTask(manifest["dataset"], manifest["scenario"], manifest["split"], len(pool.columns),
                    manifest["target_ls"], manifest["target_lm"])
    X, y = training_data(task.dataset, task.scenario, task.split)
    scout = pool_sampler(task, model, None, paths.seeds_dir(model) / "calls", pool.rounds_done)
    rounds = scout.set_params(cache_mode="replay").iter_rounds(X, y, 1)
    try:
        for round_ in rounds:  # the cap is the stored rounds: never asks for one beyond them
            if not np.array_equal(round_.rows, pool.rows_of_round(round_.index)):
                return f"{path}: round {round_.index} replays to other rows"
    except CacheMissError as error:
        return f"{path}: {error}"
    finally:
        rounds.close()
    return None


def verify(model: str | None = None, sample: int = 3, random_state: int = 0) -> VerifyReport:
    """Every pool: readable, rows match the manifest's count and hash, rounds consistent.

    A sample of ``sample`` pools (drawn with ``random_state``) is regenerated from the call cache
    without any LLM, and must reproduce its rows bit-identically.
    """
    root = paths.seeds_dir(model)
    report = VerifyReport()
    files = sorted(p for p in root.glob("*/*/*.parquet") if p.parent.parent.name != "calls")
    pools = {}
    for path in files:
        report.pools += 1
        try:
            pool = read_pool(path)
        except PoolCorruptError as error:
            report.problems.append(str(error))
            continue
        report.rows += len(pool.rows)
        if pool.rounds.size and (pool.rounds.max() >= pool.rounds_done or np.any(np.diff(pool.rounds) < 0)):
            report.problems.append(f"{path}: round numbers inconsistent with the manifest")
            continue
        pools[path] = pool
    chosen = np.random.RandomState(random_state).permutation(len(pools))[:sample]
    for index in sorted(chosen):
        path = list(pools)[index]
        problem = _replay(path, pools[path], model)
        report.replayed.append(str(path.relative_to(root)))
        if problem:
            report.problems.append(problem)
    return report
