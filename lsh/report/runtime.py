"""RQ5: the runtime study (LLM-only vs LSH per ratio), tokens and estimated cost.

The study is measured by :mod:`lsh.seeds.runtime` (live LLM calls), one JSON file per timed
dataset in ``<seeds dir>/runtime/<dataset>.json`` (:func:`default_dir`, e.g.
``data/seeds/smollm2-135m-instruct/runtime/``). This module only reads those files::

    {"dataset": "analcatdata_draft", "n_features": 5, "model": "...", "endpoint_kind": "embedded",
     "machine": {"cpus": 2, "platform": "..."}, "measured": "2026-...",
     "rows": [
       {"method": "LM", "ratio": 0.2, "seconds": 61.3, "llm_seconds": 61.2, "calls": 14,
        "tokens": 11000, "rows_added": 40},
       {"method": "LS", "ratio": 0.2, "seconds": 60.8, ...},     # seed generation (+ SMOTE)
       {"method": "LS", "ratio": 0.4, "seconds": 0.004, "tokens": 0, "smote_seconds": 0.004, ...}
     ],
     "price": {"usd_per_million_tokens": ..., "source": "..."}   # optional, see below
    }

LM rows are complete runs (the LLM is called anew at every ratio). LS rows are **incremental**:
the first ratio's row holds the seed generation, later rows only SMOTE's expansion. Like the
paper's Figure 4, the chapter shows LSH's **total** at each ratio: the first row's seconds and
tokens plus that ratio's own (:meth:`RuntimeStudy.totals`).

A cost is estimated only when a file gives a ``price`` (``usd_per_million_tokens`` for all
tokens, or ``input_usd_per_million_tokens`` and ``output_usd_per_million_tokens`` with rows that
split ``prompt_tokens``/``completion_tokens``) and its ``source``; no price is ever assumed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import paths
from ..seeds.runtime import PARTIAL_SUFFIX

__all__ = ["RuntimeFileError", "RuntimeStudy", "default_dir", "load_runtime", "paper_runtime",
           "paper_runtime_frame", "REQUIRED"]

REQUIRED = ("method", "ratio", "seconds")


class RuntimeFileError(ValueError):
    """A runtime file exists but does not follow the documented form."""


def default_dir(model: str | None = None) -> Path:
    """Where the runtime study of ``model``'s seeds lives (default: the embedded model's)."""
    return paths.seeds_dir(model) / "runtime"


@dataclass
class RuntimeStudy:
    """The runtime study: one row per (dataset, method, ratio) as measured, plus metadata."""

    runs: pd.DataFrame
    """As stored (LS rows incremental): ``dataset, n_features, method, ratio, seconds`` and the
    optional columns the files give (``llm_seconds, smote_seconds, calls, tokens, rows_added``)."""
    meta: pd.DataFrame
    """One row per dataset: model, endpoint, machine, when measured, price source."""
    prices: dict
    in_progress: list = field(default_factory=list)
    """Datasets whose study was interrupted (a ``*.partial.json`` file): not shown until complete."""

    def totals(self) -> pd.DataFrame:
        """Runtime and tokens to reach each ratio: LM as measured; LS = seeds (its first row) plus
        that ratio's SMOTE step. Columns ``dataset, n_features, method, ratio, seconds[, tokens]``."""
        frames = []
        for (dataset, method), part in self.runs.groupby(["dataset", "method"], sort=True):
            part = part.sort_values("ratio").copy()
            if method == "LS":
                first = part.iloc[0]
                later = part.ratio > first.ratio
                part.loc[later, "seconds"] = first.seconds + part.loc[later, "seconds"]
                if "tokens" in part:
                    part.loc[later, "tokens"] = first.tokens + part.loc[later, "tokens"]
            frames.append(part)
        columns = ["dataset", "n_features", "method", "ratio", "seconds"] + \
            (["tokens"] if "tokens" in self.runs else [])
        return pd.concat(frames, ignore_index=True)[columns]

    def per_dataset(self) -> dict[str, dict]:
        """Per dataset: LM at the first and last ratio, the spread of LM and LS totals over the
        ratios, LS at the last ratio, and the spread of their tokens (when the files give them)."""
        evidence = {}
        totals = self.totals()
        for dataset, runs in totals.groupby("dataset", sort=True):
            values: dict = {}
            for method in ("LM", "LS"):
                part = runs[runs.method == method].sort_values("ratio")
                if part.empty:
                    continue
                seconds = part.seconds.to_numpy(dtype=float)
                if method == "LM":
                    values["LM first s"] = round(float(seconds[0]), 1)
                values[f"{method} last s"] = round(float(seconds[-1]), 1)
                values[f"{method} range s"] = round(float(seconds.max() - seconds.min()), 1)
                if "tokens" in part and part.tokens.notna().all():
                    tokens = part.tokens.to_numpy(dtype=float)
                    values[f"{method} tokens range"] = int(tokens.max() - tokens.min())
            evidence[f"{dataset} ({int(runs.n_features.iloc[0])} features)"] = values
        return evidence

    def table(self) -> pd.DataFrame:
        """The measured rows with LSH's totals, and a cost where a price is given."""
        frame = self.runs.copy()
        totals = self.totals().set_index(["dataset", "method", "ratio"])
        frame = frame.set_index(["dataset", "method", "ratio"]).sort_index()
        frame.insert(1, "total seconds", totals.seconds.reindex(frame.index))
        if "tokens" in totals:
            frame.insert(2, "total tokens", totals.tokens.reindex(frame.index))
        cost = [self._cost(dataset, row) for (dataset, _, _), row in frame.iterrows()]
        if any(c is not None for c in cost):
            frame["cost (USD)"] = [np.nan if c is None else c for c in cost]
        frame = frame.rename(index=lambda ratio: f"{ratio:.1f}", level="ratio")  # as the paper prints
        return frame.drop(columns=["n_features"])

    def _cost(self, dataset, row):
        price = self.prices.get(dataset)
        if not price:
            return None
        if "usd_per_million_tokens" in price and "total tokens" in row:
            return float(row["total tokens"]) * price["usd_per_million_tokens"] / 1e6
        if {"prompt_tokens", "completion_tokens"} <= set(row.index):
            return (row.prompt_tokens * price["input_usd_per_million_tokens"]
                    + row.completion_tokens * price["output_usd_per_million_tokens"]) / 1e6
        return None


