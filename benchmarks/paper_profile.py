"""Projected time of ``lsh run --profile paper`` (ORG, SM, BSM, ADA, LM, LS; 139 configs) on this machine.

Runs one SM task per dataset (the middle of its ratios; LM and LS tasks oversample to the same
sizes, ORG is smaller) with the engine's jobs (task x classifier family) on two processes, and
records each task's CPU seconds. Projection: sum over datasets of CPU seconds x that dataset's
number of tasks, divided by the two cores (CPU time, so that another process on the machine -
e.g. an LLM job - does not inflate it; the wall time of this sample is reported too).
Writes ``benchmarks/results/paper_profile.json``.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

from joblib import Parallel, delayed

from lsh.engine.evaluate import merge_families
from lsh.engine.runner import UNIT_ORDER, _payload, compute, default_datasets, plan
from lsh.engine.tasks import METHODS, tasks_for

OUT = Path(__file__).parent / "results" / "paper_profile.json"


def main() -> None:
    datasets = default_datasets()
    all_tasks = tasks_for(datasets, METHODS)
    per_dataset = Counter(task.dataset for task in all_tasks)
    sample = []
    for name in datasets:
        sm = [task for task in all_tasks if task.dataset == name and task.method == "SM"]
        sample.append(sm[len(sm) // 2])
    items = plan(sample, "full", root=Path("/nonexistent"), force=True)
    started = time.perf_counter()
    parts = {}
    units = (delayed(compute)(_payload(item, "full"), [family]) for item in items for family in UNIT_ORDER)
    for task, _, frame, info in Parallel(n_jobs=2, return_as="generator_unordered")(units):
        assert frame is not None, info
        parts.setdefault(task, []).append((frame, info))
    wall = time.perf_counter() - started
    report = {"sample_wall_seconds": wall, "tasks": len(all_tasks), "by_method": Counter(t.method for t in all_tasks),
              "datasets": {}}
    projected_cpu = 0.0
    by_family = Counter()
    for task, task_parts in parts.items():
        _, info = merge_families(task_parts)
        cpu = info["cpu_seconds"]["total"]
        n = per_dataset[task.dataset]
        projected_cpu += cpu * n
        for family in UNIT_ORDER:
            by_family[family] += info["cpu_seconds"].get(family, 0.0) * n
        report["datasets"][task.dataset] = {"task": task.name, "cpu_seconds": cpu, "tasks": n,
                                            "cpu_by_family": info["cpu_seconds"]}
    report["projected_cpu_seconds"] = projected_cpu
    report["projected_cpu_minutes_by_family"] = {k: v / 60 for k, v in by_family.items()}
    report["projected_wall_minutes_2_cores"] = projected_cpu / 2 / 60
    smote_org = sum(report["datasets"][d]["cpu_seconds"] * sum(
        1 for t in all_tasks if t.dataset == d and t.method in ("ORG", "SM", "BSM", "ADA")) for d in report["datasets"])
    report["projected_wall_minutes_2_cores_smote_family_and_org"] = smote_org / 2 / 60
    OUT.write_text(json.dumps(report, indent=1) + "\n")
    print(f"sample of {len(parts)} tasks: {wall:.0f} s wall; projected paper profile ({len(all_tasks)} tasks): "
          f"{projected_cpu / 60:.0f} CPU minutes = {report['projected_wall_minutes_2_cores']:.0f} min on 2 cores "
          f"(ORG + SMOTE family only: {report['projected_wall_minutes_2_cores_smote_family_and_org']:.0f} min); "
          f"by family (CPU min): { {k: round(v) for k, v in report['projected_cpu_minutes_by_family'].items()} } -> {OUT}")


if __name__ == "__main__":
    main()
