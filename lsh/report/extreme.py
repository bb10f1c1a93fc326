"""RQ3: the few-shot (1:0.01) and zero-shot (1:0.00) scenarios of :mod:`lsh.scenarios`.

Two kinds of evidence:

- whether SMOTE can run at all: the protocol's SMOTE (k = 5) is tried on each of the six
  training parts (five CV folds and the whole 70 %) of each scenario - this needs no engine run;
- Table 3 (test F1 of ORG, SM, LM, LS): from the engine's cached results for the scenario, when
  the engine has computed them; until then every cell is missing, with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import paper
from ..protocol import SMOTE_SEED, SPLIT_NAMES
from ..scenarios import EXTREME_DATASETS, scenario_split
from .results import load_scores

__all__ = ["EXTREME_SCENARIOS", "TABLE3_METHODS", "ExtremeReport", "smote_applicability",
           "paper_table3", "extreme_report", "seed_pools"]

EXTREME_SCENARIOS = ("few-shot", "zero-shot")
TABLE3_METHODS = ("ORG", "SM", "LM", "LS")
_REQUIRED = {"few-shot": ("ORG", "LM", "LS"), "zero-shot": ("LM", "LS")}
"""Methods a Table 3 row needs for the claims (the paper prints N/A for SM, and for ORG in
zero-shot: a classifier cannot learn a class it has never seen)."""


def paper_table3() -> pd.DataFrame:
    """The paper's Table 3 (:func:`lsh.paper.paper_table3`)."""
    return paper.paper_table3()


def smote_applicability(datasets: Sequence[str] = EXTREME_DATASETS,
                        scenarios: Sequence[str] = EXTREME_SCENARIOS, *, ratio: float = 1.0) -> pd.DataFrame:
    """Try the protocol's SMOTE on every training part of each dataset and scenario.

    Returns one row per (scenario, dataset, split): minority and majority rows in the part,
    ``applicable`` and, if not, SMOTE's error message.
    """
    from ..engine.tasks import load_data
    from ..samplers import SMOTE

    records = []
    for scenario in scenarios:
        for name in datasets:
            data = load_data(name)
            split = scenario_split(data.y, scenario)
            for part in SPLIT_NAMES:
                positions = split.training(part)
                X, y = data.X[positions], data.y[positions]
                n_min, n_maj = int((y == 1).sum()), int((y == 0).sum())
                try:
                    SMOTE(sampling_strategy=ratio, k_neighbors=5, random_state=SMOTE_SEED).fit_resample(X, y)
                    error = ""
                except ValueError as failure:  # SmoteNotApplicableError, or one class only
                    error = str(failure).split(". ")[0]
                records.append({"scenario": scenario, "dataset": name, "split": part,
                                "minority rows": n_min, "majority rows": n_maj,
                                "applicable": not error, "error": error})
    return pd.DataFrame.from_records(records)


