"""Per-task result files: one parquet file per task, keyed by everything the result depends on.

``<results_dir>/<grid>/<scenario>/<dataset>/<method>_<ratio>.parquet`` holds the per-config
frame of ``evaluate.evaluate_task``; its parquet metadata holds the cache key and the inputs it
was computed from (no timings, so that the same inputs give byte-identical files whichever
machine or scheduler computed them; timings go to ``<grid>/timings.jsonl``). A file is reused
only when its key equals the key of the current inputs:

- the dataset: sha256 of the raw file, and a hash of the encoded matrix and labels (which also
  covers the preprocessing recipe and the encoding);
- the LLM rows used (LM, LS): a hash of exactly the rows taken from each part's pool;
- the protocol: constants, the engine's version, the method's sampler settings;
- the grid's configuration ids;
- the versions of the libraries that compute: numpy, scipy, scikit-learn, imbalanced-learn,
  LightGBM.

Files are written to a temporary name and renamed, so an interrupted run never leaves a
half-written result, and a finished task is never lost.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .. import paths
from ..atomic import atomic_open
from ..protocol import CV_SEED, N_FOLDS, RATIOS, SMOTE_SEED, SPLIT_SEED, TEST_SIZE
from .grid import CLASSIFIER_SEED, LR_MAX_ITER, grid_digest
from .tasks import K_NEIGHBORS, Task

__all__ = ["ENGINE_VERSION", "library_versions", "task_inputs", "key_of", "result_path",
           "write_result", "read_meta", "read_result", "append_timing"]

ENGINE_VERSION = "2"
"""Bump when a change to the engine changes what a task computes."""

META_KEY = b"lsh"


def library_versions() -> dict[str, str]:
    import imblearn
    import lightgbm
    import numpy
    import scipy
    import sklearn

    return {"numpy": numpy.__version__, "scipy": scipy.__version__, "scikit-learn": sklearn.__version__,
            "imbalanced-learn": imblearn.__version__, "lightgbm": lightgbm.__version__}


def protocol_settings() -> dict:
    return {"engine": ENGINE_VERSION, "ratios": list(RATIOS), "test_size": TEST_SIZE,
            "split_seed": SPLIT_SEED, "cv_seed": CV_SEED, "n_folds": N_FOLDS, "smote_seed": SMOTE_SEED,
            "k_neighbors": K_NEIGHBORS, "classifier_seed": CLASSIFIER_SEED, "lr_max_iter": LR_MAX_ITER}


def task_inputs(task: Task, *, raw_sha256: str, data_digest: str, seeds_digest: str | None,
                grid_name: str) -> dict:
    """Everything a task's result depends on (stored with the result)."""
    return {
        "task": {"scenario": task.scenario, "dataset": task.dataset, "method": task.method,
                 "ratio": task.ratio},
        "raw_sha256": raw_sha256,
        "data_digest": data_digest,
        "seeds_digest": seeds_digest,
        "grid": {"name": grid_name, "digest": grid_digest(grid_name)},
        "protocol": protocol_settings(),
        "libraries": library_versions(),
    }


def key_of(inputs: dict) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def results_root(root: Path | None = None) -> Path:
    return Path(root) if root is not None else paths.results_dir()


def result_path(task: Task, grid_name: str, root: Path | None = None) -> Path:
    return (results_root(root) / grid_name / task.scenario / task.dataset
            / f"{task.method}_{task.ratio_label}.parquet")


def write_result(path: Path, frame: pd.DataFrame, inputs: dict) -> None:
    """Write atomically: a temporary file in the same folder, then ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    meta = {"key": key_of(inputs), "inputs": inputs}
    table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                           META_KEY: json.dumps(meta, sort_keys=True).encode()})
    with atomic_open(path) as stream:
        pq.write_table(table, stream, compression="zstd")


def read_meta(path: Path) -> dict | None:
    """The stored key and inputs, or None for a missing or unreadable file."""
    try:
        metadata = pq.read_schema(path).metadata or {}
        return json.loads(metadata[META_KEY])
    except (OSError, KeyError, ValueError, pa.ArrowException):
        return None


def read_result(path: Path) -> tuple[pd.DataFrame, dict]:
    table = pq.read_table(path)
    return table.to_pandas(), json.loads(table.schema.metadata[META_KEY])


def append_timing(root: Path | None, grid_name: str, record: dict) -> None:
    target = results_root(root) / grid_name / "timings.jsonl"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("a") as stream:
        stream.write(json.dumps(record, sort_keys=True) + "\n")
