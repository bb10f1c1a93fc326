"""The LLM client against the real embedded server, and its call cache."""

import json

import pytest

from lsh.llm import CacheCorruptError, CacheMissError, LLMClient, LLMError
from lsh.llm.embedded import EmbeddedServer, shared_server

SCHEMA = {
    "type": "object",
    "properties": {"rows": {"type": "array", "minItems": 2, "maxItems": 2, "items": {
        "type": "object", "properties": {"age": {"type": "integer"}}, "required": ["age"]}}},
    "required": ["rows"],
}
MESSAGES = [{"role": "user", "content": "Write two rows with the age of a patient, as JSON."}]


def ask(client, seed=7):
    return client.complete(MESSAGES, schema=SCHEMA, schema_name="rows", max_tokens=80, seed=seed)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """Two calls recorded live with the embedded server, which is then stopped."""
    cache_dir = tmp_path_factory.mktemp("llm_cache")
    with LLMClient(cache_dir=cache_dir, cache_mode="record") as client:
        first = ask(client)
        again = ask(client)  # record mode calls again: same seed, same answer
    server = shared_server()
    server.stop()
    assert not server.running
    return cache_dir, first, again, client.usage


def test_embedded_server_answers_with_schema_valid_json_reproducibly(recorded):
    _, first, again, usage = recorded
    assert first.parsed is not None and len(first.parsed["rows"]) == 2
    assert first.content == again.content and first.key == again.key
    assert first.finish_reason == "stop" and not first.replayed
    assert usage.calls == 2 and usage.replayed == 0 and usage.completion_tokens > 0


def test_replay_needs_no_server_and_returns_identical_bytes(recorded, monkeypatch):
    cache_dir, first, _, _ = recorded
    monkeypatch.setattr(EmbeddedServer, "start", lambda self: pytest.fail("server started"))
    client = LLMClient(cache_dir=cache_dir, cache_mode="replay")
    replay = ask(client)
    assert replay.replayed and replay.content == first.content and replay.parsed == first.parsed
    assert client.usage.replayed == 1


def test_replay_miss_names_the_key(recorded):
    cache_dir, *_ = recorded
    client = LLMClient(cache_dir=cache_dir, cache_mode="replay")
    with pytest.raises(CacheMissError, match=r"LLM call [0-9a-f]{64} is not in the cache"):
        ask(client, seed=8)


def test_corrupted_entry_is_detected(recorded, tmp_path):
    cache_dir, first, _, _ = recorded
    client = LLMClient(cache_dir=tmp_path, cache_mode="replay")
    path = client.cache.path(first.key)
    path.parent.mkdir(parents=True)
    entry = json.loads(LLMClient(cache_dir=cache_dir).cache.path(first.key).read_text())
    entry["content"] = entry["content"].replace("age", "agE", 1)
    path.write_text(json.dumps(entry))
    with pytest.raises(CacheCorruptError, match="fails its checksum"):
        ask(client)


def test_api_key_is_never_stored(recorded, tmp_path, monkeypatch):
    cache_dir, *_ = recorded
    fake_key = "-".join(["sk", "fake"]) + "0123456789" * 3  # assembled: no key-shaped literal
    monkeypatch.setenv("OPENAI_API_KEY", fake_key)
    for path in cache_dir.rglob("*.json"):
        assert fake_key not in path.read_text()
    client = LLMClient(model="gpt-4o-mini", cache_dir=tmp_path, cache_mode="auto")
    assert client.endpoint_kind == "openai"
    assert fake_key not in json.dumps(client.request(MESSAGES, schema=SCHEMA, schema_name="rows",
                                                      temperature=0.8, top_p=0.9, max_tokens=8, seed=0))


def test_openai_model_without_key_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("LSH_LLM_BASE_URL", raising=False)
    client = LLMClient(model="gpt-4o-mini", cache_dir=tmp_path)
    with pytest.raises(LLMError, match="set OPENAI_API_KEY"):
        ask(client)
