"""Generate the seed pools: LLM rows of the minority class for every dataset, split and scenario.

One pool per (scenario, dataset, split) serves every ratio by prefix: LM at ratio r takes the
first ``int(n_maj * r - n_min)`` rows, LS the first ``int(n_maj * min_strategy - n_min)`` and
hands them to SMOTE. The authors called the LLM separately per ratio; every round of our
generator is an independent draw given the same description and specs (fresh examples, fresh
seed), and validation never looks at the requested total, so the first n rows of a long run
have the distribution of a run asked for n rows. The one difference: the authors drop surplus
rows of the last round at random, a prefix drops the tail of the last round.

Resumable: each finished round is appended to the pool file atomically; a rerun replays the
finished rounds from the call cache (checking that they reproduce the stored rows exactly) and
continues live. Killing the process loses at most the round in flight.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np

from .. import paths
from ..datasets import encode_numeric, load_dataset
from ..datasets.registry import registry
from ..llm import LLMClient, PromptTooLongError
from ..protocol import RATIOS, SPLIT_NAMES, min_strategy
from ..samplers import LLMOversampler
from ..samplers import prompts
from ..scenarios import EXTREME_DATASETS, SCENARIOS, scenario_split
from .store import Pool, PoolCorruptError, pool_path, read_pool, remove_stale_temporaries, write_pool

__all__ = ["PHASES", "PoolMismatchError", "PoolTask", "GenerationSummary", "fill_pool", "generate",
           "plan", "pool_sampler", "pool_seed", "prompts_sha256", "training_data"]

PHASES = ("ls", "lm")
"""``ls``: rows up to min_strategy (what LSH needs); ``lm``: up to ratio 1.0 (LLM-only)."""


class PoolMismatchError(RuntimeError):
    """An existing pool was made with other settings than the ones asked for now."""


@dataclass(frozen=True)
class PoolTask:
    """One pool and how many rows each phase needs."""

    dataset: str
    scenario: str
    split: str
    n_features: int
    ls_rows: int
    lm_rows: int

    def target(self, phase: str) -> int:
        return self.ls_rows if phase == "ls" else self.lm_rows


@dataclass
class GenerationSummary:
    """What a call of :func:`generate` did."""

    pools_complete: int = 0
    pools_reused: int = 0
    pools_partial: list[str] = field(default_factory=list)
    pools_exhausted: list[str] = field(default_factory=list)
    pools_failed: dict[str, str] = field(default_factory=dict)
    rows_generated: int = 0
    seconds: float = 0.0
    stopped_by_budget: bool = False

    @property
    def rows_per_second(self) -> float:
        return self.rows_generated / self.seconds if self.seconds else 0.0


def prompts_sha256() -> str:
    """Hash of the paper's prompts and the answer formats (recorded in every manifest)."""
    texts = [prompts.DESCRIPTION_PROMPT, prompts.VARIABLES_PROMPT, prompts.GENERATION_PROMPT,
             prompts.VARIABLES_FORMAT, prompts.PROGRAM_FORMAT]
    return hashlib.sha256("\n\x00".join(texts).encode()).hexdigest()


def pool_seed(scenario: str, dataset: str, split: str) -> int:
    """The pool's random state, derived from its name (stable across machines and runs)."""
    digest = hashlib.sha256(f"{scenario}/{dataset}/{split}".encode()).digest()
    return int.from_bytes(digest[:4], "little") % (2**31 - 1)


def training_data(dataset: str, scenario: str, split: str):
    """The rows the oversampler sees for ``split``: encoded features (float) and labels."""
    X, y = load_dataset(dataset)
    positions = scenario_split(y.to_numpy(), scenario).training(split)
    X = encode_numeric(X).astype(float)
    return X.iloc[positions].reset_index(drop=True), y.iloc[positions].reset_index(drop=True)


