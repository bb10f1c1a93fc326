"""Record the LLM calls of the API checks with the embedded model (see tests/data/README.md).

Resumable: calls already in the cache are replayed, so an interrupted recording continues
where it stopped. ``COMPLETE`` is written only when every check passed.
"""

import pytest

from tests.test_estimator_checks import CHECKS_CACHE

if __name__ == "__main__":
    status = pytest.main([
        "-q", "-p", "no:cacheprovider", "tests/test_estimator_checks.py",
        "-k", "LLMOversampler or LSHOversampler", "--record-llm-checks",
    ])
    if status == 0:
        (CHECKS_CACHE / "COMPLETE").write_text("all API checks passed while recording\n")
    raise SystemExit(status)
