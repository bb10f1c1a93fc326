"""Oversamplers with the imbalanced-learn API: SMOTE family, the paper's LLM oversampler, LSH."""

from .hybrid import LSHOversampler
from .llm import LLMGenerationError, LLMOversampler
from .smote import ADASYN, SMOTE, BorderlineSMOTE, SmoteNotApplicableError

__all__ = [
    "ADASYN",
    "SMOTE",
    "BorderlineSMOTE",
    "LLMGenerationError",
    "LLMOversampler",
    "LSHOversampler",
    "SmoteNotApplicableError",
]