def _targets(y_train_part: np.ndarray, y_split: np.ndarray) -> tuple[int, int]:
    n_min_part, n_maj_part = int(np.sum(y_train_part == 1)), int(np.sum(y_train_part == 0))
    n_min, n_maj = int(np.sum(y_split == 1)), int(np.sum(y_split == 0))
    first = min_strategy(n_min_part, n_maj_part)
    return max(int(n_maj * first - n_min), 0), max(int(n_maj * RATIOS[-1] - n_min), 0)


def plan(datasets=None, scenarios=("general",)) -> list[PoolTask]:
    """Every pool of the given datasets and scenarios (few/zero-shot only for their datasets)."""
    available = [info for info in registry() if info.status == "available"]
    names = {info.name for info in available}
    unknown = sorted(set(datasets or ()) - names)
    if unknown:
        raise ValueError(f"unknown or unavailable datasets: {', '.join(unknown)}")
    for scenario in scenarios:
        if scenario not in SCENARIOS:
            raise ValueError(f"unknown scenario {scenario!r}; expected one of {', '.join(SCENARIOS)}")
    tasks = []
    for info in available:
        if datasets and info.name not in datasets:
            continue
        X, y = load_dataset(info.name)
        y = y.to_numpy()
        for scenario in scenarios:
            if scenario != "general" and info.name not in EXTREME_DATASETS:
                continue
            split = scenario_split(y, scenario)
            for name in SPLIT_NAMES:
                ls_rows, lm_rows = _targets(y[split.train], y[split.training(name)])
                tasks.append(PoolTask(info.name, scenario, name, X.shape[1], ls_rows, lm_rows))
    return tasks


def pool_sampler(task: PoolTask, model, base_url, calls_dir, max_rounds: int | None = None) -> LLMOversampler:
    """The pool's LLM oversampler: its own seed, the call cache and its round cap.

    The default cap, 10 + 5 rounds per ``rows_per_round`` rows of the LM target, fills the LM
    phase at an acceptance of 20 % or more; ``max_rounds`` replaces it. Round i's calls depend
    on the seed and i only, so a higher cap extends a pool exactly as if it had been set first.
    """
    scout = LLMOversampler(random_state=pool_seed(task.scenario, task.dataset, task.split),
                           model=model, base_url=base_url, cache_dir=str(calls_dir), cache_mode="auto")
    return scout.set_params(max_rounds=round_cap(task, scout.rows_per_round, max_rounds))


def round_cap(task: PoolTask, rows_per_round: int, max_rounds: int | None = None) -> int:
    """``max_rounds`` if given, else 10 + 5 rounds per ``rows_per_round`` rows of the LM target."""
    if max_rounds is not None:
        return max_rounds
    return 10 + 5 * math.ceil(max(task.lm_rows, 1) / rows_per_round)


def _identity(task: PoolTask, scout: LLMOversampler, X, y) -> dict:
    """What a pool depends on; an existing pool must match it to be extended.

    The round cap is not part of it: it decides where generation stops, not what a round yields.
    """
    params = {k: v for k, v in scout.get_params().items()
              if k not in ("cache_dir", "cache_mode", "base_url", "max_rounds")}
    data = np.ascontiguousarray(np.column_stack([X.to_numpy(dtype="<f8"), y.to_numpy(dtype="<f8")]))
    return {
        "dataset": task.dataset, "scenario": task.scenario, "split": task.split,
        "sampler_params": json.loads(json.dumps(params, default=str)),
        "prompts_sha256": prompts_sha256(),
        "training_sha256": hashlib.sha256(data.tobytes()).hexdigest(),
    }


