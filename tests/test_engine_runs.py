"""Runs: cached results are reused, an interrupted run resumes, Dask gives the same files, CLI."""

import hashlib
import json
import subprocess
import sys

import numpy as np
import pytest

from lsh.engine import cache
from lsh.engine.runner import plan, run, verify
from lsh.engine.select import load_results, select
from lsh.engine.tasks import tasks_for

DATASETS = ["haberman"]
METHODS = ["ORG", "SM"]  # 5 tasks


def files(root):
    return {p.relative_to(root): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(root.rglob("*.parquet"))}


class Interrupt(Exception):
    pass


def test_second_run_reuses_and_an_interrupted_run_resumes(tmp_path):
    done = []

    def stop_after_two(task):
        done.append(task)
        if len(done) == 2:
            raise Interrupt  # like a kill after two tasks were written

    with pytest.raises(Interrupt):
        run(DATASETS, METHODS, grid_name="quick", root=tmp_path, progress=False, on_result=stop_after_two)
    first = files(tmp_path)
    assert len(first) == 2
    assert not list(tmp_path.rglob("*.tmp"))

    resumed = run(DATASETS, METHODS, grid_name="quick", root=tmp_path, progress=False)
    assert len(resumed.reused) == 2 and len(resumed.computed) == 3
    after = files(tmp_path)
    assert {k: after[k] for k in first} == first  # finished tasks untouched

    again = run(DATASETS, METHODS, grid_name="quick", root=tmp_path, progress=False)
    assert again.computed == [] and len(again.reused) == 5
    assert files(tmp_path) == after

    org = next(k for k in after if k.name.startswith("ORG"))
    forced = run(DATASETS, ["ORG"], grid_name="quick", root=tmp_path, progress=False, force=True)
    assert len(forced.computed) == 1
    now = files(tmp_path)
    assert now[org][0] != after[org][0] and now[org][1] == after[org][1]  # rewritten, same bytes

    assert [verdict for _, verdict in verify(2, grid_name="quick", root=tmp_path, progress=False)] == \
        ["identical", "identical"]
    table = select(load_results("quick", root=tmp_path))
    assert list(table.method) == ["ORG", "SM"]
    assert (table.achievement == table.test_f1 / table.val_f1).all()


def test_a_changed_input_invalidates_only_its_task(tmp_path):
    run(DATASETS, ["ORG"], grid_name="quick", root=tmp_path, progress=False)
    (item,) = plan(tasks_for(DATASETS, ["ORG"]), "quick", root=tmp_path)
    assert item.status == "cached"
    frame, meta = cache.read_result(item.path)
    meta["inputs"]["libraries"]["scikit-learn"] = "0.0"  # as if computed by another version
    cache.write_result(item.path, frame, meta["inputs"])
    (item,) = plan(tasks_for(DATASETS, ["ORG"]), "quick", root=tmp_path)
    assert item.status == "todo"


def test_dask_local_cluster_writes_the_same_files(tmp_path):
    # haberman: one job per task; car (1,728 rows): one job per classifier family, merged
    sequential, dask = tmp_path / "sequential", tmp_path / "dask"
    for root, jobs, scheduler in ((sequential, 1, None), (dask, 2, "local")):
        summary = run(DATASETS, METHODS, grid_name="quick", root=root, progress=False, jobs=jobs,
                      scheduler=scheduler)
        summary_car = run(["car"], ["ORG"], grid_name="quick", root=root, progress=False, jobs=jobs,
                          scheduler=scheduler)
        assert len(summary.computed) == 5 and len(summary_car.computed) == 1
    a, b = files(sequential), files(dask)
    assert a.keys() == b.keys() and len(a) == 6
    assert all(a[k][1] == b[k][1] for k in a)  # byte-identical
    from lsh.engine.evaluate import evaluate_task
    from lsh.engine.tasks import Task, load_data

    data = load_data("car")
    whole, _ = evaluate_task(Task("general", "car", "ORG", None), data.X, data.y, grid_name="quick")
    stored, _ = cache.read_result(dask / "quick" / "general" / "car" / "ORG_none.parquet")
    import pandas as pd

    pd.testing.assert_frame_equal(whole, stored, check_exact=True)  # merged families == one job


def test_missing_llm_rows_are_reported_not_filled(tmp_path, monkeypatch):
    import lsh.seeds

    def no_rows(dataset, split, n_rows, *, scenario="general", model=None):
        raise lsh.seeds.SeedsMissingError(f"pool {dataset}/{split} is empty, {n_rows} needed")

    monkeypatch.setattr(lsh.seeds, "seed_rows", no_rows)
    summary = run(DATASETS, ["LM", "LS"], grid_name="quick", root=tmp_path, progress=False)
    assert summary.computed == [] and len(summary.missing) == 7
    assert "pool haberman/fold0 is empty" in summary.text()
    assert not list(tmp_path.rglob("*.parquet"))


