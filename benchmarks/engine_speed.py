"""Fast runner vs. naive GridSearchCV(Pipeline(SMOTE, clf)) on four datasets, SM at all ratios.

Datasets: narrow (haberman, 3 features), wide (emotions, 77), large (spambase, 4,601 rows),
categorical (car, 6 nominal features). 139 configurations. Measured in one run on this machine:

- naive: ``lsh.engine.naive.naive_task`` (one GridSearchCV per classifier family and ratio, the
  sampler inside the pipeline, ``n_jobs=None`` as the authors ran it), one process;
- fast: ``lsh.engine.runner.run`` with 1 and with 2 worker processes (cold cache).

Both use one BLAS/OpenMP thread per process and LightGBM ``n_jobs=1``. Asserts per-config
validation scores (all eight metrics and the five fold F1s) bitwise identical, the same selected
(ratio, configuration) per dataset with the same test F1, and prints the speed ratios.
Writes ``benchmarks/results/engine_speed.json``.

    python benchmarks/engine_speed.py [--datasets ...]
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from pathlib import Path

import pandas as pd

from lsh.engine.cache import library_versions
from lsh.engine.metrics import METRICS
from lsh.engine.naive import naive_task
from lsh.engine.runner import run
from lsh.engine.select import load_results, select
from lsh.engine.tasks import load_data, tasks_for

DATASETS = {"haberman": "narrow", "emotions": "wide", "spambase": "large", "car": "categorical"}
SCORES = [f"val_{m}" for m in METRICS] + [f"val_f1_fold{i}" for i in range(5)]
OUT = Path(__file__).parent / "results" / "engine_speed.json"


def naive_select(frame: pd.DataFrame) -> pd.Series:
    """The faithful rule on naive results: first best in (ratio, family, position) order."""
    best = frame[frame.val_f1 == frame.val_f1.max()].sort_values(["ratio", "position"], kind="stable")
    return best.iloc[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS))
    args = parser.parse_args()
    report = {"machine": platform.node(), "cpus": __import__("os").cpu_count(), "libraries": library_versions(),
              "started": time.strftime("%Y-%m-%dT%H:%M:%S"), "load_average_at_start": __import__("os").getloadavg(),
              "datasets": {}}
    totals = {"naive": 0.0, "fast_1": 0.0, "fast_2": 0.0}
    for name in args.datasets:
        data = load_data(name)
        tasks = tasks_for([name], ["SM"])
        print(f"{name} ({DATASETS.get(name, '?')}, {data.X.shape[0]} x {data.X.shape[1]}): "
              f"SM at {', '.join(t.ratio_label for t in tasks)}", flush=True)
        started = time.perf_counter()
        naive = []
        for task in tasks:
            frame = naive_task(task, data.X, data.y)
            frame["ratio"] = task.ratio
            naive.append(frame)
        naive = pd.concat(naive, ignore_index=True)
        naive_seconds = time.perf_counter() - started
        fast_seconds = {}
        with tempfile.TemporaryDirectory() as root:
            for jobs in (1, 2):
                started = time.perf_counter()
                summary = run([name], ["SM"], grid_name="full", jobs=jobs, root=Path(root) / f"jobs{jobs}",
                              progress=False)
                fast_seconds[jobs] = time.perf_counter() - started
                assert not summary.failed and len(summary.computed) == len(tasks), summary.text()
            fast = load_results("full", root=Path(root) / "jobs2", datasets=[name])
            other = load_results("full", root=Path(root) / "jobs1", datasets=[name])
        pd.testing.assert_frame_equal(fast, other, check_exact=True)
        fast = fast.sort_values(["ratio", "position"], kind="stable").reset_index(drop=True)
        naive = naive.sort_values(["ratio", "position"], kind="stable").reset_index(drop=True)
        assert list(fast.config_id) == list(naive.config_id)
        different = {c: int((fast[c].to_numpy() != naive[c].to_numpy()).sum()) for c in SCORES}
        identical = not any(different.values())
        chosen_naive = naive_select(naive)
        chosen_fast = select(fast, faithful=True).iloc[0]
        same_selection = (chosen_naive.config_id == chosen_fast.config_id
                          and chosen_naive.ratio == chosen_fast.ratio
                          and chosen_naive.test_f1 == chosen_fast.test_f1)
        record = {
            "kind": DATASETS.get(name), "shape": list(data.X.shape),
            "ratios": [t.ratio for t in tasks], "configs_per_ratio": int(len(fast) / len(tasks)),
            "naive_seconds": naive_seconds, "fast_seconds_1_process": fast_seconds[1],
            "fast_seconds_2_processes": fast_seconds[2],
            "speedup_1_process": naive_seconds / fast_seconds[1],
            "speedup_2_processes": naive_seconds / fast_seconds[2],
            "per_config_scores_identical": identical, "differences": different,
            "selected": {"naive": [chosen_naive.ratio, chosen_naive.config_id, chosen_naive.test_f1],
                         "fast": [chosen_fast.ratio, chosen_fast.config_id, chosen_fast.test_f1]},
            "selection_identical": bool(same_selection),
        }
        report["datasets"][name] = record
        totals["naive"] += naive_seconds
        totals["fast_1"] += fast_seconds[1]
        totals["fast_2"] += fast_seconds[2]
        print(f"  naive {naive_seconds:.1f} s, fast {fast_seconds[1]:.1f} s (1 process) "
              f"{fast_seconds[2]:.1f} s (2 processes): x{record['speedup_1_process']:.2f} / "
              f"x{record['speedup_2_processes']:.2f}; scores {'identical' if identical else different}; "
              f"selection {'identical' if same_selection else 'DIFFERENT'} "
              f"({chosen_fast.ratio}, {chosen_fast.config_id}, test F1 {chosen_fast.test_f1:.4f})", flush=True)
    report["total"] = {**totals, "speedup_1_process": totals["naive"] / totals["fast_1"],
                       "speedup_2_processes": totals["naive"] / totals["fast_2"]}
    report["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S")
    report["load_average_at_end"] = __import__("os").getloadavg()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=1, default=float) + "\n")
    print(f"total: naive {totals['naive']:.1f} s, fast {totals['fast_1']:.1f} s (1 process), "
          f"{totals['fast_2']:.1f} s (2 processes): x{report['total']['speedup_1_process']:.2f} / "
          f"x{report['total']['speedup_2_processes']:.2f}  -> {OUT}")
    assert all(r["per_config_scores_identical"] for r in report["datasets"].values()), "scores differ"
    assert all(r["selection_identical"] for r in report["datasets"].values()), "selections differ"


if __name__ == "__main__":
    main()
