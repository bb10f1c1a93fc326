"""RQ5's runtime study: LLM-only vs LSH, wall time and tokens per target ratio, measured live.

As in the authors' runs, LLM-only calls the LLM anew for every ratio (a fresh description,
specs and programs for each), while LSH calls it once, for the seeds up to the first ratio,
and SMOTE expands those seeds to every further ratio. Both work on the dataset's 70 %
training part (general scenario). Every call is live (``cache_mode="record"``): the point is
the time it takes; the calls are kept so the generated rows stay inspectable. Each step is
saved as soon as it is measured, so an interrupted study resumes at the next step.
"""

from __future__ import annotations

import json
import os
import platform
import time
from datetime import datetime, timezone
from importlib import metadata

from .. import paths
from ..atomic import atomic_open
from ..protocol import RATIOS, SMOTE_SEED, min_strategy
from ..samplers import LLMOversampler
from ..samplers.smote import SMOTE
from .generate import pool_seed, training_data

__all__ = ["RUNTIME_DATASETS", "measure_runtime", "runtime_path", "partial_path", "PARTIAL_SUFFIX", "load_runtime"]

RUNTIME_DATASETS = ("analcatdata_draft", "PizzaCutter1")
"""One 5-feature and one 37-feature dataset, like the paper's two (which it does not name)."""


def runtime_path(dataset: str, model: str | None = None):
    return paths.seeds_dir(model) / "runtime" / f"{dataset}.json"


def _tokens(usage: dict) -> int:
    return int(usage["prompt_tokens"] + usage["completion_tokens"])


def _llm(seed: int, ratio: float, model, base_url, calls_dir) -> LLMOversampler:
    return LLMOversampler(sampling_strategy=ratio, random_state=seed, model=model, base_url=base_url,
                          cache_dir=str(calls_dir), cache_mode="record")


PARTIAL_SUFFIX = ".partial.json"


def partial_path(dataset: str, model: str | None = None):
    """Where the steps measured so far are kept until the study of ``dataset`` is complete."""
    return runtime_path(dataset, model).with_name(dataset + PARTIAL_SUFFIX)


def _save(path, record: dict) -> None:
    with atomic_open(path, "w") as handle:
        handle.write(json.dumps(record, indent=1) + "\n")


def _resume(dataset: str, model, conditions: dict, progress) -> dict:
    """The partial record to continue, or a fresh one if none matches ``conditions``."""
    path = partial_path(dataset, model)
    if path.is_file():
        partial = json.loads(path.read_text())
        if partial.get("conditions") == conditions:
            progress(f"{dataset}: resuming, {len(partial['rows'])} step(s) already measured")
            return partial
        progress(f"{dataset}: the partial study in {path} was made under other conditions "
                 "(data, seed, ratios or library versions); starting over")
    return {"conditions": conditions, "provenance": None, "rows": []}


def _load_average() -> float:
    return round(os.getloadavg()[0], 2)


