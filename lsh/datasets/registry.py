"""The registry of the paper's 60 datasets (Table 5), with provenance and expected shapes.

Assembled from files shipped in ``data/``: the paper's Table 5, the raw files' sources
(``raw/SOURCES.csv``), the authors' class counts (``authors/rows.csv``), the per-row target
rules (``rules.csv``) and the reasons a dataset is missing (``missing.csv``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import paths

__all__ = ["DatasetInfo", "UnknownDatasetError", "registry", "get_info"]

AVAILABLE = "available"
MISSING = "missing"
GROUP_ORDER = ("more", "mid", "less")
DEFAULT_RULE = "majority_vs_rest"


class UnknownDatasetError(KeyError):
    """Raised for a dataset name or row that is not in Table 5."""

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


@dataclass(frozen=True)
class DatasetInfo:
    """One row of the paper's Table 5 and where its data come from."""

    row: int
    name: str
    group: str
    openml: str
    openml_id: int | None
    status: str
    status_reason: str
    file: str
    source: str
    source_path: str
    source_commit: str
    licence: str
    sha256: str
    bytes: int | None
    target: str | None
    rule: str
    target_description: str
    rule_note: str
    expected_size: int
    expected_features: int
    expected_minority: int
    expected_majority: int
    ir_table5: str
    ir_authors: float

    @property
    def available(self) -> bool:
        return self.status == AVAILABLE

    @property
    def raw_path(self) -> Path:
        return paths.raw_dir() / self.file

    @property
    def read_path(self) -> Path:
        """The file the loader parses (row 32: the CSV conversion of the .Rda file)."""
        if self.file.endswith(".Rda"):
            return self.raw_path.with_name(self.file[: -len(".Rda")] + ".from_rda.csv")
        return self.raw_path

    @property
    def fetched_path(self) -> Path:
        """Where ``lsh datasets fetch`` stores a copy downloaded from OpenML."""
        return paths.datasets_dir() / "fetched" / f"{self.row:02d}_{self.name}.csv"

    @property
    def ir(self) -> float:
        """Imbalance ratio majority:minority from the authors' class counts."""
        return self.expected_majority / self.expected_minority

    @property
    def openml_label(self) -> str:
        """The OpenML id for tables: ``1071``, ``957?`` when uncertain, or ``unverified``."""
        match = re.match(r"\s*(\d+\??)", self.openml)
        return match.group(1) if match else "unverified"


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _openml_id(text: str) -> int | None:
    """The leading OpenML id of a SOURCES.csv entry, or None if it is absent or uncertain."""
    match = re.match(r"\s*(\d+)(\?)?", text)
    if not match or match.group(2):
        return None
    return int(match.group(1))


@lru_cache(maxsize=1)
def registry() -> tuple[DatasetInfo, ...]:
    """All 60 rows of Table 5, in Table 5 order."""
    directory = paths.datasets_dir()
    table5 = {int(r["row"]): r for r in _read_csv(paths.paper_dir() / "table5_datasets.csv")}
    sources = {int(r["row"]): r for r in _read_csv(directory / "raw" / "SOURCES.csv")}
    counts = {int(r["row"]): r for r in _read_csv(directory / "authors" / "rows.csv")}
    rules = {int(r["row"]): r for r in _read_csv(directory / "rules.csv")}
    missing = {int(r["row"]): r["reason"] for r in _read_csv(directory / "missing.csv")}

    entries = []
    for row, t5 in sorted(table5.items()):
        source = sources[row]
        count = counts[row]
        rule = rules.get(row, {})
        if int(count["sample#"]) != int(t5["size"]) or int(count["feature#"]) != int(
            t5["features"]
        ):
            raise ValueError(f"Table 5 and the authors' counts disagree on row {row}")
        entries.append(
            DatasetInfo(
                row=row,
                name=source["name"],
                group=t5["group"],
                openml=source["openml_id"],
                openml_id=_openml_id(source["openml_id"]),
                status=MISSING if row in missing else AVAILABLE,
                status_reason=missing.get(row, ""),
                file=source["file"].strip(),
                source=source["source"],
                source_path=source["source_path"],
                source_commit=source["source_commit"],
                licence=source["licence_seen"],
                sha256=source["sha256"],
                bytes=int(source["bytes"]) if source["bytes"].isdigit() else None,
                target=rule.get("target") or None,
                rule=rule.get("rule") or DEFAULT_RULE,
                target_description=source["target_and_binarisation"],
                rule_note=rule.get("note", ""),
                expected_size=int(t5["size"]),
                expected_features=int(t5["features"]),
                expected_minority=int(count["minor"]),
                expected_majority=int(count["major"]),
                ir_table5=t5["ir"],
                ir_authors=float(count["Imb_Ratio(x:1)"]),
            )
        )
    return tuple(entries)


def get_info(dataset: str | int) -> DatasetInfo:
    """Look a dataset up by its name (case-insensitive) or its Table 5 row number."""
    entries = registry()
    if isinstance(dataset, int) or (isinstance(dataset, str) and dataset.strip().isdigit()):
        row = int(dataset)
        for entry in entries:
            if entry.row == row:
                return entry
        raise UnknownDatasetError(f"Table 5 has rows 1-{len(entries)}, not {row}.")
    wanted = str(dataset).strip().lower()
    for entry in entries:
        if entry.name.lower() == wanted:
            return entry
    close = [e.name for e in entries if wanted[:4] and wanted[:4] in e.name.lower()]
    hint = f" Did you mean: {', '.join(close[:5])}?" if close else ""
    raise UnknownDatasetError(
        f"No dataset named {dataset!r} in the registry.{hint} "
        "Run 'lsh datasets' to list all 60."
    )
