"""Our per-dataset scores (Table 6 style) from the engine's cached results, with what is missing.

A (dataset, method) gets a score only when **every** task of it is cached and up to date: the
engine's :func:`lsh.engine.runner.plan` says which tasks are cached, which are not computed (or
stale: their inputs changed) and which cannot run because LLM rows are missing from the seed
pools. Selecting among the ratios that happen to be cached would report a different protocol,
so an incomplete method is reported as missing, with the reason, and never filled in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..datasets import get_info, registry

__all__ = ["METHODS", "PAPER_METHODS", "Scores", "profile_datasets", "load_scores", "score_columns"]

METHODS = ("ORG", "SM", "BSM", "ADA", "LM", "LS")
"""The engine's methods, in the order tables show them."""
PAPER_METHODS = ("SM", "LM", "LS")
"""The methods of the paper's Table 6."""
MEASURES = {"v": "val_f1", "t": "test_f1", "a": "achievement"}
"""Table 6's column suffixes and the selection's columns they come from."""


def score_columns(methods: Sequence[str]) -> list[str]:
    """Table 6 column names for these methods: ``SM_v, SM_t, SM_a, LM_v ...``."""
    return [f"{method}_{suffix}" for method in methods for suffix in MEASURES]


def profile_datasets(profile: str, datasets: Sequence[str] | None = None) -> list[str]:
    """The datasets of a run profile (or ``datasets`` if given), as registry names by row."""
    from ..engine.runner import PROFILES

    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; expected one of {', '.join(PROFILES)}")
    names = datasets if datasets is not None else PROFILES[profile]["datasets"]
    if names is None:
        infos = [info for info in registry() if info.available]
    else:
        infos = [get_info(name) for name in names]
    return [info.name for info in sorted(infos, key=lambda info: info.row)]


@dataclass
class Scores:
    """Selected scores of one profile and scenario, and what could not be scored."""

    profile: str
    grid: str
    scenario: str
    faithful: bool
    datasets: list[str]
    methods: list[str]
    table: pd.DataFrame
    """One row per dataset (index: Table 5 row): ``dataset, group, ir`` and per method
    ``{M}_v, {M}_t, {M}_a`` (validation F1, test F1, achievement rate), NaN where missing."""
    selected: pd.DataFrame
    """The engine's selection (:func:`lsh.engine.select.select`) for the complete pairs."""
    missing: pd.DataFrame
    """One row per (dataset, method) without a score: ``dataset, method, reason``."""

    def available(self, method: str) -> list[str]:
        """Datasets with a score for ``method``."""
        column = f"{method}_t"
        return self.table.loc[self.table[column].notna(), "dataset"].tolist()

    def coverage(self) -> pd.DataFrame:
        """Per method: datasets scored, datasets missing, and the distinct reasons."""
        records = []
        for method in self.methods:
            gaps = self.missing[self.missing.method == method]
            records.append({
                "method": method,
                "scored": len(self.available(method)),
                "missing": len(gaps),
                "why missing": "; ".join(sorted({_short_reason(r) for r in gaps.reason})),
            })
        return pd.DataFrame.from_records(records).set_index("method")

    def missing_reason(self, method: str) -> str:
        """One sentence: how many datasets lack ``method`` and why (empty if none do)."""
        gaps = self.missing[self.missing.method == method]
        if gaps.empty:
            return ""
        reasons = "; ".join(sorted({_short_reason(r) for r in gaps.reason}))
        return f"{method} has no score on {len(gaps)} of {len(self.datasets)} datasets ({reasons})"


def _short_reason(reason: str) -> str:
    """The reason without the dataset-specific part, so equal causes group together."""
    if reason.startswith("seed pool"):
        if "cannot serve this pool" in reason:
            return "LLM seed pools impossible: the prompt is longer than the model's context window"
        if "is exhausted" in reason:
            return ("LLM seed pools exhausted: the model stopped finding acceptable new rows "
                    "within the round cap")
        return "LLM seed pools missing or too small (lsh seeds generate)"
    return reason


