"""Execute the book's notebooks with papermill and write the generated page fragments.

The list of notebooks and their parameters lives in ``notebooks/notebooks.yml``. Executed
copies go to ``book/``; Jupyter Book renders them without executing anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import paths
from .datasets import registry

__all__ = ["NotebookJob", "load_jobs", "execute", "strip_volatile_metadata", "write_status"]


@dataclass(frozen=True)
class NotebookJob:
    source: Path
    output: Path
    parameters: dict = field(default_factory=dict)


def load_jobs(config: Path | None = None) -> list[NotebookJob]:
    """Read the notebook list; every source must exist."""
    config = config or paths.notebook_config()
    entries = yaml.safe_load(config.read_text())["notebooks"]
    jobs = []
    for entry in entries:
        job = NotebookJob(
            source=paths.ROOT / entry["source"],
            output=paths.ROOT / entry["output"],
            parameters=dict(entry.get("parameters") or {}),
        )
        if not job.source.is_file():
            raise FileNotFoundError(f"{config.name} lists {entry['source']}, which does not exist")
        jobs.append(job)
    return jobs


def strip_volatile_metadata(path: Path) -> None:
    """Remove timestamps and durations so that re-executing gives the same file."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    notebook.metadata.pop("papermill", None)
    for index, cell in enumerate(notebook.cells):
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags:
            cell.id = f"injected-parameters-{index}"  # papermill draws a random id
        if "parameters" in tags and "remove-cell" not in tags:
            tags.append("remove-cell")  # the book shows the injected values only
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    nbformat.write(notebook, path)


def execute(jobs: list[NotebookJob] | None = None) -> list[Path]:
    """Execute each notebook into ``book/`` with its parameters; returns the outputs."""
    import papermill

    outputs = []
    for job in jobs or load_jobs():
        job.output.parent.mkdir(parents=True, exist_ok=True)
        print(f"executing {job.source.relative_to(paths.ROOT)} -> {job.output.relative_to(paths.ROOT)}")
        papermill.execute_notebook(
            str(job.source),
            str(job.output),
            parameters=job.parameters,
            kernel_name="python3",
            cwd=str(paths.ROOT),
            progress_bar=False,
        )
        strip_volatile_metadata(job.output)
        outputs.append(job.output)
    return outputs


def write_status(target: Path | None = None) -> Path:
    """Write the intro page's status fragment from the registry (never typed by hand)."""
    target = target or paths.book_dir() / "_generated" / "status.md"
    entries = registry()
    missing = [e for e in entries if not e.available]
    lines = [
        f"- **Datasets**: {len(entries) - len(missing)} of the paper's {len(entries)} datasets "
        "are shipped as raw files and rebuilt by the authors' recipe on every load."
    ]
    for entry in missing:
        lines.append(
            f"- **Missing**: Table 5 row {entry.row}, `{entry.name}` (OpenML {entry.openml_id}). "
            f"{entry.status_reason} Every table of this book reports it as missing."
        )
    lines.extend(_seed_status())
    lines.extend(_results_status())
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines) + "\n")
    return target


def _seed_status() -> list[str]:
    """Which LLM produced the cached seed pools, and how much of what LS and LM need they hold."""
    from .seeds import PoolCorruptError, coverage, coverage_summary, read_pool

    root = paths.data_dir() / "seeds"
    folders = sorted(p for p in root.iterdir() if p.is_dir() and any(p.glob("*/*/*.parquet"))) if root.is_dir() else []
    if not folders:
        return ["- **LLM seeds**: no seed pool is cached yet, so every LLM-only (LM) and LSH (LS) "
                "result is missing, and marked so in every chapter (`lsh seeds generate` creates them)."]
    lines = []
    for folder in folders:
        try:
            manifest = read_pool(next(folder.glob("*/*/*.parquet"))).manifest
        except PoolCorruptError:
            manifest = {}
        pools = coverage(model=folder.name)
        summary = coverage_summary(pools)
        parts = [f"{row['phase']} ({row['scenario']}) {row['pools complete']} pools, "
                 f"{row['rows stored']:,} of {row['rows needed']:,} rows" for row in summary.to_dict("records")]
        failed = pools[pools.failed != ""]
        impossible = (f" The model cannot serve {len(failed)} pools ({', '.join(sorted(set(failed.dataset)))}): "
                      "their prompts are longer than its context window." if len(failed) else "")
        lines.append(
            f"- **LLM seeds**: `{manifest.get('model', folder.name)}` "
            f"({manifest.get('endpoint_kind', 'endpoint not recorded')}; folder `data/seeds/{folder.name}`). "
            f"Complete: {'; '.join(parts)}.{impossible} A result that needs rows a pool does not hold yet is "
            "shown as missing (`lsh seeds status` lists them).")
    return lines


def _results_status() -> list[str]:
    """Which run profile the RQ chapters read, and how many result files are cached."""
    profiles = sorted({str(job.parameters["profile"]) for job in load_jobs() if "profile" in job.parameters})
    lines = []
    for profile in profiles:
        from .engine.runner import PROFILES

        grid = PROFILES[profile]["grid"]
        files = sorted((paths.results_dir() / grid).glob("*/*/*.parquet"))
        datasets = {f.parent.name for f in files}
        lines.append(f"- **Results**: the research-question chapters read the `{profile}` profile "
                     f"(grid `{grid}`): {len(files)} cached task files on {len(datasets)} datasets.")
    return lines
