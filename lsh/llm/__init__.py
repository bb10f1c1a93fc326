"""LLM access: one client for any OpenAI-compatible endpoint, the embedded default, the call cache."""

from .cache import CacheCorruptError, CacheMissError, CallCache
from .client import LLMClient, LLMError, LLMResponse, PromptTooLongError, Usage
from .embedded import MODEL_ALIAS, EmbeddedModelError, EmbeddedServer

__all__ = [
    "MODEL_ALIAS",
    "CacheCorruptError",
    "CacheMissError",
    "CallCache",
    "EmbeddedModelError",
    "EmbeddedServer",
    "LLMClient",
    "LLMError",
    "LLMResponse",
    "PromptTooLongError",
    "Usage",
]
