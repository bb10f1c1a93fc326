"""One LLM client for every endpoint: the embedded server, OpenAI, or any compatible server.

Endpoint, model and key come from arguments or the environment (``LSH_LLM_BASE_URL``,
``LSH_LLM_MODEL``, ``OPENAI_API_KEY``). With neither an endpoint nor a model, the embedded
llama.cpp server is started on first use (never in replay mode). Every call goes through the
call cache; the key is read from the environment and never stored.
"""

from __future__ import annotations

import json
import math
import os
import platform
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from .cache import CacheMissError, CallCache, call_key
from .embedded import MODEL_ALIAS, shared_server

__all__ = ["LLMClient", "LLMError", "LLMResponse", "PromptTooLongError", "Usage", "PRICES_PER_MILLION"]

# USD per million tokens (input, output), OpenAI's list prices for the models the paper used.
PRICES_PER_MILLION = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
}


class LLMError(RuntimeError):
    """An LLM call failed in a way the user must act on (message says how)."""


class PromptTooLongError(LLMError):
    """The endpoint refused a prompt longer than the model's context window."""


# How OpenAI and llama.cpp's server name a prompt longer than the context in a 400 answer.
CONTEXT_ERRORS = {"context_length_exceeded", "exceed_context_size_error"}


@dataclass
class Usage:
    """What LLM calls cost: live calls, replayed calls, tokens, seconds."""

    calls: int = 0
    replayed: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    retries: int = 0

    def add(self, entry: dict, replayed: bool) -> None:
        self.calls += 1
        self.replayed += int(replayed)
        self.prompt_tokens += entry["usage"]["prompt_tokens"]
        self.completion_tokens += entry["usage"]["completion_tokens"]
        self.seconds += entry["latency_s"]

    def price_usd(self, model: str) -> float | None:
        """Estimated price at OpenAI list prices, or None for a model without a known price."""
        prices = PRICES_PER_MILLION.get(model)
        if prices is None:
            return None
        return (self.prompt_tokens * prices[0] + self.completion_tokens * prices[1]) / 1e6


@dataclass(frozen=True)
class LLMResponse:
    content: str
    parsed: object | None
    parse_error: str | None
    finish_reason: str
    usage: dict
    latency_s: float
    key: str
    replayed: bool


class NonFiniteNumber(ValueError):
    """JSON with NaN or infinity (literal, or a number too large for a float)."""


def _reject_constant(name: str):
    raise NonFiniteNumber(f"non-finite number {name}")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise NonFiniteNumber(f"non-finite number {text}")
    return value


def parse_json(content: str) -> tuple[object | None, str | None]:
    """Strict JSON: the parsed value and None, or None and why it was refused."""
    try:
        return json.loads(content, parse_constant=_reject_constant, parse_float=_finite_float), None
    except NonFiniteNumber as error:
        return None, str(error)
    except ValueError as error:
        return None, f"invalid JSON: {error}"


