"""The paper's 60 datasets: registry, provenance, and the authors' preprocessing recipe."""

from .loader import (
    DatasetMissingError,
    RawFileError,
    encode_numeric,
    load_dataset,
    load_with_report,
    read_raw,
)
from .registry import DatasetInfo, UnknownDatasetError, get_info, registry

__all__ = [
    "DatasetInfo",
    "DatasetMissingError",
    "RawFileError",
    "UnknownDatasetError",
    "encode_numeric",
    "get_info",
    "load_dataset",
    "load_with_report",
    "read_raw",
    "registry",
]