def load_runtime(directory: Path | str | None = None) -> tuple[RuntimeStudy | None, str]:
    """Read every ``*.json`` runtime file of ``directory``; ``(None, reason)`` if there is none.

    Raises
    ------
    RuntimeFileError
        If a file exists but is malformed (a field missing, an unknown method ...).
    """
    directory = Path(directory) if directory is not None else default_dir()
    found = sorted(directory.glob("*.json")) if directory.is_dir() else []
    files = [path for path in found if not path.name.endswith(PARTIAL_SUFFIX)]
    in_progress = [path.name[:-len(PARTIAL_SUFFIX)] for path in found if path.name.endswith(PARTIAL_SUFFIX)]
    if not files:
        unfinished = f"; unfinished: {', '.join(in_progress)}" if in_progress else ""
        return None, (f"no runtime study in {_relative(directory)} yet (measured live by "
                      f"lsh.seeds.runtime, one file per timed dataset{unfinished})")
    runs, meta, prices = [], [], {}
    for path in files:
        try:
            record = json.loads(path.read_text())
        except ValueError as error:
            raise RuntimeFileError(f"{path}: not valid JSON ({error})") from None
        rows = record.get("rows")
        if not isinstance(rows, list) or not rows:
            raise RuntimeFileError(f"{path}: 'rows' must be a non-empty list")
        dataset = record.get("dataset") or path.stem
        for index, row in enumerate(rows):
            absent = [key for key in REQUIRED if key not in row]
            if absent:
                raise RuntimeFileError(f"{path}: row {index} has no {', '.join(absent)}")
            if row["method"] not in ("LM", "LS"):
                raise RuntimeFileError(f"{path}: row {index} has method {row['method']!r}; expected LM or LS")
            runs.append({"dataset": dataset, "n_features": record.get("n_features", np.nan), **row})
        price = record.get("price")
        if price is not None:
            if "source" not in price or not ({"usd_per_million_tokens"} <= set(price) or
                                             {"input_usd_per_million_tokens", "output_usd_per_million_tokens"} <= set(price)):
                raise RuntimeFileError(f"{path}: 'price' needs a source and usd_per_million_tokens "
                                       "(or input_/output_usd_per_million_tokens)")
            prices[dataset] = price
        machine = record.get("machine") or {}
        meta.append({"dataset": dataset, "model": record.get("model", ""),
                     "endpoint": record.get("endpoint_kind", ""),
                     "machine": ", ".join(f"{k} {v}" for k, v in machine.items()) if isinstance(machine, dict)
                     else str(machine),
                     "measured": record.get("measured", ""),
                     "price": price["source"] if price else "no price given: no cost estimated"})
    frame = pd.DataFrame.from_records(runs).astype({"ratio": float, "seconds": float})
    return RuntimeStudy(frame, pd.DataFrame.from_records(meta).set_index("dataset"), prices, in_progress), ""


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(path)


_PAPER_QUANTITIES = {
    "5-feature dataset": {
        "LM first s": "LLM-only runtime per resampling run, 5-feature dataset (min)",
        "LM last s": "LLM-only runtime per resampling run, 5-feature dataset (max)",
        "LS last s": "LSH total runtime, 5-feature dataset",
    },
    "37-feature dataset": {
        "LM first s": "LLM-only runtime, 37-feature dataset (min)",
        "LM last s": "LLM-only runtime, 37-feature dataset (max)",
        "LS last s": "LSH runtime, 37-feature dataset",
    },
}


def paper_runtime() -> dict[str, dict]:
    """The runtimes the paper's text states (section 5.5), in :meth:`RuntimeStudy.per_dataset`'s
    form. The text gives LLM-only's range ("between 65 and 230 seconds ... increasing as the
    resampling ratio grew": first and last ratio) and LSH's approximate total."""
    from ..paper import text_number

    return {name: {key: text_number(quantity).value for key, quantity in quantities.items()}
            for name, quantities in _PAPER_QUANTITIES.items()}


def paper_runtime_frame() -> pd.DataFrame:
    """The paper's stated runtimes as printed, one row per timed dataset."""
    from ..paper import text_number

    records = []
    for name, quantities in _PAPER_QUANTITIES.items():
        record = {"timed dataset": name}
        labels = {"LM first s": "LLM-only, first ratio", "LM last s": "LLM-only, last ratio",
                  "LS last s": "LSH, every ratio (total)"}
        record.update({labels[key]: text_number(quantity).text for key, quantity in quantities.items()})
        records.append(record)
    return pd.DataFrame.from_records(records).set_index("timed dataset")
