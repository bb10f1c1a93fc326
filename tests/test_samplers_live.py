"""LLM and LSH oversamplers with the real embedded server on three shipped datasets, then replay.

Narrow (haberman, 3 features), wide (PizzaCutter1, 37) and categorical (tic-tac-toe, 9 nominal
features): rows are generated live, lie within the observed ranges, and replaying the
recorded calls with the server stopped reproduces them bit for bit.
"""

import numpy as np
import pytest

from lsh.datasets import encode_numeric, load_dataset
from lsh.llm.embedded import EmbeddedServer, shared_server
from lsh.samplers import LLMOversampler, LSHOversampler
from lsh.samplers.validation import REASONS

DATASETS = ["haberman", "PizzaCutter1", "tic-tac-toe"]
NEW_ROWS = 10
SMALL = dict(sample_size=10, examples_per_round=5, rows_per_round=10, description_tokens=64)


def samplers(cache_dir, mode, X, y):
    n_minority, n_majority = int(y.sum()), int((y == 0).sum())
    scout = LLMOversampler(random_state=0, cache_dir=cache_dir, cache_mode=mode, **SMALL)
    llm = scout.set_params(sampling_strategy={1: n_minority + NEW_ROWS})
    hybrid = LSHOversampler(sampling_strategy={1: n_minority + 2 * NEW_ROWS}, random_state=0,
                            seed_ratio=(n_minority + NEW_ROWS // 2) / n_majority, llm=scout)
    return {"LM": llm, "LS": hybrid}


def run(cache_dir, mode):
    results = {}
    for name in DATASETS:
        X, y = load_dataset(name)
        X = encode_numeric(X)
        for method, sampler in samplers(cache_dir, mode, X, y).items():
            X_res, y_res = sampler.fit_resample(X, y)
            results[name, method] = (X, X_res, y_res, sampler)
    return results


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    cache_dir = tmp_path_factory.mktemp("llm_cache")
    results = run(cache_dir, "auto")
    shared_server().stop()
    return cache_dir, results


@pytest.mark.parametrize("name", DATASETS)
@pytest.mark.parametrize("method", ["LM", "LS"])
def test_new_rows_lie_within_the_observed_ranges(live, name, method):
    _, results = live
    X, X_res, y_res, sampler = results[name, method]
    new = X_res.iloc[len(X):]
    expected = NEW_ROWS if method == "LM" else 2 * NEW_ROWS
    assert len(new) == expected and (y_res.iloc[len(X):] == 1).all()
    assert (new >= X.min()).all().all() and (new <= X.max()).all().all()
    assert np.isfinite(new.to_numpy()).all()
    integral = (X % 1 == 0).all()
    llm_rows = new if method == "LM" else new.iloc[: sampler.n_seeds_[1]]  # SMOTE interpolates
    assert (llm_rows.loc[:, integral] % 1 == 0).all().all()  # codes and counts stay whole


@pytest.mark.parametrize("name", DATASETS)
def test_llm_rows_are_recorded_with_costs_and_rejections(live, name):
    _, results = live
    sampler = results[name, "LM"][3]
    assert sampler.provenance_["model"] == "smollm2-135m-instruct"
    assert sampler.provenance_["rows_accepted"] == NEW_ROWS
    assert sampler.usage_["prompt_tokens"] > 0 and sampler.usage_["completion_tokens"] > 0
    assert set(sampler.rejections_) <= set(REASONS)
    assert all(isinstance(n, int) and n > 0 for n in sampler.rejections_.values())
    assert sampler.provenance_["outputs_asked"] >= NEW_ROWS


def test_lsh_adds_llm_seeds_then_smote_rows(live):
    _, results = live
    sampler = results["haberman", "LS"][3]
    assert sampler.n_seeds_ == {1: NEW_ROWS // 2}
    assert sampler.scout_.provenance_["rows_accepted"] == NEW_ROWS // 2


def test_replay_with_the_server_stopped_is_bit_identical(live, monkeypatch):
    cache_dir, results = live
    monkeypatch.setattr(EmbeddedServer, "start", lambda self: pytest.fail("the server was started"))
    replayed = run(cache_dir, "replay")
    for key, (_, X_res, y_res, _) in results.items():
        X_again, y_again = replayed[key][1], replayed[key][2]
        assert X_again.to_numpy().tobytes() == X_res.to_numpy().tobytes(), key
        assert y_again.to_numpy().tobytes() == y_res.to_numpy().tobytes(), key