def fill_pool(task: PoolTask, target: int, *, model=None, base_url=None, deadline=None,
              on_rows=None, max_rounds: int | None = None) -> tuple[Pool, str]:
    """Extend one pool to ``target`` rows; returns the pool and its state.

    State: ``complete``, ``partial`` (stopped at ``deadline``, a ``time.monotonic()`` value) or
    ``exhausted`` (the round cap reached first; see ``pool_sampler``) or ``failed`` (a prompt
    longer than the model's context, which fails every round of the pool alike; the endpoint's
    answer is kept in the manifest's ``failed``). ``on_rows(n)`` is called per stored round.
    """
    root = paths.seeds_dir(model)
    path = pool_path(root, task.scenario, task.dataset, task.split)
    X, y = training_data(task.dataset, task.scenario, task.split)
    scout = pool_sampler(task, model, base_url, root / "calls", max_rounds)
    identity = _identity(task, scout, X, y)
    remove_stale_temporaries(path)
    endpoint = LLMClient(model=model, base_url=base_url, cache_dir=root / "calls")  # resolves names only
    pool = read_pool(path) or Pool.empty(list(X.columns))
    stored = {k: pool.manifest.get(k) for k in identity}
    if isinstance(stored["sampler_params"], dict):  # pools written while the cap was part of it
        stored["sampler_params"] = {k: v for k, v in stored["sampler_params"].items() if k != "max_rounds"}
    if pool.manifest and stored != identity:
        changed = sorted(k for k in identity if stored[k] != identity[k])
        raise PoolMismatchError(
            f"seed pool {path} was generated with other {', '.join(changed)}; delete it (or the "
            "whole model folder) to regenerate it with the current settings"
        )
    if len(pool.rows) >= target:
        return pool, "complete"
    state = "exhausted"
    rounds = scout.iter_rounds(X, y, 1)
    described = {**identity, "model": endpoint.model, "endpoint_kind": endpoint.endpoint_kind,
                 "seed": scout.random_state, "target_ls": task.ls_rows, "target_lm": task.lm_rows}
    try:
        for round_ in rounds:
            if round_.index < pool.rounds_done:
                if not np.array_equal(round_.rows, pool.rows_of_round(round_.index)):
                    raise PoolCorruptError(
                        f"seed pool {path}: replaying round {round_.index} from the call cache gives "
                        "other rows than the stored ones (was the call cache changed?)"
                    )
                continue
            pool.append(round_.index, round_.rows)
            pool.manifest.pop("exhausted", None)
            pool.manifest.pop("failed", None)
            pool.manifest.update({
                **described, "rounds": round_.index + 1, "max_rounds": scout.max_rounds,
                "rejections": round_.rejections, "usage": round_.usage,
                "versions": _versions(), "updated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            })
            write_pool(path, pool)
            if on_rows is not None:
                on_rows(len(round_.rows))
            if len(pool.rows) >= target:
                state = "complete"
                break
            if deadline is not None and time.monotonic() >= deadline:
                state = "partial"
                break
    except PromptTooLongError as error:  # recorded, so that status, seed_rows and the book say why
        state = "failed"
        pool.manifest.setdefault("rounds", 0)
        pool.manifest.update({**described, "failed": str(error), "versions": _versions(),
                              "updated": datetime.now(timezone.utc).isoformat(timespec="seconds")})
        write_pool(path, pool)
    finally:
        rounds.close()
    if state == "exhausted":
        pool.manifest.update({"exhausted": True, "max_rounds": scout.max_rounds})
        write_pool(path, pool)
    return pool, state


def _versions() -> dict:
    from importlib import metadata

    return {name: metadata.version(name) for name in ("lsh", "numpy", "pandas", "openai", "xllamacpp")}


_PROGRESS = None
"""In a worker process: the generator's queue of (pool task, rows stored) messages."""


def _start_worker(parent: int, progress) -> None:
    """Worker initializer: report each stored round to ``progress`` and end with the generator.

    Without the second, killing the generator leaves its workers generating, and a restarted
    generator would fill the same pools twice at once. An exit between rounds or mid-round loses
    at most the round in flight, as a kill does.
    """
    global _PROGRESS
    _PROGRESS = progress

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="exit-with-parent").start()


def _fill_in_worker(task: PoolTask, target: int, model, base_url, deadline, max_rounds,
                    on_rows=None) -> tuple[int, str, str | None]:
    """Rows stored, state and, for a ``failed`` pool, the reason (picklable, unlike a pool)."""
    if on_rows is None and _PROGRESS is not None:
        def on_rows(rows):
            _PROGRESS.put((task, rows))
    pool, state = fill_pool(task, target, model=model, base_url=base_url, deadline=deadline,
                            on_rows=on_rows, max_rounds=max_rounds)
    return len(pool.rows), state, pool.manifest.get("failed")


RECENT_ROUNDS = 20
"""Rounds over which a pool's current yield is measured (see ``next_row_seconds``)."""


def next_row_seconds(pool: Pool | None, cap: int) -> float | None:
    """LLM seconds the pool's next stored row costs: None if it never ran, 0 if it cannot grow.

    Seconds per round are the pool's average (every round sends the same prompts for the same
    number of rows); rows per round are those of its last ``RECENT_ROUNDS`` rounds. A pool in
    which the model keeps writing rows it already has is thus priced at its falling yield, not
    at its average (a round without a new row counts as half a row, so the price stays finite).
    A pool that reached its round ``cap`` is only replayed, which costs no LLM time.
    """
    if pool is None or pool.rounds_done == 0:
        return None
    if pool.rounds_done >= cap:
        return 0.0
    seconds = (pool.manifest.get("usage") or {}).get("seconds", 0.0)
    if not seconds:
        return None
    window = min(RECENT_ROUNDS, pool.rounds_done)
    recent = int(np.sum(pool.rounds >= pool.rounds_done - window))
    return seconds / pool.rounds_done * window / max(recent, 0.5)


def _order(tasks: list[PoolTask], phase: str, pools: dict, max_rounds: int | None = None) -> list[PoolTask]:
    """Cheapest datasets first, so that a budget completes as many datasets as it can.

    ``pools`` maps each task to its stored pool (or None). A dataset's cost is the sum over its
    pools of the rows still needed for ``phase`` times the pool's ``next_row_seconds``. A pool's
    first rounds yield more than its later ones (the model soon repeats rows it wrote), so once
    some pools of a dataset have run ``RECENT_ROUNDS`` rounds, their mean price is the least a
    shorter or fresh pool of the dataset is priced at; before that, a fresh pool is priced like
    the dataset's cheapest running one. Datasets without a measured pool follow, smallest
    (target rows x features) first. A dataset on which the model rarely finds a new row thus
    waits until the others are done.
    """
    rows_per_round = LLMOversampler().rows_per_round
    price = {task: next_row_seconds(pools.get(task), round_cap(task, rows_per_round, max_rounds))
             for task in tasks}
    rounds = {task: pools[task].rounds_done if pools.get(task) else 0 for task in tasks}
    missing = {task: max(task.target(phase) - (len(pools[task].rows) if pools.get(task) else 0), 0)
               for task in tasks}
    members = defaultdict(list)
    for task in tasks:
        members[task.scenario, task.dataset].append(task)
    estimate = {}
    for name, dataset_tasks in members.items():
        running = [price[task] for task in dataset_tasks if price[task]]
        if not running:
            continue
        settled = [price[task] for task in dataset_tasks if price[task] and rounds[task] >= RECENT_ROUNDS]
        floor = float(np.mean(settled)) if settled else 0.0
        fresh = max(min(running), floor)

        def pool_price(task):
            if price[task] is None:
                return fresh
            if price[task] == 0.0 or rounds[task] >= RECENT_ROUNDS:  # at its cap, or measured long enough
                return price[task]
            return max(price[task], floor)

        estimate[name] = sum(missing[task] * pool_price(task) for task in dataset_tasks)

    def cost(task):
        measured = estimate.get((task.scenario, task.dataset))
        size = task.target(phase) * task.n_features if measured is None else measured
        return task.scenario != "general", measured is None, size, task.dataset, task.split

    return sorted(tasks, key=cost)


def generate(tasks: list[PoolTask], phase: str = "ls", *, model=None, base_url=None,
             budget_minutes: float | None = None, workers: int = 1, max_rounds: int | None = None,
             progress: bool = True) -> GenerationSummary:
    """Fill the pools of ``tasks`` up to ``phase``'s targets, cheapest datasets first (``_order``).

    ``workers`` > 1 fills that many pools at once, each in its own process (with its own
    embedded server when no endpoint is given): on 2 cores, two one-thread servers produce
    more than one two-thread server, whose threads wait for each other after every step. One
    server batching several requests would produce ~33 % more, but a request's answer then
    depends on the others in the batch, and a pool could not be regenerated from its seed
    (``benchmarks/llm_server.py``). ``max_rounds`` replaces every pool's round cap (see
    ``pool_sampler``). A pool whose prompts do not fit the model's context is listed in
    ``pools_failed`` with the endpoint's answer, and the other pools go on. The progress bar
    counts rows as rounds are stored.
    """
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from multiprocessing import get_context
    from queue import Empty

    from tqdm.auto import tqdm

    if phase not in PHASES:
        raise ValueError(f"unknown phase {phase!r}; expected one of {', '.join(PHASES)}")
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    if max_rounds is not None and max_rounds < 1:
        raise ValueError(f"max_rounds must be at least 1, got {max_rounds}")
    started = time.monotonic()
    deadline = None if budget_minutes is None else started + 60 * budget_minutes
    root = paths.seeds_dir(model)
    pools = {task: read_pool(pool_path(root, task.scenario, task.dataset, task.split)) for task in tasks}
    have = {task: 0 if pool is None else len(pool.rows) for task, pool in pools.items()}
    todo = [task for task in _order(tasks, phase, pools, max_rounds) if have[task] < task.target(phase)]
    summary = GenerationSummary(pools_reused=len(tasks) - len(todo))
    counted = {task: 0 for task in todo}

    def advance(task, rows):
        rows = min(rows, task.target(phase) - have[task] - counted[task])
        counted[task] += rows
        bar.update(rows)

    def record(task, rows, state, reason=None):
        name = f"{task.scenario}/{task.dataset}/{task.split}"
        summary.rows_generated += max(rows - have[task], 0)
        if state == "complete":
            summary.pools_complete += 1
        elif state == "partial":
            summary.stopped_by_budget = True
            summary.pools_partial.append(name)
        elif state == "failed":
            summary.pools_failed[name] = reason
        else:
            summary.pools_exhausted.append(name)

    missing = sum(task.target(phase) - have[task] for task in todo)
    with tqdm(total=missing, unit="row", desc=f"seeds ({phase})", disable=not progress) as bar:
        if workers == 1:
            for task in todo:
                if deadline is not None and time.monotonic() >= deadline:
                    record(task, have[task], "partial")
                    continue
                bar.set_postfix_str(f"{task.scenario}/{task.dataset}/{task.split}")
                record(task, *_fill_in_worker(task, task.target(phase), model, base_url, deadline,
                                              max_rounds, on_rows=lambda rows, task=task: advance(task, rows)))
        else:
            context = get_context("spawn")
            stored_rounds = context.Queue()

            def show_stored_rounds(wait_seconds=0.0):
                try:
                    while True:
                        advance(*stored_rounds.get(timeout=wait_seconds))
                except Empty:
                    pass

            with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                                     initargs=(os.getpid(), stored_rounds)) as executor:
                queue, running = list(todo), {}
                while queue or running:
                    while queue and len(running) < workers:
                        task = queue.pop(0)
                        if deadline is not None and time.monotonic() >= deadline:
                            record(task, have[task], "partial")
                            continue
                        future = executor.submit(_fill_in_worker, task, task.target(phase), model, base_url,
                                                 deadline, max_rounds)
                        running[future] = task
                    if not running:
                        break
                    bar.set_postfix_str(", ".join(f"{t.dataset}/{t.split}" for t in running.values()))
                    done, _ = wait(running, timeout=1.0, return_when=FIRST_COMPLETED)
                    show_stored_rounds()
                    for future in done:
                        record(running.pop(future), *future.result())
            show_stored_rounds(wait_seconds=0.2)
    summary.seconds = time.monotonic() - started
    return summary
