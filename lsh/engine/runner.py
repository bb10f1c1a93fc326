"""Run tasks: plan (cache lookup, seeds), compute in parallel (joblib or Dask), write results.

``run`` is what ``lsh run`` calls. Tasks are independent; each worker receives the encoded data
and the LLM rows it needs (workers need no data files, so a remote Dask cluster only needs the
``lsh`` package), computes with one thread (BLAS, OpenMP and LightGBM limited to 1; parallelism
is across tasks) and returns the per-config frame. The calling process writes each result as it
arrives, so an interrupted run keeps every finished task and the next run resumes.

Schedulers: ``jobs`` worker processes with joblib's loky backend (default), or joblib's Dask
backend on ``scheduler`` ("local" starts a ``LocalCluster`` of ``jobs`` single-threaded worker
processes; "tcp://host:port" connects to a running scheduler). Results do not depend on the
scheduler: same inputs, byte-identical files.
"""

from __future__ import annotations

import contextlib
import platform
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import cache
from .tasks import (LLM_METHODS, SeedsUnavailable, Task, fetch_seeds, load_data, not_applicable,
                    seed_ratio, seeds_digest, tasks_for)

__all__ = ["PlannedTask", "RunSummary", "plan", "run", "compute", "verify", "PROFILES"]

PROFILES = {
    "quick": {"grid": "quick",
              "datasets": ("haberman", "vertebra-column", "analcatdata_draft", "soybean")},
    "paper": {"grid": "full", "datasets": None},  # None = every available dataset
}


@dataclass
class PlannedTask:
    task: Task
    path: Path
    inputs: dict | None = None
    status: str = "todo"  # todo | cached | missing | not applicable
    reason: str = ""
    pools: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return cache.key_of(self.inputs)


@dataclass
class RunSummary:
    computed: list = field(default_factory=list)
    reused: list = field(default_factory=list)
    missing: list = field(default_factory=list)  # (task, reason)
    not_applicable: list = field(default_factory=list)  # (task, reason)
    failed: list = field(default_factory=list)  # (task, message)
    seconds: float = 0.0

    def text(self) -> str:
        lines = [f"{len(self.computed)} computed, {len(self.reused)} reused, {len(self.missing)} missing, "
                 + (f"{len(self.not_applicable)} not applicable, " if self.not_applicable else "")
                 + f"{len(self.failed)} failed in {self.seconds:.1f} s"]
        for label, listed in (("missing", self.missing), ("N/A", self.not_applicable)):
            groups: dict = {}
            for task, reason in listed:
                groups.setdefault((task.scenario, task.dataset, task.method), []).append((task, reason))
            for (scenario, dataset, method), members in groups.items():
                ratios = ", ".join(task.ratio_label for task, _ in members)
                lines.append(f"  {label:<7} {scenario}/{dataset}/{method} at {ratios}: {members[0][1]}")
        for task, message in self.failed:
            lines.append(f"  failed  {task.name}: {message}")
        return "\n".join(lines)


def default_datasets() -> list[str]:
    from ..datasets import registry

    return [info.name for info in registry() if info.available]


def plan(tasks: list[Task], grid_name: str, *, root: Path | None = None, force: bool = False) -> list[PlannedTask]:
    """Cache key of every task; which are cached, to compute, or missing LLM rows."""
    planned = []
    for task in tasks:
        data = load_data(task.dataset)
        item = PlannedTask(task, cache.result_path(task, grid_name, root))
        reason = not_applicable(task, data)
        if reason is not None:
            item.status, item.reason = "not applicable", reason
            planned.append(item)
            continue
        try:
            item.pools = fetch_seeds(task, data) if task.method in LLM_METHODS else {}
        except SeedsUnavailable as error:
            item.status, item.reason = "missing", str(error)
            planned.append(item)
            continue
        item.inputs = cache.task_inputs(task, raw_sha256=data.raw_sha256, data_digest=_digest(data),
                                        seeds_digest=seeds_digest(item.pools), grid_name=grid_name)
        if not force:
            meta = cache.read_meta(item.path)
            if meta is not None and meta.get("key") == item.key:
                item.status = "cached"
        planned.append(item)
    return planned


_DIGESTS: dict[str, str] = {}


def _digest(data) -> str:
    if data.name not in _DIGESTS:
        _DIGESTS[data.name] = data.digest
    return _DIGESTS[data.name]


def _payload(item: PlannedTask, grid_name: str):
    data = load_data(item.task.dataset)
    return (item.task, data.X, data.y, item.pools, seed_ratio(item.task, data), grid_name)


def compute(payload, families=None):
    """Worker: evaluate one task (or some of its classifier families).

    Returns (task, families, frame or None, info or error message).
    """
    from .evaluate import evaluate_task

    task, X, y, pools, seed_ratio, grid_name = payload
    try:
        frame, info = evaluate_task(task, X, y, pools, seed_ratio=seed_ratio, grid_name=grid_name,
                                    families=families)
    except Exception as error:  # reported per task; the run goes on
        last = traceback.format_exception_only(type(error), error)[-1].strip()
        return task, families, None, last
    return task, families, frame, info


@contextlib.contextmanager
def _backend(jobs: int, scheduler: str | None):
    """joblib parallel configuration: loky processes, or the Dask backend."""
    import joblib

    if scheduler is None:
        with joblib.parallel_config(backend="loky", n_jobs=jobs):
            yield f"{jobs} local process(es)"
        return
    from dask.distributed import Client, LocalCluster

    if scheduler == "local":
        with LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            with joblib.parallel_config(backend="dask", n_jobs=-1):
                yield f"Dask LocalCluster ({len(client.scheduler_info()['workers'])} workers)"
        return
    try:
        client = Client(scheduler, timeout="3s")
    except OSError as error:
        raise ConnectionError(f"cannot reach Dask scheduler {scheduler}: {error}") from error
    with client, joblib.parallel_config(backend="dask", n_jobs=-1):
        yield f"Dask scheduler {scheduler} ({len(client.scheduler_info()['workers'])} workers)"


