"""LLM seed pools: generated once per dataset, split and scenario, replayed by everything else.

``seed_rows`` is how the experiment engine reads them: the first ``n_rows`` rows of a pool, in
generation order. A pool that does not hold enough rows raises ``SeedsMissingError``; nothing
is ever filled in.
"""

from __future__ import annotations

from .. import paths
from .coverage import coverage, coverage_summary
from .generate import PHASES, GenerationSummary, PoolMismatchError, PoolTask, fill_pool, generate, plan
from .store import Pool, PoolCorruptError, pool_path, read_pool, rows_sha256
from .verify import verify

__all__ = ["PHASES", "GenerationSummary", "coverage", "coverage_summary", "Pool", "PoolCorruptError", "PoolMismatchError", "PoolTask",
           "SeedsMissingError", "fill_pool", "generate", "plan", "pool_digest", "read_pool",
           "seed_rows", "verify"]


class SeedsMissingError(LookupError):
    """The seed pool does not (yet) hold the rows asked for."""


def seed_rows(dataset: str, split: str, n_rows: int, *, scenario: str = "general", model: str | None = None):
    """The first ``n_rows`` LLM rows of a pool (float array in the encoded feature space)."""
    path = pool_path(paths.seeds_dir(model), scenario, dataset, split)
    pool = read_pool(path)
    have = 0 if pool is None else len(pool.rows)
    if have < n_rows:
        command = f"lsh seeds generate --datasets {dataset}"
        if scenario != "general":
            command += f" --scenarios {scenario}"
        short = f"seed pool {scenario}/{dataset}/{split} holds {have} rows, {n_rows} are needed"
        if pool is not None and pool.manifest.get("failed"):
            raise SeedsMissingError(f"{short}; the model cannot serve this pool: {pool.manifest['failed']}")
        if pool is not None and pool.manifest.get("exhausted"):
            rejected = ", ".join(f"{reason} {count}" for reason, count
                                 in sorted(pool.manifest.get("rejections", {}).items()))
            raise SeedsMissingError(
                f"{short}; the pool is exhausted: {pool.rounds_done} rounds found no more acceptable "
                f"rows (rejected: {rejected or 'none'}); {command} --max-rounds N tries further")
        raise SeedsMissingError(f"{short} (generate them with: {command}; add --phase lm for the LLM-only ratios)")
    return pool.rows[:n_rows].copy()


def pool_digest(dataset: str, split: str, n_rows: int, *, scenario: str = "general",
                model: str | None = None) -> str:
    """Hash of exactly the rows ``seed_rows`` returns (extending a pool leaves it unchanged)."""
    return rows_sha256(seed_rows(dataset, split, n_rows, scenario=scenario, model=model))