def test_llm_methods_use_the_seed_pools(tmp_path, monkeypatch):
    import lsh.seeds
    from lsh.engine.tasks import load_data

    data = load_data("haberman")
    pool = np.tile(data.X[data.y == 1], (3, 1)) + 0.25  # a stand-in pool, identical for every part
    calls = []

    def rows(dataset, split, n_rows, *, scenario="general", model=None):
        calls.append((dataset, split, n_rows))
        return pool[:n_rows]

    monkeypatch.setattr(lsh.seeds, "seed_rows", rows)
    summary = run(DATASETS, ["LM", "LS"], grid_name="quick", root=tmp_path, progress=False)
    assert len(summary.computed) == 7 and not summary.failed
    assert {split for _, split, _ in calls} == {"fold0", "fold1", "fold2", "fold3", "fold4", "train"}
    timings = (tmp_path / "quick" / "timings.jsonl").read_text().splitlines()
    assert len(timings) == 7


def lsh(*args, env=None):
    return subprocess.run([sys.executable, "-m", "lsh.cli", *args], capture_output=True, text=True,
                          timeout=120, env=env)


@pytest.mark.parametrize("args, message", [
    (["run", "--methods", "SMOTE"], "unknown method(s) SMOTE"),
    (["run", "--datasets", "no-such-dataset"], "No dataset named 'no-such-dataset'"),
    (["run", "--datasets", "kdd_el_nino-small"], "has no data on this machine"),
    (["run", "--jobs", "0"], "expected a positive integer"),
    (["run", "--datasets", "haberman", "--methods", "ORG", "--scheduler", "tcp://127.0.0.1:9"],
     "cannot reach Dask scheduler tcp://127.0.0.1:9"),
])
def test_cli_errors_are_clear_and_without_traceback(args, message, tmp_path):
    import os

    (tmp_path / "datasets").symlink_to(cache.paths.datasets_dir())
    (tmp_path / "paper").symlink_to(cache.paths.paper_dir())
    result = lsh(*args, env={**os.environ, "LSH_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_cli_run_then_reuse_and_verify(tmp_path):
    import os

    (tmp_path / "datasets").symlink_to(cache.paths.datasets_dir())
    (tmp_path / "paper").symlink_to(cache.paths.paper_dir())
    env = {**os.environ, "LSH_DATA_DIR": str(tmp_path)}
    args = ["run", "--datasets", "haberman", "--methods", "ORG", "SM", "--jobs", "2"]
    first = lsh(*args, env=env)
    assert first.returncode == 0, first.stderr
    assert "5 computed, 0 reused" in first.stdout
    second = lsh(*args, env=env)
    assert "0 computed, 5 reused" in second.stdout
    checked = lsh("results", "verify", "--sample", "1", env=env)
    assert checked.returncode == 0 and "1 identical, 0 different" in checked.stdout
    shown = lsh("results", "show", env=env)
    assert shown.returncode == 0 and "haberman" in shown.stdout
    empty = lsh("results", "verify", "--profile", "paper", env=env)
    assert empty.returncode == 2 and "run 'lsh run --profile paper' first" in empty.stderr


def test_extreme_scenario_runs_on_its_own_parts_and_reports_not_applicable(tmp_path, monkeypatch):
    import lsh.seeds
    from lsh.engine.tasks import load_data
    from lsh.scenarios import scenario_split

    data = load_data("analcatdata_draft")
    split = scenario_split(data.y, "few-shot")
    pool = np.tile(data.X[data.y == 1], (8, 1)) + 0.25
    calls = []

    def rows(dataset, part, n_rows, *, scenario="general", model=None):
        calls.append((scenario, part, n_rows))
        return pool[:n_rows]

    monkeypatch.setattr(lsh.seeds, "seed_rows", rows)
    summary = run(["analcatdata_draft"], ["ORG", "SM", "LM"], grid_name="quick", scenario="few-shot",
                  root=tmp_path, progress=False)
    assert not summary.failed and not summary.missing
    assert {t.method for t in summary.computed} == {"ORG", "LM"}
    assert {t.method for t, _ in summary.not_applicable} == {"SM"}
    assert "N/A" in summary.text() and "needs at least 6 minority rows" in summary.text()
    assert {scenario for scenario, _, _ in calls} == {"few-shot"}
    timings = [json.loads(line) for line in (tmp_path / "quick" / "timings.jsonl").read_text().splitlines()]
    lm = next(t for t in timings if t["task"] == "few-shot/analcatdata_draft/LM_1.0")
    for part in ("fold0", "train"):  # rows added = int(n_maj * 1.0 - n_min) on the scenario's part
        y = data.y[split.training(part)]
        assert lm["rows_added"][part]["llm"] == int((y == 0).sum() - y.sum())
    assert not list((tmp_path / "quick" / "few-shot" / "analcatdata_draft").glob("SM_*"))
