"""Seed pools on disk: one parquet file per (scenario, dataset, split), manifest inside.

A pool holds LLM rows in generation order with the round that produced each row. The
manifest (model, endpoint kind, prompts hash, sampling parameters, seed, counts, rejections,
tokens, seconds, versions, content hash) lives in the parquet file's key-value metadata, so rows
and manifest are replaced together by one atomic rename: a killed writer leaves either the old
pool or the new one, never a mix.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..atomic import atomic_open

__all__ = ["Pool", "PoolCorruptError", "pool_path", "read_pool", "remove_stale_temporaries", "rows_sha256",
           "write_pool"]

MANIFEST_KEY = b"lsh.manifest"
ROUND_COLUMN = "__round__"


class PoolCorruptError(ValueError):
    """A pool file cannot be read, or its rows do not match its manifest."""


@dataclass
class Pool:
    """Rows (generation order), the round of each row, and the manifest."""

    columns: list[str]
    rows: np.ndarray
    rounds: np.ndarray
    manifest: dict = field(default_factory=dict)

    @classmethod
    def empty(cls, columns: list[str]) -> "Pool":
        return cls(list(columns), np.empty((0, len(columns))), np.empty(0, dtype=np.int64))

    @property
    def rounds_done(self) -> int:
        return int(self.manifest.get("rounds", 0))

    def rows_of_round(self, index: int) -> np.ndarray:
        return self.rows[self.rounds == index]

    def append(self, index: int, rows: np.ndarray) -> None:
        self.rows = np.vstack([self.rows, np.asarray(rows, dtype=float).reshape(-1, len(self.columns))])
        self.rounds = np.concatenate([self.rounds, np.full(len(rows), index, dtype=np.int64)])


def pool_path(root: Path, scenario: str, dataset: str, split: str) -> Path:
    return Path(root) / scenario / dataset / f"{split}.parquet"


def rows_sha256(rows: np.ndarray) -> str:
    """Hash of the rows as little-endian float64, C order (what the manifest records)."""
    data = np.ascontiguousarray(np.asarray(rows, dtype="<f8"))
    return hashlib.sha256(data.tobytes()).hexdigest()


def write_pool(path: Path, pool: Pool) -> None:
    """Write rows and manifest atomically (temporary file in the same folder, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    manifest = {**pool.manifest, "rows": int(len(pool.rows)), "rows_sha256": rows_sha256(pool.rows)}
    frame = pd.DataFrame(pool.rows, columns=pool.columns)
    frame[ROUND_COLUMN] = pool.rounds
    table = pa.Table.from_pandas(frame, preserve_index=False)
    metadata = {**(table.schema.metadata or {}), MANIFEST_KEY: json.dumps(manifest, sort_keys=True).encode()}
    table = table.replace_schema_metadata(metadata)
    with atomic_open(path) as handle:
        pq.write_table(table, handle, compression="zstd")
    pool.manifest = manifest


def remove_stale_temporaries(path: Path) -> int:
    """Delete temporary files a killed writer left next to ``path``; returns how many."""
    stale = list(Path(path).parent.glob(f".{Path(path).name}.*.tmp"))
    for temporary in stale:
        temporary.unlink(missing_ok=True)
    return len(stale)


def read_pool(path: Path) -> Pool | None:
    """The pool at ``path`` (None if there is none); rows are checked against the manifest."""
    path = Path(path)
    if not path.is_file():
        return None
    try:
        table = pq.read_table(path)
        manifest = json.loads(table.schema.metadata[MANIFEST_KEY])
    except (OSError, KeyError, ValueError, pa.ArrowException) as error:
        raise PoolCorruptError(f"seed pool {path} cannot be read: {error}") from error
    frame = table.to_pandas()
    rounds = frame.pop(ROUND_COLUMN).to_numpy(dtype=np.int64)
    rows = frame.to_numpy(dtype=float)
    if len(rows) != manifest.get("rows") or rows_sha256(rows) != manifest.get("rows_sha256"):
        raise PoolCorruptError(
            f"seed pool {path}: {len(rows)} rows with hash {rows_sha256(rows)[:12]} do not match its "
            f"manifest ({manifest.get('rows')} rows, hash {str(manifest.get('rows_sha256'))[:12]})"
        )
    return Pool(list(frame.columns), rows, rounds, manifest)