def _versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for package in ("openai", "xllamacpp", "lsh"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return versions


def _constraint(endpoint_kind: str) -> str:
    """How a schema reaches the endpoint (part of the cache key: it changes the answers).

    - ``grammar-compact`` (embedded llama.cpp): the schema becomes an llguidance grammar without
      optional whitespace. llguidance also enforces numeric bounds, which llama.cpp's
      ``response_format`` path does not, and the small model otherwise spends a third of its
      tokens on indentation.
    - ``json-schema`` (other OpenAI-compatible servers): ``response_format`` with the schema.
    - ``json-schema-nonstrict`` (OpenAI): OpenAI's strict mode rejects tuple arrays
      (``prefixItems``), so the schema is sent non-strict; every answer is validated here anyway.
    """
    return {"embedded": "grammar-compact", "openai": "json-schema-nonstrict"}.get(endpoint_kind, "json-schema")


COMPACT_JSON = {"whitespace_flexible": False, "item_separator": ",", "key_separator": ":"}


def _structured_output(request: dict) -> dict:
    """The keyword arguments that constrain the answer to ``request["schema"]``."""
    local = request["endpoint_kind"] != "openai"
    extra = {"cache_prompt": False} if local else {}  # seed-reproducible sampling on llama.cpp
    schema, constraint = request["schema"], request.get("constraint")
    if schema is None:
        return {"extra_body": extra} if extra else {}
    if constraint == "grammar-compact":
        from xllamacpp import json_schema_to_grammar

        extra["grammar"] = json_schema_to_grammar(json.dumps({**schema, "x-guidance": COMPACT_JSON}))
        return {"extra_body": extra}
    response_format = {"type": "json_schema", "json_schema": {
        "name": request["schema_name"], "schema": schema, "strict": constraint == "json-schema"}}
    return {"response_format": response_format, **({"extra_body": extra} if extra else {})}


@dataclass
class LLMClient:
    """Chat completions with JSON-schema output, through the call cache.

    Parameters
    ----------
    base_url : str, optional
        An OpenAI-compatible endpoint; default ``$LSH_LLM_BASE_URL``, else the embedded server
        (no model given) or OpenAI's API (a model given).
    model : str, optional
        Default ``$LSH_LLM_MODEL``, else the embedded SmolLM2-135M-Instruct.
    api_key : str, optional
        Default ``$OPENAI_API_KEY``. Never written anywhere.
    cache_dir : path, optional
        Where calls are recorded; default ``data/llm_cache``.
    cache_mode : {"auto", "record", "replay"}
        ``replay`` never calls the LLM and fails on a miss, naming the key.
    timeout : float
        Seconds per request.
    max_retries : int
        Retries after a 429, a 5xx, a timeout or a refused connection (exponential backoff).
    """

    base_url: str | None = None
    model: str | None = None
    api_key: str | None = field(default=None, repr=False)
    cache_dir: Path | None = None
    cache_mode: str = "auto"
    timeout: float = 120.0
    max_retries: int = 3
    backoff_s: float = 1.0

    def __post_init__(self):
        from .. import paths

        self.base_url = self.base_url or os.environ.get("LSH_LLM_BASE_URL") or None
        self.model = self.model or os.environ.get("LSH_LLM_MODEL") or None
        if self.base_url is None and self.model in (None, MODEL_ALIAS):
            self.endpoint_kind, self.model = "embedded", MODEL_ALIAS
        elif self.base_url is None:
            self.endpoint_kind = "openai"
        else:
            self.endpoint_kind = "openai-compatible"
            self.model = self.model or MODEL_ALIAS
        self.cache = CallCache(self.cache_dir or paths.data_dir() / "llm_cache", self.cache_mode)
        self.usage = Usage()
        self._client = None

    def _openai(self):
        if self._client is not None:
            return self._client
        from openai import OpenAI

        if self.endpoint_kind == "embedded":
            base_url, api_key = shared_server().base_url, "embedded"
        else:
            base_url = self.base_url
            api_key = self.api_key or os.environ.get("OPENAI_API_KEY")
            if not api_key:
                if self.endpoint_kind == "openai":
                    raise LLMError(
                        f"Model {self.model!r} is served by OpenAI: set OPENAI_API_KEY, or give "
                        "--base-url for another OpenAI-compatible server."
                    )
                api_key = "none"  # local servers accept any key
        self._client = OpenAI(base_url=base_url, api_key=api_key, timeout=self.timeout, max_retries=0)
        return self._client

    def close(self) -> None:
        """Close the HTTP client; the shared embedded server stays up until the process exits."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> "LLMClient":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def request(self, messages: list[dict], *, schema: dict, schema_name: str,
                temperature: float, top_p: float, max_tokens: int, seed: int) -> dict:
        """The request as cached: everything that determines the answer, no credentials."""
        return {
            "model": self.model,
            "endpoint_kind": self.endpoint_kind,
            "constraint": _constraint(self.endpoint_kind) if schema is not None else None,
            "messages": messages,
            "schema_name": schema_name,
            "schema": schema,
            "sampling": {"temperature": temperature, "top_p": top_p, "max_tokens": max_tokens},
            "seed": seed,
        }

    def complete(self, messages: list[dict], *, schema: dict | None, schema_name: str,
                 temperature: float = 0.8, top_p: float = 0.9, max_tokens: int = 1024,
                 seed: int = 0) -> LLMResponse:
        """One chat completion constrained to ``schema`` (None: free text), replayed if recorded."""
        request = self.request(messages, schema=schema, schema_name=schema_name,
                               temperature=temperature, top_p=top_p, max_tokens=max_tokens, seed=seed)
        key = call_key(request)
        entry = None if self.cache.mode == "record" else self.cache.get(key)
        replayed = entry is not None
        if entry is None:
            if self.cache.mode == "replay":
                raise CacheMissError(
                    f"LLM call {key} is not in the cache {self.cache.directory} (replay mode never "
                    "calls an LLM). Record it with cache mode 'auto' or 'record'."
                )
            entry = self.cache.put(key, self._call(request))
        self.usage.add(entry, replayed)
        return LLMResponse(entry["content"], entry["parsed"], entry.get("parse_error"), entry["finish_reason"],
                           entry["usage"], entry["latency_s"], key, replayed)

    def _call(self, request: dict) -> dict:
        import openai

        retryable = (openai.RateLimitError, openai.InternalServerError,
                     openai.APITimeoutError, openai.APIConnectionError)
        client = self._openai()
        for attempt in range(self.max_retries + 1):
            started = time.perf_counter()
            try:
                response = client.chat.completions.create(
                    model=self.model,
                    messages=request["messages"],
                    seed=request["seed"],
                    **request["sampling"],
                    **_structured_output(request),
                )
                break
            except retryable as error:
                if attempt == self.max_retries:
                    raise LLMError(
                        f"LLM endpoint {self.endpoint_kind} ({self.base_url or 'default'}) failed "
                        f"{attempt + 1} times, last with {type(error).__name__}: {error}"
                    ) from error
                self.usage.retries += 1
                time.sleep(self.backoff_s * 2**attempt)
            except openai.APIStatusError as error:
                if error.code in CONTEXT_ERRORS or error.type in CONTEXT_ERRORS:
                    raise PromptTooLongError(
                        f"the prompt does not fit the context window of {self.model!r} "
                        f"({error.status_code}): {error.message}"
                    ) from error
                raise LLMError(f"LLM endpoint refused the request ({error.status_code}): {error.message}") from error
        latency = time.perf_counter() - started
        choice = response.choices[0]
        content = choice.message.content or ""
        parsed, parse_error = parse_json(content) if request["schema"] is not None else (None, None)
        usage = response.usage
        return {
            "request": request,
            "content": content,
            "parsed": parsed,
            "parse_error": parse_error,
            "finish_reason": choice.finish_reason or "unknown",
            "usage": {
                "prompt_tokens": usage.prompt_tokens if usage else 0,
                "completion_tokens": usage.completion_tokens if usage else 0,
            },
            "latency_s": round(latency, 6),
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "versions": _versions(),
        }
