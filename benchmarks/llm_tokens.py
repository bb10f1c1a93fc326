"""Tokens per accepted row: our LLMOversampler vs a faithful re-run of the original design.

Both run live, in one process, on the same embedded model and the same dataset, with a fresh
call cache (nothing is replayed unless --cache-dir points at an earlier run's calls). The original design regenerates the description and the
variable specs for every round of 10 rows, shows 30 example rows, allows a long description
and pastes the JSON schemas into the prompts; ours describes once per class and fit (capped at
128 tokens), shows 20 examples, asks for 40 rows per round and states the format in one line.
Both use the same compact program format, validation and jitter.

    python benchmarks/llm_tokens.py [--dataset NAME] [--rows N] [--out FILE]

Prints a JSON report; target: ratio >= 5 at an equal or better acceptance rate. Acceptance is
valid rows per output asked of the LLM (an answer that is truncated or invalid loses all its
outputs); ``row_acceptance_rate`` counts only the rows that programs produced. Speed is
reported as accepted rows per LLM second (the recorded latencies of the calls, so that a run
continued from a cache still reports the speed of the live calls).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time

from lsh.datasets import encode_numeric, load_dataset
from lsh.samplers import LLMOversampler

DESIGNS = {
    "ours": dict(),
    "original": dict(sample_size=30, examples_per_round=30, rows_per_round=10,
                     describe_each_round=True, description_tokens=1024, schema_in_prompt=True),
}


def measure(name: str, params: dict, X, y, rows: int, seed: int, cache_dir: str) -> dict:
    sampler = LLMOversampler(sampling_strategy={1: int(y.sum()) + rows}, random_state=seed,
                             cache_dir=cache_dir, cache_mode="auto", **params)
    started = time.perf_counter()
    sampler.fit_resample(X, y)
    wall = time.perf_counter() - started
    usage, provenance = sampler.usage_, sampler.provenance_
    tokens = usage["prompt_tokens"] + usage["completion_tokens"]
    return {
        "design": name,
        "calls": usage["calls"],
        "prompt_tokens": usage["prompt_tokens"],
        "completion_tokens": usage["completion_tokens"],
        "rows_accepted": provenance["rows_accepted"],
        "rows_generated": provenance["rows_generated"],
        "outputs_asked": provenance["outputs_asked"],
        "acceptance_rate": round(provenance["rows_valid"] / max(provenance["outputs_asked"], 1), 4),
        "row_acceptance_rate": round(provenance["rows_valid"] / max(provenance["rows_generated"], 1), 4),
        "tokens_per_accepted_row": round(tokens / provenance["rows_accepted"], 1),
        "rows_per_llm_second": round(provenance["rows_accepted"] / usage["seconds"], 3),
        "llm_seconds": round(usage["seconds"], 1),
        "wall_seconds": round(wall, 1),
        "retries": usage["retries"],
        "replayed_calls": usage["replayed"],
        "rejections": sampler.rejections_,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="analcatdata_draft")
    parser.add_argument("--rows", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out")
    parser.add_argument("--cache-dir", help="keep the calls here (default: a fresh temporary "
                        "directory, so every call is live); a rerun then replays them")
    args = parser.parse_args()
    X, y = load_dataset(args.dataset)
    X = encode_numeric(X)
    results = {}
    with tempfile.TemporaryDirectory() as temporary:
        for name, params in DESIGNS.items():
            results[name] = measure(name, params, X, y, args.rows, args.seed, args.cache_dir or temporary)
            print(json.dumps(results[name]), flush=True)
    report = {
        "dataset": args.dataset,
        "rows": args.rows,
        "model": "smollm2-135m-instruct (embedded)",
        "designs": results,
        "ratio_tokens_per_accepted_row": round(
            results["original"]["tokens_per_accepted_row"] / results["ours"]["tokens_per_accepted_row"], 2),
        "acceptance_ours_minus_original": round(
            results["ours"]["acceptance_rate"] - results["original"]["acceptance_rate"], 4),
    }
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        with open(args.out, "w") as handle:
            handle.write(text + "\n")


if __name__ == "__main__":
    main()
