"""imbalanced-learn's own API checks, over every sampler of ``lsh``."""

import pytest
from imblearn.utils.estimator_checks import parametrize_with_checks

from lsh import paths
from lsh.samplers import ADASYN, SMOTE, BorderlineSMOTE, LLMOversampler, LSHOversampler

# The LLM samplers replay calls recorded once with the embedded model (tests/data/README.md);
# a call missing from the cache is an error naming its key, never a silent live call.
CHECKS_CACHE = paths.ROOT / "tests" / "data" / "llm_cache_checks"
RECORDED = (CHECKS_CACHE / "COMPLETE").is_file()
SCOUT = LLMOversampler(random_state=0, cache_dir=str(CHECKS_CACHE), cache_mode="replay",
                       sample_size=10, description_tokens=32)
SAMPLERS = [
    SMOTE(random_state=0),
    BorderlineSMOTE(random_state=0),
    ADASYN(random_state=0),
    SCOUT,
    LSHOversampler(random_state=0, llm=SCOUT),
]


@pytest.fixture
def recording(request):
    return request.config.getoption("--record-llm-checks")


@parametrize_with_checks(SAMPLERS)
def test_imblearn_api(estimator, check, recording):
    llm_based = isinstance(estimator, (LLMOversampler, LSHOversampler))
    if llm_based and recording:
        scout = estimator.llm if isinstance(estimator, LSHOversampler) else estimator
        scout.set_params(cache_mode="auto")
    elif llm_based and not RECORDED:
        pytest.skip("the API checks' LLM calls are not fully recorded yet "
                    "(run: python -m tests.record_checks_cache)")
    check(estimator)
