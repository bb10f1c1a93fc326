"""Fault injection: a scripted OpenAI-compatible server on loopback misbehaves in every way.

Each fault ends in a counted rejection, a successful retry, or a clear error; a bad row is
never kept.
"""

import json
import socket

import numpy as np
import pandas as pd
import pytest

from lsh.llm import LLMError
from lsh.samplers import LLMOversampler
from tests.fake_openai import FakeOpenAI

SPECS = json.dumps({"variables": [
    {"name": name, "units": "any number", "distribution": "none", "scale": 0.1, "vmin": 0, "vmax": 1}
    for name in ("a", "b")
]})
PROGRAM = json.dumps({"outputs": [[["set_to", "v1", 0.25]], [["set_to", "v2", 0.75]]]})
X = pd.DataFrame({"a": np.linspace(0.0, 1.0, 15), "b": np.linspace(1.0, 0.0, 15) ** 2})
y = pd.Series([1] * 5 + [0] * 10)


def oversample(base_url, tmp_path, **params):
    sampler = LLMOversampler(
        sampling_strategy={1: 7}, random_state=0, rows_per_round=2, base_url=base_url, model="fake",
        cache_dir=tmp_path, cache_mode="record", retry_backoff=0.01, max_rounds=3, **params,
    )
    X_res, y_res = sampler.fit_resample(X, y)
    return sampler, X_res.iloc[len(X):]


def script(*program_answers):
    return [("ok", "A report."), ("ok", SPECS), *program_answers]


@pytest.mark.parametrize("bad, reason", [
    (("ok", "{not json"), "invalid_json"),
    (("ok", json.dumps({"outputs": [[["set_to", "v9", 1.0]]]})), "schema_violation"),
    (("length", PROGRAM[:25]), "truncated"),
    (("ok", PROGRAM.replace("0.25", "NaN")), "non_finite_json"),
    (("ok", PROGRAM.replace("0.25", "1e999")), "non_finite_json"),
])
def test_bad_answer_is_rejected_counted_and_the_next_round_succeeds(tmp_path, bad, reason):
    with FakeOpenAI(script(bad, ("ok", PROGRAM))) as server:
        sampler, new = oversample(server.base_url, tmp_path)
    assert sampler.rejections_[reason] == 1
    assert len(new) == 2 and np.isfinite(new.to_numpy()).all()
    assert sampler.provenance_["rounds"] == 2


def test_rate_limit_then_success_is_retried(tmp_path):
    with FakeOpenAI([("status", 429), *script(("ok", PROGRAM))]) as server:
        sampler, new = oversample(server.base_url, tmp_path)
    assert sampler.usage_["retries"] == 1 and len(new) == 2


def test_server_error_every_time_is_a_clear_error(tmp_path):
    with FakeOpenAI([("status", 500)]) as server:
        with pytest.raises(LLMError, match="failed 3 times, last with InternalServerError"):
            oversample(server.base_url, tmp_path, max_retries=2)
        assert len(server.requests) == 3


def test_timeout_is_retried_then_succeeds(tmp_path):
    with FakeOpenAI([("sleep", 1.0), *script(("ok", PROGRAM))]) as server:
        sampler, new = oversample(server.base_url, tmp_path, timeout=0.3)
    assert sampler.usage_["retries"] == 1 and len(new) == 2


def test_connection_refused_is_a_clear_error(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(LLMError, match="failed 2 times, last with APIConnectionError"):
        oversample(f"http://127.0.0.1:{port}/v1", tmp_path, max_retries=1)


def test_changes_outside_the_observed_range_are_rejected(tmp_path):
    far = json.dumps({"outputs": [[["set_to", "v1", 25.0]], [["change_by", "v2", -3.0]]]})
    with FakeOpenAI(script(("ok", far), ("ok", PROGRAM))) as server:
        sampler, new = oversample(server.base_url, tmp_path)
    assert sampler.rejections_["out_of_range_operation"] == 2
    # without their change the two outputs are unchanged example rows: rejected as copies
    assert sampler.rejections_["copy_of_real"] == 2
    assert new["a"].between(0, 1).all() and new["b"].between(0, 1).all()


def test_not_enough_rows_after_max_rounds_is_a_clear_error(tmp_path):
    from lsh.samplers import LLMGenerationError

    with FakeOpenAI(script(("ok", "{not json"))) as server:
        with pytest.raises(LLMGenerationError, match=r"after 3 rounds .* 0 acceptable rows .* 2 were needed"):
            oversample(server.base_url, tmp_path)


def test_a_single_minority_row_still_yields_new_rows(tmp_path):
    """Few-shot: with one minority row, the specs take the ranges of all rows, not of that row
    (whose zero-width ranges would let every change fall outside and give only copies)."""
    one = pd.concat([X.iloc[[0]], X.iloc[5:]]), pd.concat([y.iloc[[0]], y.iloc[5:]])
    with FakeOpenAI(script(("ok", PROGRAM))) as server:
        sampler = LLMOversampler(
            sampling_strategy={1: 3}, random_state=0, rows_per_round=2, base_url=server.base_url,
            model="fake", cache_dir=tmp_path, cache_mode="record", max_rounds=2)
        X_res, _ = sampler.fit_resample(*one)
    new = X_res.iloc[len(one[0]):].to_numpy()
    assert len(new) == 2 and sampler.provenance_["rounds"] == 1
    assert "out_of_range_operation" not in sampler.rejections_
    assert not (new == one[0].iloc[0].to_numpy()).all(axis=1).any()
