"""Record the LLM calls of the API checks with the embedded model (see tests/data/README.md)."""

import pytest

if __name__ == "__main__":
    raise SystemExit(pytest.main([
        "-q", "-p", "no:cacheprovider", "tests/test_estimator_checks.py",
        "-k", "LLMOversampler or LSHOversampler", "--record-llm-checks",
    ]))
