"""imbalanced-learn's own API checks, over every sampler of ``lsh``."""

from imblearn.utils.estimator_checks import parametrize_with_checks

from lsh import paths
from lsh.samplers import ADASYN, SMOTE, BorderlineSMOTE, LLMOversampler, LSHOversampler

# The LLM samplers replay calls recorded once with the embedded model (see
# tests/data/README.md); a missing call is an error, never a silent live call.
CHECKS_CACHE = paths.ROOT / "tests" / "data" / "llm_cache_checks"
FAST = dict(random_state=0, cache_dir=str(CHECKS_CACHE), cache_mode="replay", sample_size=5,
            examples_per_round=5, rows_per_round=50, description_tokens=32)


def llm_samplers(mode="replay"):
    scout = LLMOversampler(**{**FAST, "cache_mode": mode})
    return [scout, LSHOversampler(random_state=0, llm=scout)]


@parametrize_with_checks([SMOTE(), BorderlineSMOTE(), ADASYN(), *llm_samplers()])
def test_imblearn_api(estimator, check):
    check(estimator)
