"""Every path the compendium reads or writes, in one place.

The data directory is the repository's ``data/`` folder. A user who installed the package
elsewhere points ``LSH_DATA_DIR`` at a copy of it.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "ROOT",
    "data_dir",
    "datasets_dir",
    "raw_dir",
    "authors_dir",
    "paper_dir",
    "results_dir",
    "notebooks_dir",
    "book_dir",
    "notebook_config",
    "seeds_dir",
    "results_dir",
]

ROOT = Path(__file__).resolve().parent.parent


class DataDirectoryError(FileNotFoundError):
    """Raised when the compendium's data directory cannot be found."""


def data_dir() -> Path:
    """The data directory: ``$LSH_DATA_DIR`` if set, else ``<repository>/data``."""
    configured = os.environ.get("LSH_DATA_DIR")
    path = Path(configured) if configured else ROOT / "data"
    if not (path / "datasets").is_dir():
        raise DataDirectoryError(
            f"No compendium data directory at {path} (expected a 'datasets' folder inside). "
            "Run from a clone of the repository or set LSH_DATA_DIR to its data/ folder."
        )
    return path


def datasets_dir() -> Path:
    """Registry files, preprocessing rules, provenance notes."""
    return data_dir() / "datasets"


def raw_dir() -> Path:
    """The raw source files as downloaded, byte-identical to their public copies."""
    return datasets_dir() / "raw"


def authors_dir() -> Path:
    """The authors' fingerprints: class counts, column names, meta-features."""
    return datasets_dir() / "authors"


def paper_dir() -> Path:
    """The paper's tables as CSV (copied from the paper, garbled cells left empty)."""
    return data_dir() / "paper"


def results_dir() -> Path:
    """Cached experiment results: one parquet file per task (``lsh run``), committed."""
    return data_dir() / "results"


def notebooks_dir() -> Path:
    """Source notebooks (one per research question), parameterized for papermill."""
    return ROOT / "notebooks"


def notebook_config() -> Path:
    """Which notebooks the book executes, with their parameters."""
    return notebooks_dir() / "notebooks.yml"


def book_dir() -> Path:
    """Book pages and the executed notebooks that the book renders."""
    return ROOT / "book"


def seeds_dir(model: str | None = None) -> Path:
    """LLM seed pools and their call cache; one folder per model (default: the embedded one)."""
    from .llm.embedded import MODEL_ALIAS

    slug = "".join(c if c.isalnum() or c in "-._" else "-" for c in (model or MODEL_ALIAS))
    return data_dir() / "seeds" / slug
