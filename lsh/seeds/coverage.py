"""What the seed cache holds: per pool, the rows stored against what LS and LM need, and costs.

Read from the pools' manifests only (no LLM, no replay): ``lsh seeds status`` prints it, the
book shows it, and the issue notes quote it. Missing pools are listed with 0 rows, never left
out.
"""

from __future__ import annotations

import pandas as pd

from .. import paths
from ..scenarios import SCENARIOS
from .generate import plan
from .store import PoolCorruptError, pool_path, read_pool

__all__ = ["coverage", "coverage_summary"]

COLUMNS = ["scenario", "dataset", "split", "n_features", "rows", "ls_rows", "lm_rows", "ls_complete",
           "lm_complete", "rounds", "exhausted", "failed", "calls", "prompt_tokens", "completion_tokens",
           "llm_seconds", "rejected", "problem"]


def coverage(datasets=None, scenarios=SCENARIOS, *, model: str | None = None) -> pd.DataFrame:
    """One row per planned pool (every available dataset x split x scenario), in plan order.

    ``rows`` = rows stored; ``ls_rows``/``lm_rows`` = rows the LS and LM phases need;
    ``exhausted`` = the pool stopped at its round cap short of its target (the model keeps
    proposing rows that are rejected); ``failed`` = why the model cannot serve the pool (its
    prompt is longer than the model's context), else empty; ``llm_seconds`` = the summed
    latencies of the pool's live calls; ``problem`` = why a pool file could not be read (it
    then counts as empty).
    """
    root = paths.seeds_dir(model)
    records = []
    for task in plan(datasets, tuple(scenarios)):
        record = {"scenario": task.scenario, "dataset": task.dataset, "split": task.split,
                  "n_features": task.n_features, "rows": 0, "ls_rows": task.ls_rows,
                  "lm_rows": task.lm_rows, "rounds": 0, "exhausted": False, "failed": "", "calls": 0,
                  "prompt_tokens": 0, "completion_tokens": 0, "llm_seconds": 0.0, "rejected": 0, "problem": ""}
        try:
            pool = read_pool(pool_path(root, task.scenario, task.dataset, task.split))
        except PoolCorruptError as error:
            pool, record["problem"] = None, str(error)
        if pool is not None:
            usage = pool.manifest.get("usage", {})
            record.update(rows=len(pool.rows), rounds=pool.rounds_done,
                          exhausted=bool(pool.manifest.get("exhausted", False)),
                          failed=pool.manifest.get("failed", ""), calls=usage.get("calls", 0),
                          prompt_tokens=usage.get("prompt_tokens", 0),
                          completion_tokens=usage.get("completion_tokens", 0),
                          llm_seconds=float(usage.get("seconds", 0.0)),
                          rejected=sum(pool.manifest.get("rejections", {}).values()))
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=[c for c in COLUMNS if c not in ("ls_complete", "lm_complete")])
    frame.insert(7, "ls_complete", frame.rows >= frame.ls_rows)
    frame.insert(8, "lm_complete", frame.rows >= frame.lm_rows)
    return frame


def coverage_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Per scenario and phase: pools complete, rows stored/needed, tokens and seconds per row."""
    records = []
    for scenario, pools in frame.groupby("scenario", sort=False):
        stored = int(pools.rows.sum())
        tokens = int(pools.prompt_tokens.sum() + pools.completion_tokens.sum())
        seconds = float(pools.llm_seconds.sum())
        for phase in ("ls", "lm"):
            needed = pools[f"{phase}_rows"]
            records.append({
                "scenario": scenario, "phase": phase.upper(),
                "pools complete": f"{int(pools[f'{phase}_complete'].sum())} / {len(pools)}",
                "datasets complete": f"{int(pools.groupby('dataset')[f'{phase}_complete'].all().sum())}"
                                     f" / {pools.dataset.nunique()}",
                "rows stored": int(pools.rows.clip(upper=needed).sum()),
                "rows needed": int(needed.sum()),
                "tokens per stored row": round(tokens / stored, 1) if stored else None,
                "rows per LLM second": round(stored / seconds, 3) if seconds else None,
            })
    return pd.DataFrame.from_records(records)