@dataclass
class ExtremeReport:
    """SMOTE's applicability and our Table 3 scores per scenario."""

    applicability: pd.DataFrame
    tables: dict = field(default_factory=dict)
    """scenario -> :class:`lsh.report.results.Scores` of that scenario."""

    def smote_summary(self) -> dict[tuple[str, str], tuple[int, int]]:
        """(scenario, dataset) -> (training parts where SMOTE is not applicable, parts)."""
        summary = {}
        for (scenario, name), rows in self.applicability.groupby(["scenario", "dataset"], sort=False):
            summary[(scenario, name)] = (int((~rows.applicable).sum()), len(rows))
        return summary

    def table3(self) -> pd.DataFrame:
        """Our Table 3: test F1 per (scenario, dataset) and method, NaN where not computed."""
        frames = []
        for scenario, scores in self.tables.items():
            frame = scores.table.set_index("dataset")[[f"{m}_t" for m in TABLE3_METHODS]]
            frame.columns = list(TABLE3_METHODS)
            frame.index = pd.MultiIndex.from_product([[scenario], frame.index], names=["scenario", "dataset"])
            frames.append(frame)
        return pd.concat(frames)

    def scores(self, scenario: str) -> tuple[pd.DataFrame | None, str]:
        """Our Table 3 rows of one scenario, or (None, reason) if a needed method is missing."""
        scores = self.tables[scenario]
        gaps = [scores.missing_reason(m) for m in _REQUIRED[scenario] if scores.missing_reason(m)]
        if gaps:
            return None, "; ".join(gaps)
        return self.table3().loc[scenario], ""

    def side_by_side(self) -> pd.DataFrame:
        """The paper's Table 3 (datasets A-D, unnamed) above ours (named datasets)."""
        theirs = paper_table3()[list(TABLE3_METHODS)].copy()
        theirs.index = pd.MultiIndex.from_tuples([(s, "paper", d) for s, d in theirs.index],
                                                 names=["scenario", "source", "dataset"])
        ours = self.table3()
        ours.index = pd.MultiIndex.from_tuples([(s, "ours", d) for s, d in ours.index],
                                               names=["scenario", "source", "dataset"])
        order = {s: i for i, s in enumerate(EXTREME_SCENARIOS)}
        frame = pd.concat([theirs, ours])
        keys = [(order[s], 0 if src == "paper" else 1) for s, src, _ in frame.index]
        return frame.iloc[sorted(range(len(frame)), key=lambda i: keys[i])]


def extreme_report(profile: str = "quick", *, datasets: Sequence[str] = EXTREME_DATASETS,
                   faithful: bool = True) -> ExtremeReport:
    """SMOTE's applicability and the engine's results (if any) for both extreme scenarios."""
    applicability = smote_applicability(datasets)
    tables = {scenario: load_scores(profile, datasets=datasets, methods=TABLE3_METHODS,
                                    scenario=scenario, faithful=faithful)
              for scenario in EXTREME_SCENARIOS}
    return ExtremeReport(applicability, tables)


def minority_counts(report: ExtremeReport) -> pd.DataFrame:
    """Minority rows per training part and whether SMOTE ran, one row per (scenario, dataset)."""
    frame = report.applicability.pivot_table(index=["scenario", "dataset"], columns="split",
                                             values="minority rows", sort=False)[list(SPLIT_NAMES)]
    frame.columns = [f"minority in {c}" for c in frame.columns]
    ok = report.applicability.groupby(["scenario", "dataset"], sort=False).applicable
    frame["SMOTE runs on"] = [f"{int(v.sum())} of {len(v)} parts" for _, v in ok]
    errors = report.applicability[~report.applicability.applicable].groupby(
        ["scenario", "dataset"], sort=False).error.first()
    frame["SMOTE's error"] = errors.reindex(frame.index).fillna("")
    return frame.astype({c: np.int64 for c in frame.columns if c.startswith("minority")})


def seed_pools(datasets: Sequence[str] = EXTREME_DATASETS, model: str | None = None) -> pd.DataFrame:
    """The LLM seed pools of the extreme scenarios, per (scenario, dataset): pools holding the rows
    LSH needs, rows stored and needed, pools that stopped at their round cap short of their
    target, and the share of the LLM's outputs accepted (rows stored over rows stored +
    rejected), which tells why a pool is still short."""
    from ..seeds import coverage

    frame = coverage(list(datasets), EXTREME_SCENARIOS, model=model).sort_values("scenario", kind="stable")
    grouped = frame.groupby(["scenario", "dataset"], sort=False)
    stored = grouped.rows.sum()
    table = pd.DataFrame({
        "LS pools complete": grouped.ls_complete.sum().astype(int).astype(str) + " of " + grouped.size().astype(str),
        "rows stored": stored,
        "LS rows needed": grouped.ls_rows.sum(),
        "rounds": grouped.rounds.sum(),
        "pools exhausted": grouped.exhausted.sum().astype(int),
    })
    outputs = stored + grouped.rejected.sum()
    table["accepted share"] = (stored / outputs.where(outputs > 0)).round(4)
    return table