def measure_runtime(dataset: str, *, model: str | None = None, base_url: str | None = None,
                    progress=print) -> dict:
    """Measure both methods at every ratio the dataset uses; store and return the record.

    Each measured step (LM at one ratio; LS's seeds and SMOTE expansions) is saved at once, so
    an interrupted study resumes with the next step; every step is measured live, and the
    machine's 1-minute load average before it is kept with it.
    """
    X, y = training_data(dataset, "general", "train")
    n_min, n_maj = int((y == 1).sum()), int((y == 0).sum())
    first = min_strategy(n_min, n_maj)
    ratios = [r for r in RATIOS if r >= first]
    seed = pool_seed("runtime", dataset, "train")
    calls_dir = paths.seeds_dir(model) / "runtime" / "calls"
    conditions = {
        "dataset": dataset, "n_features": int(X.shape[1]), "n_minority": n_min, "n_majority": n_maj,
        "seed": seed, "ratios": ratios, "model": model, "base_url": base_url,
        "versions": {name: metadata.version(name) for name in ("lsh", "xllamacpp", "openai", "imbalanced-learn")},
    }
    partial = _resume(dataset, model, conditions, progress)
    done = {(row["method"], row["ratio"]) for row in partial["rows"]}

    def finish_step(scout, rows):
        partial["rows"].extend(rows)
        partial["provenance"] = {
            "model": scout.provenance_["model"], "endpoint_kind": scout.provenance_["endpoint_kind"],
            "sampler_params": {k: v for k, v in scout.get_params().items()
                               if k not in ("cache_dir", "base_url", "sampling_strategy")},
        }
        _save(partial_path(dataset, model), partial)

    for ratio in ratios:
        if ("LM", ratio) not in done:
            scout = _llm(seed, ratio, model, base_url, calls_dir)
            rows = _measure_llm_only(X, y, ratio, scout)
            finish_step(scout, rows)
            progress(f"{dataset} LM {ratio}: {rows[0]['seconds']:.1f} s, {rows[0]['tokens']} tokens")
    if ("LS", first) not in done:
        scout = _llm(seed, first, model, base_url, calls_dir)
        rows = _measure_lsh(X, y, ratios, scout)
        finish_step(scout, rows)
        progress(f"{dataset} LS: seeds {rows[0]['seconds']:.1f} s, then SMOTE")
    record = {
        **{key: conditions[key] for key in ("dataset", "n_features", "n_minority", "n_majority")},
        **partial["provenance"], "seed": seed,
        "machine": {"cpus": _cpus(), "platform": platform.platform()},
        "versions": conditions["versions"],
        "measured": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "rows": partial["rows"],
    }
    _save(runtime_path(dataset, model), record)
    partial_path(dataset, model).unlink()
    return record


def _measure_llm_only(X, y, ratio, scout):
    """LLM-only at one ratio: every new row comes from the LLM."""
    load = _load_average()
    started = time.perf_counter()
    X_res, _ = scout.fit_resample(X, y)
    seconds = time.perf_counter() - started
    return [{"method": "LM", "ratio": ratio, "seconds": round(seconds, 3),
             "llm_seconds": round(scout.usage_["seconds"], 3), "calls": scout.usage_["calls"],
             "tokens": _tokens(scout.usage_), "rows_added": len(X_res) - len(X), "load_before": load}]


def _measure_lsh(X, y, ratios, scout):
    """LSH at every ratio: the LLM's seeds (up to the first ratio) are made once, SMOTE expands them."""
    load = _load_average()
    started = time.perf_counter()
    X_seeded, y_seeded = scout.fit_resample(X, y)
    seed_seconds = time.perf_counter() - started
    rows = []
    for ratio in ratios:
        started = time.perf_counter()
        if ratio > ratios[0]:
            X_res, _ = SMOTE(sampling_strategy=ratio, k_neighbors=5, random_state=SMOTE_SEED).fit_resample(
                X_seeded, y_seeded)
        else:
            X_res = X_seeded
        smote_seconds = time.perf_counter() - started
        seeded_here = ratio == ratios[0]
        rows.append({"method": "LS", "ratio": ratio,
                     "seconds": round((seed_seconds if seeded_here else 0.0) + smote_seconds, 3),
                     "llm_seconds": round(scout.usage_["seconds"], 3) if seeded_here else 0.0,
                     "calls": scout.usage_["calls"] if seeded_here else 0,
                     "tokens": _tokens(scout.usage_) if seeded_here else 0,
                     "rows_added": len(X_res) - len(X), "smote_seconds": round(smote_seconds, 4),
                     "load_before": load})
    return rows


def _cpus() -> int:
    return os.cpu_count() or 1


def load_runtime(dataset: str, model: str | None = None) -> dict | None:
    """The stored measurement, or None if it was never made."""
    path = runtime_path(dataset, model)
    return json.loads(path.read_text()) if path.is_file() else None
