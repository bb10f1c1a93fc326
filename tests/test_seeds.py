"""Seed pools: storage, errors, and live generation with the embedded model (kill -9, resume)."""

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from lsh import paths
from lsh.seeds import SeedsMissingError, coverage, plan, pool_digest, read_pool, seed_rows, verify
from lsh.seeds.generate import RECENT_ROUNDS, _order, next_row_seconds
from lsh.seeds.store import Pool, PoolCorruptError, pool_path, rows_sha256, write_pool


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A data directory of our own: the real datasets and paper tables, empty seeds."""
    for name in ("datasets", "paper"):
        (tmp_path / name).symlink_to(paths.ROOT / "data" / name)
    monkeypatch.setenv("LSH_DATA_DIR", str(tmp_path))
    return tmp_path


def test_pool_roundtrip_is_exact_and_leaves_no_temporary_files(tmp_path):
    pool = Pool.empty(["a", "b"])
    pool.append(0, np.array([[0.1, 2.0], [1 / 3, -5.5]]))
    pool.append(2, np.array([[7.0, 8.0]]))
    pool.manifest["rounds"] = 3
    path = pool_path(tmp_path, "general", "toy", "fold0")
    write_pool(path, pool)
    again = read_pool(path)
    assert again.columns == ["a", "b"] and again.rows.tobytes() == pool.rows.tobytes()
    assert again.rounds.tolist() == [0, 0, 2] and again.rows_of_round(1).shape == (0, 2)
    assert again.manifest["rows"] == 3 and again.manifest["rows_sha256"] == rows_sha256(pool.rows)
    assert [p.name for p in path.parent.iterdir()] == ["fold0.parquet"]


def test_a_tampered_pool_is_reported(tmp_path):
    import pyarrow.parquet as pq

    pool = Pool.empty(["a"])
    pool.append(0, np.array([[1.0], [2.0]]))
    path = tmp_path / "p.parquet"
    write_pool(path, pool)
    table = pq.read_table(path)
    pq.write_table(table.slice(0, 1), path)  # one row lost, manifest kept
    with pytest.raises(PoolCorruptError, match="1 rows .* do not match its manifest .2 rows"):
        read_pool(path)
    path.write_bytes(b"not parquet")
    with pytest.raises(PoolCorruptError, match="cannot be read"):
        read_pool(path)


def test_missing_seeds_are_an_error_naming_the_pool(data_dir):
    with pytest.raises(SeedsMissingError, match="general/haberman/fold0 holds 0 rows, 5 are needed"):
        seed_rows("haberman", "fold0", 5)


def test_coverage_counts_stored_rows_and_lists_missing_and_broken_pools(data_dir):
    from lsh.seeds import coverage_summary

    tasks = {t.split: t for t in plan(["haberman"])}
    root = paths.seeds_dir()
    pool = Pool.empty(["a", "b", "c"])
    pool.append(0, np.ones((tasks["fold0"].ls_rows + 1, 3)))
    pool.manifest.update(usage={"calls": 3, "prompt_tokens": 900, "completion_tokens": 100, "seconds": 8.0},
                         rejections={"duplicate": 2})
    write_pool(pool_path(root, "general", "haberman", "fold0"), pool)
    broken = pool_path(root, "general", "haberman", "fold1")
    broken.write_bytes(b"not parquet")
    frame = coverage(["haberman"], ["general"])
    assert frame.split.tolist() == ["fold0", "fold1", "fold2", "fold3", "fold4", "train"]
    fold0, fold1 = frame.iloc[0], frame.iloc[1]
    assert fold0.rows == tasks["fold0"].ls_rows + 1 and fold0.ls_complete and not fold0.lm_complete
    assert fold0.rejected == 2 and fold0.completion_tokens == 100
    assert fold1.rows == 0 and "cannot be read" in fold1.problem
    summary = coverage_summary(frame).set_index("phase")
    assert summary.at["LS", "pools complete"] == "1 / 6" and summary.at["LS", "datasets complete"] == "0 / 1"
    assert summary.at["LS", "rows stored"] == tasks["fold0"].ls_rows
    assert summary.at["LM", "rows stored"] == tasks["fold0"].ls_rows + 1
    assert summary.at["LS", "tokens per stored row"] == round(1000 / (tasks["fold0"].ls_rows + 1), 1)

    from lsh.book import write_status

    status = write_status(data_dir / "status.md").read_text()
    assert "`smollm2-135m-instruct` (endpoint not recorded; folder `data/seeds/smollm2-135m-instruct`)" in status
    general = plan()
    complete = 1 + sum(t.ls_rows == 0 for t in general)  # fold0, and pools that need no LS rows
    needed = sum(t.ls_rows for t in general)
    assert f"LS (general) {complete} / {len(general)} pools, {tasks['fold0'].ls_rows} of {needed:,} rows" in status


def test_plan_covers_every_available_dataset_and_split():
    tasks = plan()
    assert len(tasks) == 59 * 6
    assert all(0 <= t.ls_rows <= t.lm_rows for t in tasks)
    extreme = plan(scenarios=("few-shot", "zero-shot"))
    assert len(extreme) == 4 * 2 * 6 and all(t.ls_rows > 0 for t in extreme)
    with pytest.raises(ValueError, match="unknown or unavailable datasets: nope"):
        plan(["nope"])


GENERATE = """
import sys
from lsh.seeds import generate, plan
tasks = [t for t in plan(["haberman"]) if t.split in ("fold0", "train")]
generate(tasks, "lm", progress="--progress" in sys.argv, workers=2)
"""


def _measured_pool(rows_per_round, seconds_per_round):
    """A pool whose round i stored ``rows_per_round[i]`` rows, at a fixed LLM time per round."""
    pool = Pool.empty(["x"])
    for index, rows in enumerate(rows_per_round):
        pool.append(index, np.zeros((rows, 1)))
    pool.manifest = {"rounds": len(rows_per_round), "usage": {"seconds": seconds_per_round * len(rows_per_round)}}
    return pool


def test_generation_order_puts_the_cheapest_measured_datasets_first():
    """Cost = rows still needed x LLM seconds per stored row; unmeasured datasets last."""
    tasks = [t for t in plan(["haberman", "breast-w", "diabetes"], scenarios=("general", "few-shot"))
             if t.split in ("fold0", "train")]
    general = [t for t in tasks if t.scenario == "general"]
    pools = {}
    for t in general:
        if t.dataset == "haberman":  # fast per row (1 s) but many rows missing
            pools[t] = _measured_pool([1] * 10, 1.0)
        elif t.dataset == "breast-w":  # slow per row (30 s), almost complete
            pools[t] = _measured_pool([t.lm_rows - 1], 30.0 * (t.lm_rows - 1))
    cost = {name: sum(t.lm_rows - len(pools[t].rows) for t in general if t.dataset == name) * per_row
            for name, per_row in (("haberman", 1.0), ("breast-w", 30.0))}
    expected = sorted(cost, key=cost.get) + ["diabetes"]
    order = _order(tasks, "lm", pools)
    datasets = [t.dataset for t in order if t.scenario == "general"]
    assert datasets == [name for name in expected for _ in range(2)]
    assert [t.scenario for t in order[-2:]] == ["few-shot", "few-shot"]


def test_generation_order_prices_a_pool_at_its_recent_yield_not_its_average():
    """A pool whose model stopped finding new rows costs what its next rows cost."""
    tasks = [t for t in plan(["haberman", "breast-w"]) if t.split in ("fold0", "train")]
    task = {(t.dataset, t.split): t for t in tasks}
    saturated = _measured_pool([10] * 4 + [0] * 30 + [1], 10.0)  # 41 rows in 35 rounds, 1 in the last 20
    steady = _measured_pool([1] * 10, 10.0)  # 10 s per row all along
    assert next_row_seconds(saturated, cap=150) == pytest.approx(10.0 * RECENT_ROUNDS)
    assert next_row_seconds(steady, cap=150) == pytest.approx(10.0)
    assert next_row_seconds(saturated, cap=35) == 0.0  # at its round cap: replayed, no LLM time
    assert next_row_seconds(None, cap=150) is None

    pools = {task["haberman", "fold0"]: saturated, task["breast-w", "fold0"]: steady}
    average = {name: sum(t.lm_rows - len(pools.get(t, Pool.empty(["x"])).rows) for t in tasks if t.dataset == name)
               * per_row for name, per_row in (("haberman", 350 / 41), ("breast-w", 10.0))}
    assert average["haberman"] < average["breast-w"]  # what pricing by the average would choose
    assert [t.dataset for t in _order(tasks, "lm", pools, max_rounds=150)] == ["breast-w"] * 2 + ["haberman"] * 2

    pools[task["haberman", "train"]] = steady  # the saturated pool can no longer grow under a cap of 35
    assert [t.dataset for t in _order(tasks, "lm", pools, max_rounds=150)] == ["breast-w"] * 2 + ["haberman"] * 2
    assert [t.dataset for t in _order(tasks, "lm", pools, max_rounds=35)] == ["haberman"] * 2 + ["breast-w"] * 2


def test_generation_order_does_not_trust_a_few_rounds_over_a_long_measured_pool():
    """A pool's first rounds yield most: its dataset's long-run price is the floor of its price."""
    tasks = [t for t in plan(["haberman", "breast-w"]) if t.split in ("fold0", "train")]
    task = {(t.dataset, t.split): t for t in tasks}
    long_run = _measured_pool([10] + [1] * (RECENT_ROUNDS + 4), 20.0)  # 20 s per row over its last rounds
    first_round = _measured_pool([10], 20.0)  # 2 s per row, measured on one round
    steady = _measured_pool([1] * RECENT_ROUNDS, 10.0)
    pools = {task["haberman", "fold0"]: long_run, task["haberman", "train"]: first_round,
             task["breast-w", "fold0"]: steady, task["breast-w", "train"]: steady}
    haberman_fold0 = (task["haberman", "fold0"].lm_rows - 35) * 20.0
    haberman = haberman_fold0 + (task["haberman", "train"].lm_rows - 10) * 20.0
    trusting_the_first_round = haberman_fold0 + (task["haberman", "train"].lm_rows - 10) * 2.0
    breast_w = (task["breast-w", "fold0"].lm_rows + task["breast-w", "train"].lm_rows - 40) * 10.0
    assert trusting_the_first_round < breast_w < haberman
    assert [t.dataset for t in _order(tasks, "lm", pools, max_rounds=150)] == ["breast-w"] * 2 + ["haberman"] * 2
    del pools[task["haberman", "fold0"]]  # without a long-run measurement the first round is all there is
    assert [t.dataset for t in _order(tasks, "lm", pools, max_rounds=150)] == ["haberman"] * 2 + ["breast-w"] * 2


def _rounds_stored(path):
    try:
        pool = read_pool(path)
    except PoolCorruptError:
        return -1
    return 0 if pool is None else pool.rounds_done


def _session_alive(session: int) -> bool:
    try:
        os.killpg(session, 0)
    except ProcessLookupError:
        return False
    return True


def test_generation_survives_kill_9_and_resumes_bit_identically(data_dir):
    """Two pools filled by two worker processes, all killed mid-way, then resumed."""
    env = {**os.environ, "LSH_DATA_DIR": str(data_dir)}
    first = pool_path(paths.seeds_dir(), "general", "haberman", "fold0")
    process = subprocess.Popen([sys.executable, "-c", GENERATE], env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 600
        while _rounds_stored(first) < 1 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert process.poll() is None, "the generator ended before it could be killed"
        process.kill()  # kill -9 of the generator only: its two workers must end by themselves
        process.wait()
        deadline = time.monotonic() + 30
        while _session_alive(process.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _session_alive(process.pid), "worker processes outlived the killed generator"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    before = read_pool(first)  # readable: the killed writer never leaves a half-written pool
    assert before.rounds_done >= 1 and len(before.rows) == before.manifest["rows"]

    resumed = subprocess.run([sys.executable, "-c", GENERATE, "--progress"], env=env, check=True, timeout=1200,
                             capture_output=True, text=True)
    counts = re.findall(r"(\d+)/(\d+) \[", resumed.stderr.replace("\r", "\n"))
    assert len(counts) > 2 and counts[-1][0] == counts[-1][1]  # the bar ends at its total: no row counted twice
    after = read_pool(first)
    assert np.array_equal(after.rows[: len(before.rows)], before.rows)  # nothing lost or changed
    for task in (t for t in plan(["haberman"]) if t.split in ("fold0", "train")):
        pool = read_pool(pool_path(paths.seeds_dir(), "general", "haberman", task.split))
        assert len(pool.rows) >= task.lm_rows
        manifest = pool.manifest
        assert manifest["model"] == "smollm2-135m-instruct" and manifest["endpoint_kind"] == "embedded"
        assert manifest["usage"]["calls"] >= 3 and manifest["usage"]["completion_tokens"] > 0
        rows = seed_rows("haberman", task.split, task.ls_rows)
        assert pool_digest("haberman", task.split, task.ls_rows) == rows_sha256(rows)

    report = verify(sample=2)  # replay mode: every call from the call cache, no LLM in this process
    assert report.ok, report.problems
    assert report.pools == 2 and len(report.replayed) == 2


class _Interrupted(Exception):
    pass


def test_runtime_study_resumes_after_the_last_measured_step(data_dir, monkeypatch):
    """An interrupted study keeps its measured steps and measures only the rest.

    The LLM calls are replayed from the committed analcatdata_draft study instead of made live,
    so this checks the bookkeeping, not the timing."""
    from lsh.report.runtime import load_runtime
    from lsh.samplers import LLMOversampler
    from lsh.seeds import runtime

    real_calls = paths.ROOT / "data" / "seeds" / "smollm2-135m-instruct" / "runtime" / "calls"
    calls = paths.seeds_dir() / "runtime" / "calls"
    calls.parent.mkdir(parents=True)
    calls.symlink_to(real_calls)
    fitted = []

    def replaying(seed, ratio, model, base_url, calls_dir):
        fitted.append(ratio)
        return LLMOversampler(sampling_strategy=ratio, random_state=seed, cache_dir=str(calls_dir),
                              cache_mode="replay")

    monkeypatch.setattr(runtime, "_llm", replaying)

    def stop_after_two(message):
        if message.count(" LM ") and len(fitted) == 2:
            raise _Interrupted(message)

    with pytest.raises(_Interrupted):
        runtime.measure_runtime("analcatdata_draft", progress=stop_after_two)
    partial = runtime.partial_path("analcatdata_draft")
    assert not runtime.runtime_path("analcatdata_draft").exists()
    study, reason = load_runtime(partial.parent)
    assert study is None and "unfinished: analcatdata_draft" in reason
    first_two = json.loads(partial.read_text())["rows"]
    assert [(row["method"], row["ratio"]) for row in first_two] == [("LM", 0.2), ("LM", 0.4)]

    fitted.clear()
    messages = []
    record = runtime.measure_runtime("analcatdata_draft", progress=messages.append)
    assert fitted == [0.6, 0.8, 1.0, 0.2]  # the three LM ratios left, then LS's seeds
    assert "resuming, 2 step(s) already measured" in messages[0]
    assert record["rows"][:2] == first_two
    assert [(row["method"], row["ratio"]) for row in record["rows"][2:]] == \
        [("LM", 0.6), ("LM", 0.8), ("LM", 1.0)] + [("LS", r) for r in (0.2, 0.4, 0.6, 0.8, 1.0)]
    assert all(isinstance(row["load_before"], float) for row in record["rows"])
    assert not partial.exists()
    study, _ = load_runtime(partial.parent)
    assert study.in_progress == [] and len(study.runs) == 10


def test_a_higher_round_cap_extends_an_exhausted_pool_exactly(data_dir):
    """The round cap is not part of a pool's identity: raising it goes on where the pool stopped.

    Replays the committed calls of a real pool (no LLM); the first run also stores the cap in
    the sampler parameters, as pools written before the cap left the identity did."""
    from lsh.seeds.generate import fill_pool

    committed_root = paths.ROOT / "data" / "seeds" / "smollm2-135m-instruct"
    (paths.seeds_dir()).mkdir(parents=True)
    (paths.seeds_dir() / "calls").symlink_to(committed_root / "calls")
    committed = read_pool(pool_path(committed_root, "general", "analcatdata_dmft", "train"))
    task = next(t for t in plan(["analcatdata_dmft"]) if t.split == "train")

    pool, state = fill_pool(task, task.lm_rows, max_rounds=2)
    assert state == "exhausted" and pool.rounds_done == 2
    path = pool_path(paths.seeds_dir(), "general", "analcatdata_dmft", "train")
    stored = read_pool(path)
    assert stored.manifest["exhausted"] and stored.manifest["max_rounds"] == 2
    stored.manifest["sampler_params"]["max_rounds"] = 2
    write_pool(path, stored)

    with pytest.raises(SeedsMissingError, match=r"is exhausted: 2 rounds .*--max-rounds N"):
        seed_rows("analcatdata_dmft", "train", task.ls_rows)
    frame = coverage(["analcatdata_dmft"], ["general"])
    assert frame.set_index("split").exhausted.to_dict() == {"train": True, **{f"fold{i}": False for i in range(5)}}

    pool, state = fill_pool(task, task.lm_rows, max_rounds=4)
    assert state == "exhausted" and pool.rounds_done == 4 and pool.manifest["max_rounds"] == 4
    assert np.array_equal(pool.rows, committed.rows[committed.rounds < 4])
    assert "max_rounds" not in read_pool(path).manifest["sampler_params"]

    target = len(committed.rows[committed.rounds < 5])
    pool, state = fill_pool(task, target, max_rounds=6)
    assert state == "complete" and "exhausted" not in read_pool(path).manifest
    report = verify(sample=1)  # replays every stored round, beyond the default cap's reach or not
    assert report.ok, report.problems
    assert report.pools == 1 and report.replayed == [str(path.relative_to(paths.seeds_dir()))]


def test_a_dataset_too_wide_for_the_model_context_is_reported_and_the_others_go_on(data_dir, capsys):
    """emotions (72 columns): 30 example rows make a prompt over the embedded model's context."""
    from lsh.cli import main

    assert main(["seeds", "generate", "--datasets", "emotions", "--workers", "1"]) == 2
    out, err = capsys.readouterr()
    failed = [line for line in out.splitlines() if line.startswith("  failed: general/emotions/")]
    assert len(failed) == 6, out  # each pool was tried after the one before it failed
    assert all("does not fit the context window" in line and "8192 tokens" in line for line in failed)
    assert "6 pool(s) failed (listed above)" in err
    pools = coverage(["emotions"], ("general",))  # the reason is kept in each pool's manifest
    assert (pools.rows == 0).all() and pools.failed.str.contains("does not fit the context window").all()
    with pytest.raises(SeedsMissingError, match="the model cannot serve this pool: the prompt does not fit"):
        seed_rows("emotions", "fold0", 1)
    assert main(["seeds", "status", "--missing"]) == 0
    assert "LS missing general/emotions/train: 0 of 37 rows (failed: the prompt" in capsys.readouterr().out