def _plan_status(datasets, methods, grid, scenario, root, profile):
    """Per (dataset, method): None if complete, else the reason it is not."""
    from ..engine.runner import plan
    from ..engine.tasks import tasks_for

    try:
        tasks = tasks_for(datasets, methods, scenario)
    except ValueError as error:  # the engine does not run this scenario
        return {(d, m): f"not computed: {error}" for d in datasets for m in methods}
    status: dict[tuple[str, str], str | None] = {(d, m): None for d in datasets for m in methods}
    expected = {(d, m): 0 for d in datasets for m in methods}
    for item in plan(tasks, grid, root=root):
        key = (item.task.dataset, item.task.method)
        expected[key] += 1
        if item.status == "cached" or status[key] is not None:
            continue
        if item.status == "missing":
            status[key] = item.reason
        elif item.status == "not applicable":
            status[key] = f"N/A: {item.reason}"
        else:
            status[key] = (f"not computed or out of date at ratio {item.task.ratio_label} "
                           f"(run: lsh run --profile {profile})")
    for key, count in expected.items():
        if count == 0 and status[key] is None:
            status[key] = "no ratio applies (classes already balanced)"
    return status


def load_scores(profile: str = "quick", *, datasets: Sequence[str] | None = None,
                methods: Sequence[str] = METHODS, scenario: str = "general", faithful: bool = True,
                root: Path | None = None) -> Scores:
    """Select every complete (dataset, method) of a profile and build the Table 6 frame.

    Parameters
    ----------
    profile : {"quick", "paper"}
        The run profile (:data:`lsh.engine.runner.PROFILES`): its grid and default datasets.
    datasets : sequence of str, optional
        Only these datasets (default: the profile's).
    methods : sequence of str
        Methods to report (default: all six).
    scenario : str
        ``"general"``, ``"few-shot"`` or ``"zero-shot"`` (:mod:`lsh.scenarios`).
    faithful : bool
        The selection rule (:func:`lsh.engine.select.select`).
    root : Path, optional
        Results directory (default ``data/results``).
    """
    from ..engine.runner import PROFILES
    from ..engine.select import load_results, select

    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValueError(f"unknown method(s) {unknown}; expected some of {', '.join(METHODS)}")
    grid = PROFILES[profile]["grid"] if profile in PROFILES else None
    names = profile_datasets(profile, datasets)
    methods = list(methods)
    status = _plan_status(names, methods, grid, scenario, root, profile)
    complete = [key for key, reason in status.items() if reason is None]
    selected = pd.DataFrame(columns=["dataset", "method", *MEASURES.values()])
    if complete:
        results = load_results(grid, scenario=scenario, datasets=sorted({d for d, _ in complete}),
                               methods=sorted({m for _, m in complete}), root=root)
        keep = pd.MultiIndex.from_frame(results[["dataset", "method"]]).isin(complete)
        selected = select(results[keep], faithful=faithful)
    infos = [get_info(name) for name in names]
    table = pd.DataFrame({"dataset": [i.name for i in infos], "group": [i.group for i in infos],
                          "ir": [i.ir for i in infos]}, index=pd.Index([i.row for i in infos], name="row"))
    by_key = selected.set_index(["dataset", "method"]) if len(selected) else None
    for method in methods:
        for suffix, column in MEASURES.items():
            values = []
            for name in names:
                if by_key is not None and (name, method) in by_key.index:
                    values.append(float(by_key.at[(name, method), column]))
                else:
                    values.append(np.nan)
            table[f"{method}_{suffix}"] = values
    missing = pd.DataFrame.from_records(
        [{"dataset": d, "method": m, "reason": r} for (d, m), r in status.items() if r is not None],
        columns=["dataset", "method", "reason"])
    return Scores(profile, grid, scenario, faithful, names, methods, table,
                  selected.reset_index(drop=True), missing)
