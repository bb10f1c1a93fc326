"""Every synthetic row is checked before it is kept; every rejection is counted by reason."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

__all__ = ["REASONS", "RowValidator", "Rejections"]

REASONS = (
    "invalid_json",        # the response is not JSON
    "non_finite_json",     # JSON with NaN, Infinity, or a number beyond float range
    "schema_violation",    # JSON that does not follow the requested schema
    "truncated",           # finish_reason "length": the answer was cut off
    "no_output",           # a valid program without any output operation
    "skipped_operation",   # an operation on an unknown variable or without a finite value
    "out_of_range_operation",  # a set_to/change_by that would leave the column's range
    "non_finite",          # a row with NaN or infinity
    "out_of_range",        # a value far outside the observed range of its column
    "duplicate",           # the same row as one generated before
    "copy_of_real",        # an exact copy of a real row
    "surplus",             # generated beyond what was needed (dropped at random, as the authors)
)


@dataclass
class Rejections:
    """Counts of rejected responses, operations and rows, by reason."""

    counts: Counter = field(default_factory=Counter)

    def add(self, reason: str, n: int = 1) -> None:
        if reason not in REASONS:
            raise ValueError(f"unknown rejection reason {reason!r}")
        if n:
            self.counts[reason] += n

    def as_dict(self) -> dict[str, int]:
        return {reason: int(self.counts[reason]) for reason in REASONS if self.counts[reason]}

    @property
    def total(self) -> int:
        return int(sum(self.counts.values()))


class RowValidator:
    """Accept rows that are finite, near the observed ranges, new, and not copies of real rows.

    Parameters
    ----------
    reference : ndarray of shape (n_rows, n_features)
        The real rows whose ranges define "far outside" and which must not be copied.
    tolerance : float
        A value is out of range when it lies more than ``tolerance`` times the column's observed
        range below its minimum or above its maximum (constant columns: the value must be equal).
    """

    def __init__(self, reference: np.ndarray, tolerance: float):
        reference = np.asarray(reference, dtype=float)
        self.low = reference.min(axis=0)
        self.high = reference.max(axis=0)
        margin = tolerance * (self.high - self.low)
        self.lower, self.upper = self.low - margin, self.high + margin
        self._real = {row.tobytes() for row in reference}
        self._seen: set[bytes] = set()

    def filter(self, rows: np.ndarray, rejections: Rejections) -> np.ndarray:
        """The acceptable rows, in order; rejected rows are counted in ``rejections``."""
        kept = []
        for row in np.asarray(rows, dtype=float).reshape(-1, len(self.low)) + 0.0:  # -0.0 -> 0.0
            if not np.isfinite(row).all():
                rejections.add("non_finite")
            elif ((row < self.lower) | (row > self.upper)).any():
                rejections.add("out_of_range")
            elif row.tobytes() in self._real:
                rejections.add("copy_of_real")
            elif row.tobytes() in self._seen:
                rejections.add("duplicate")
            else:
                self._seen.add(row.tobytes())
                kept.append(row)
        return np.array(kept, dtype=float).reshape(-1, len(self.low))
