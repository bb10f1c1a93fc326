"""A content-addressed cache of LLM calls: every call is recorded and can be replayed offline.

Key: sha256 of the canonical JSON of everything that determines the answer (model, endpoint
kind, messages, JSON schema, sampling parameters, seed). Value: one JSON file holding the raw
response text, its parse, token usage, latency, finish reason, timestamp and library versions,
plus a checksum over all of it. The API key is never part of either.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..atomic import atomic_open

__all__ = [
    "MODES",
    "CacheCorruptError",
    "CacheMissError",
    "CallCache",
    "call_key",
    "canonical_json",
]

MODES = ("record", "replay", "auto")


class CacheMissError(LookupError):
    """Replay mode found no recorded call for a request."""


class CacheCorruptError(ValueError):
    """A cache entry's checksum does not match its content."""


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def call_key(request: dict) -> str:
    """The cache key of a request (a dict without credentials)."""
    return hashlib.sha256(canonical_json(request).encode("utf-8")).hexdigest()


def _checksum(entry: dict) -> str:
    body = {k: v for k, v in entry.items() if k != "checksum"}
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


@dataclass
class CallCache:
    """Recorded LLM calls under ``directory`` (``<key[:2]>/<key>.json``)."""

    directory: Path
    mode: str = "auto"

    def __post_init__(self):
        self.directory = Path(self.directory)
        if self.mode not in MODES:
            raise ValueError(f"cache mode must be one of {MODES}, not {self.mode!r}")

    def path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict | None:
        """The recorded entry, or None; raises ``CacheCorruptError`` for a damaged entry."""
        path = self.path(key)
        if not path.is_file():
            return None
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise CacheCorruptError(f"LLM cache entry {path} is not valid JSON: {error}") from error
        if entry.get("key") != key or entry.get("checksum") != _checksum(entry):
            raise CacheCorruptError(
                f"LLM cache entry {path} fails its checksum: it was edited or damaged. "
                "Delete it to record the call again, or restore it from git."
            )
        return entry

    def put(self, key: str, entry: dict) -> dict:
        """Store an entry atomically (write to a temporary file, then rename)."""
        entry = {**entry, "key": key}
        entry["checksum"] = _checksum(entry)
        with atomic_open(self.path(key), "w") as handle:
            handle.write(json.dumps(entry, sort_keys=True, indent=1, ensure_ascii=False) + "\n")
        return entry