def _order_by_cost(items: list[PlannedTask]) -> list[PlannedTask]:
    """Largest first (rows x features), so that long tasks do not start last."""
    def cost(item):
        X = load_data(item.task.dataset).X
        return -(X.shape[0] * (X.shape[1] + 10) * (1 + (item.task.ratio or 0)))
    return sorted(items, key=cost)


UNIT_ORDER = ("LR", "SVM", "LightGBM", "DT", "kNN")
"""Jobs of a large task are (task, classifier family), the heavy families first."""


def _jobs(item: PlannedTask, families: list[str]) -> list[list[str]]:
    """One job per family for a large task (so that they run in parallel), else one job."""
    rows, features = load_data(item.task.dataset).X.shape
    if rows >= 1000 or features >= 15:
        return [[family] for family in families]
    return [list(families)]


def run(datasets=None, methods=None, *, grid_name: str = "full", scenario: str = "general",
        jobs: int = 1, scheduler: str | None = None, force: bool = False, root: Path | None = None,
        progress: bool = True, on_result=None) -> RunSummary:
    """Compute every task that is not cached; write each result as soon as it is done.

    A large task is split into one job per classifier family, so that its families run in
    parallel; its file is written when its last family is done.
    """
    from joblib import Parallel, delayed
    from tqdm.auto import tqdm

    from .evaluate import merge_families
    from .grid import grid
    from .tasks import METHODS

    started = time.perf_counter()
    summary = RunSummary()
    tasks = tasks_for(datasets or default_datasets(), methods or METHODS, scenario)
    planned = plan(tasks, grid_name, root=root, force=force)
    by_task = {item.task: item for item in planned}
    summary.reused = [item.task for item in planned if item.status == "cached"]
    summary.missing = [(item.task, item.reason) for item in planned if item.status == "missing"]
    summary.not_applicable = [(item.task, item.reason) for item in planned if item.status == "not applicable"]
    todo = _order_by_cost([item for item in planned if item.status == "todo"])
    present = {config.family for config in grid(grid_name)}
    families = [family for family in UNIT_ORDER if family in present]
    if todo:
        bar = tqdm(total=len(todo), unit="task", disable=not progress, dynamic_ncols=True,
                   desc=f"{len(summary.reused)} reused; computing")
        parts: dict[Task, list] = {item.task: [] for item in todo}
        failed: set[Task] = set()
        with _backend(jobs, scheduler) as where:
            bar.set_postfix_str(where)
            parallel = Parallel(return_as="generator_unordered")
            units = (delayed(compute)(_payload(item, grid_name), job) for item in todo for job in _jobs(item, families))
            expected = {item.task: len(_jobs(item, families)) for item in todo}
            for task, _, frame, info in parallel(units):
                item = by_task[task]
                if frame is None:
                    if task not in failed:
                        failed.add(task)
                        summary.failed.append((task, info))
                        bar.update(1)
                    continue
                parts[task].append((frame, info))
                if len(parts[task]) < expected[task] or task in failed:
                    continue
                frame, info = merge_families(parts.pop(task))
                cache.write_result(item.path, frame, item.inputs)
                cache.append_timing(root, grid_name, {
                    "task": task.name, "key": item.key, "seconds": info["seconds"],
                    "cpu_seconds": info["cpu_seconds"], "fits": info["fits"],
                    "rows_added": info["rows_added"], "host": platform.node(), "where": where,
                    "finished": time.strftime("%Y-%m-%dT%H:%M:%S")})
                summary.computed.append(task)
                bar.update(1)
                if on_result is not None:
                    on_result(task)
        bar.close()
    summary.seconds = time.perf_counter() - started
    return summary


def verify(sample: int, *, grid_name: str = "full", root: Path | None = None, seed: int = 0,
           progress: bool = True) -> list[tuple[Task, str]]:
    """Recompute ``sample`` randomly chosen cached tasks; (task, verdict) per task.

    Verdicts: "identical", "DIFFERENT (...)", "stale" (its inputs changed since it was computed:
    ``lsh run`` would recompute it anyway).
    """
    import pandas as pd

    base = cache.results_root(root) / grid_name
    files = sorted(base.glob("*/*/*.parquet"))
    if not files:
        raise FileNotFoundError(f"no cached results under {base}")
    rng = np.random.default_rng(seed)
    chosen = [files[i] for i in sorted(rng.choice(len(files), size=min(sample, len(files)), replace=False))]
    verdicts = []
    for path in chosen:
        frame, meta = cache.read_result(path)
        spec = meta["inputs"]["task"]
        task = Task(spec["scenario"], spec["dataset"], spec["method"], spec["ratio"])
        (item,) = plan([task], grid_name, root=root, force=True)
        if item.status in ("missing", "not applicable") or item.key != meta["key"]:
            verdicts.append((task, "stale"))
            continue
        _, _, fresh, info = compute(_payload(item, grid_name))
        if fresh is None:
            verdicts.append((task, f"DIFFERENT (recomputation failed: {info})"))
            continue
        try:
            pd.testing.assert_frame_equal(frame, fresh, check_exact=True)
            verdicts.append((task, "identical"))
        except AssertionError as error:
            verdicts.append((task, "DIFFERENT (" + " ".join(str(error).split())[:200] + ")"))
    return verdicts
