"""The embedded model's generation speed by threads, server slots and concurrent servers.

Why the seed generator runs ``--workers 2`` (two one-thread servers) on 2 cores: this measures
completion tokens per second of the whole machine for
- one server, 1 thread, one request at a time;
- one server, 2 threads, one request at a time;
- one server, 2 threads, 2, 4 or 8 slots (continuous batching) with as many concurrent requests;
- two servers of 1 thread each, one request at a time each (what ``--workers 2`` does), and
  with 4 slots each.
Same prompt, same grammar-constrained JSON answer of fixed length (``max_tokens``), fixed
seeds. Run it on an otherwise idle machine; ratios are what matters. Batching is also checked
for reproducibility: ``same_answers_as_unbatched`` is the share of seeds whose answer equals the
one a server with the same threads gives to that request alone (a seed must reproduce a pool).
Writes ``benchmarks/results/llm_server.json``.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path

import httpx

from lsh.llm.embedded import MODEL_ALIAS, model_path

TOKENS = 300
REQUESTS = 8
SCHEMA = {"type": "object", "required": ["rows"], "properties": {"rows": {
    "type": "array", "minItems": 40, "maxItems": 40,
    "items": {"type": "array", "minItems": 5, "maxItems": 5, "items": {"type": "integer"}}}}}
PROMPT = ("Write 40 more rows of 5 numbers like these:\n"
          + "\n".join(f"{i * 7 % 100},{i * 13 % 50},{i * 3},{i % 7},{i * 11 % 90}" for i in range(30)))


def start(threads: int, slots: int):
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = str(model_path())
    params.hostnames = ["127.0.0.1"]
    params.port = 0
    params.n_ctx = 4096 * slots
    params.n_parallel = slots
    params.cache_prompt = False
    params.cpuparams.n_threads = params.cpuparams_batch.n_threads = threads
    params.cpuparams.poll = params.cpuparams_batch.poll = 0
    params.model_alias = MODEL_ALIAS
    params.verbosity = -1
    server = xllamacpp.Server(params)
    return server, server.listening_address.rstrip("/") + "/v1/chat/completions"


def ask(url: str, seed: int, grammar: str) -> tuple[int, str]:
    body = {"model": MODEL_ALIAS, "messages": [{"role": "user", "content": PROMPT}], "seed": seed,
            "temperature": 0.8, "top_p": 0.9, "max_tokens": TOKENS, "grammar": grammar,
            "cache_prompt": False}
    answer = httpx.post(url, json=body, timeout=600).json()
    return answer["usage"]["completion_tokens"], answer["choices"][0]["message"]["content"]


def measure(urls: list[str], per_url_concurrency: int, grammar: str) -> tuple[dict, dict]:
    """REQUESTS requests per URL, ``per_url_concurrency`` at a time on each: tokens per second,
    and the first URL's answer per seed."""
    tokens, answers = [], {}

    def client(url, seeds):
        for seed in seeds:
            used, content = ask(url, seed, grammar)
            tokens.append(used)
            if url == urls[0]:
                answers[seed] = content

    workers = [threading.Thread(target=client, args=(url, range(lane, REQUESTS, per_url_concurrency)))
               for url in urls for lane in range(per_url_concurrency)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - started
    return {"completion_tokens": sum(tokens), "seconds": round(seconds, 2),
            "tokens_per_second": round(sum(tokens) / seconds, 1)}, answers


def main() -> dict:
    import xllamacpp

    grammar = xllamacpp.json_schema_to_grammar(json.dumps(SCHEMA))
    results = {"cpu_count": os.cpu_count(), "max_tokens": TOKENS, "requests_per_server": REQUESTS}
    setups = {"1 server, 1 thread": (1, 1, 1), "1 server, 2 threads": (1, 2, 1),
              "1 server, 2 threads, 2 slots": (1, 2, 2), "1 server, 2 threads, 4 slots": (1, 2, 4),
              "1 server, 2 threads, 8 slots": (1, 2, 8), "2 servers, 1 thread each": (2, 1, 1),
              "2 servers, 1 thread, 4 slots each": (2, 1, 4)}
    unbatched = {}
    for name, (servers, threads, slots) in setups.items():
        started = [start(threads, slots) for _ in range(servers)]
        try:
            ask(started[0][1], 999, grammar)  # warm-up
            results[name], answers = measure([url for _, url in started], slots, grammar)
            if slots == 1:
                unbatched.setdefault(threads, answers)
            same = sum(answers[seed] == unbatched[threads][seed] for seed in answers)
            results[name]["same_answers_as_unbatched"] = round(same / len(answers), 2)
        finally:
            for server, _ in started:
                del server
            started.clear()
        print(f"{name:<36} {results[name]['tokens_per_second']:>6} tokens/s, same answers as unbatched: "
              f"{results[name]['same_answers_as_unbatched']:.0%}", flush=True)
    base = results["1 server, 1 thread"]["tokens_per_second"]
    results["relative_to_1_thread"] = {name: round(results[name]["tokens_per_second"] / base, 2) for name in setups}
    out = Path(__file__).parent / "results" / "llm_server.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out}")
    return results


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
