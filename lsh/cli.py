"""The ``lsh`` command line."""

from __future__ import annotations

import argparse
import sys
import textwrap

from . import __version__
from .datasets import (
    DatasetMissingError,
    RawFileError,
    UnknownDatasetError,
    get_info,
    load_with_report,
    registry,
)
from .datasets.fingerprint import compare
from .datasets.report import ir_note, verification_table

WIDTH = 100


class UserError(Exception):
    """An error the user can fix; printed without a traceback."""


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _format_table(header: list[str], rows: list[list[str]], right: set[int]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        return " ".join(
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]) for i, cell in enumerate(cells)
        ).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def datasets_list(_: argparse.Namespace) -> None:
    rows = []
    for info in registry():
        rows.append(
            [
                str(info.row),
                _clip(info.name, 24),
                info.group,
                info.status,
                str(info.expected_size),
                str(info.expected_features),
                str(info.expected_minority),
                f"{info.ir:.2f}" + ("*" if ir_note(info) else ""),
                "?" if info.openml_label == "unverified" else info.openml_label,
                _clip(info.source.split("/")[-1] if info.available else "(none offline)", 16),
            ]
        )
    header = ["row", "name", "group", "status", "rows", "feat", "min", "IR", "OpenML", "source"]
    print(_format_table(header, rows, right={0, 4, 5, 6, 7, 8}))
    available = sum(info.available for info in registry())
    print(
        f"\n{len(rows)} datasets (Table 5): {available} available from shipped raw files, "
        f"{len(rows) - available} missing."
    )
    print("IR = majority/minority from the authors' class counts; * = Table 5 prints another value.")
    print("OpenML ? = id not verified. 'lsh datasets show NAME' gives provenance and details.")


def _wrap(label: str, text: str) -> str:
    return textwrap.fill(
        str(text), width=WIDTH, initial_indent=f"{label:<18}", subsequent_indent=" " * 18
    )


def datasets_show(args: argparse.Namespace) -> None:
    info = get_info(args.name)
    lines = [
        _wrap("name", f"{info.name} (Table 5 row {info.row}, {info.group} imbalanced group)"),
        _wrap("status", info.status + (f": {info.status_reason}" if info.status_reason else "")),
        _wrap("OpenML", info.openml),
        _wrap("source", f"{info.source} {info.source_path} @ {info.source_commit}".strip()),
        _wrap("licence", info.licence),
        _wrap("file", f"data/datasets/raw/{info.file}" if info.available else "none shipped"),
        _wrap("sha256" if info.available else "sha256 (unused)", info.sha256 or "-"),
        _wrap("target", info.target_description),
        _wrap("rule", f"{info.rule}" + (f" - {info.rule_note}" if info.rule_note else "")),
        _wrap(
            "Table 5",
            f"{info.expected_size} rows x {info.expected_features} features, minority "
            f"{info.expected_minority}, IR {info.ir_table5} (printed)",
        ),
    ]
    if ir_note(info):
        lines.append(_wrap("IR note", ir_note(info)))
    if info.available or info.fetched_path.is_file():
        X, y, report = load_with_report(info.row)
        categorical = sum(str(X[c].dtype) == "category" for c in X.columns)
        fingerprint = compare(info.row, X) if info.available else None
        lines += [
            _wrap("loaded", f"{X.shape[0]} rows x {X.shape[1]} features "
                  f"({X.shape[1] - categorical} numeric, {categorical} categorical)"),
            _wrap("classes", f"minority (1) = {report.minority_label!r}: {int(y.sum())}, "
                  f"majority (0) = {report.majority_label!r}: {int((y == 0).sum())}, "
                  f"IR {(y == 0).sum() / y.sum():.4f}"),
            _wrap("raw table", f"{report.raw_shape[0]} rows x {report.raw_shape[1]} columns"),
            _wrap("dropped >15% NA", ", ".join(f"{k} ({v:.1%})" for k, v in report.dropped_sparse.items()) or "none"),
            _wrap("dropped rows", f"{report.dropped_rows} with a missing value"),
            _wrap("near-zero var.", ", ".join(report.dropped_near_zero_variance) or "none"),
        ]
        if fingerprint is not None:
            lines += [
                _wrap("authors' names", f"{fingerprint.names_matched}/{fingerprint.names_expected} match"),
                _wrap("authors' meta", f"{fingerprint.meta_summary} meta-features match"),
            ]
    print("\n".join(lines))


def datasets_verify(_: argparse.Namespace) -> None:
    table = verification_table()
    print(table.to_string(max_colwidth=24))
    failed = table[table.verdict == "DIFF"]
    missing = table[table.verdict == "MISSING"]
    print(f"\n{(table.verdict == 'OK').sum()} OK, {len(failed)} DIFF, {len(missing)} MISSING "
          f"({', '.join(missing.name)})")
    if len(failed):
        raise UserError(f"{len(failed)} datasets differ from Table 5: {', '.join(failed.name)}")


def datasets_fetch(args: argparse.Namespace) -> None:
    from .datasets.fetch import fetch_from_openml

    info = get_info(args.name)
    print(f"Downloading OpenML dataset {info.openml_id} for {info.name} (network access)...")
    try:
        path, summary = fetch_from_openml(info)
    except OSError as error:
        raise UserError(f"could not download from OpenML: {error}") from error
    print(f"stored {path}\n{summary}")


def book_execute(_: argparse.Namespace) -> None:
    from . import book

    print(f"wrote {book.write_status()}")
    for output in book.execute():
        print(f"wrote {output}")


def seeds_generate(args: argparse.Namespace) -> None:
    from . import seeds

    scenarios = tuple(args.scenarios)
    tasks = seeds.plan(args.datasets, scenarios)
    print(f"{len(tasks)} pools ({', '.join(scenarios)}), phase {args.phase}, model "
          f"{args.model or 'embedded smollm2-135m-instruct'}", flush=True)
    try:
        summary = seeds.generate(tasks, args.phase, model=args.model, base_url=args.base_url,
                                 budget_minutes=args.budget_minutes, workers=args.workers,
                                 max_rounds=args.max_rounds)
    except seeds.PoolMismatchError as error:
        raise UserError(str(error)) from error
    print(f"pools complete {summary.pools_complete}, reused {summary.pools_reused}, "
          f"partial {len(summary.pools_partial)}, exhausted {len(summary.pools_exhausted)}, "
          f"failed {len(summary.pools_failed)}; "
          f"{summary.rows_generated} rows in {summary.seconds:.0f} s "
          f"({summary.rows_per_second:.2f} rows/s)")
    for name in summary.pools_exhausted:
        print(f"  exhausted (round cap reached before the target): {name}")
    if summary.pools_exhausted:
        print("  (--max-rounds N raises the cap; the rounds already made are replayed, not regenerated)")
    if summary.stopped_by_budget:
        print("stopped at the time budget; run the same command again to continue")
    for name, reason in summary.pools_failed.items():
        print(f"  failed: {name}: {reason}")
    if summary.pools_failed:
        raise UserError(f"{len(summary.pools_failed)} pool(s) failed (listed above); the others were filled")


def seeds_verify(args: argparse.Namespace) -> None:
    from . import seeds

    report = seeds.verify(args.model, sample=args.sample)
    print(f"{report.pools} pools, {report.rows} rows; replayed from the call cache: "
          f"{', '.join(report.replayed) or 'none'}")
    for problem in report.problems:
        print(f"  PROBLEM {problem}")
    if not report.ok:
        raise UserError(f"{len(report.problems)} problem(s) in the seed pools")
    print("all pools match their manifests; replayed pools are bit-identical")


def seeds_status(args: argparse.Namespace) -> None:
    from .seeds import coverage, coverage_summary

    frame = coverage(scenarios=args.scenarios, model=args.model)
    print(coverage_summary(frame).to_string(index=False))
    broken = frame[frame.problem != ""]
    for row in broken.itertuples():
        print(f"  UNREADABLE {row.scenario}/{row.dataset}/{row.split}: {row.problem}")
    if args.missing:
        for phase in ("ls", "lm"):
            short = frame[~frame[f"{phase}_complete"]]
            for row in short.itertuples():
                print(f"  {phase.upper()} missing {row.scenario}/{row.dataset}/{row.split}: "
                      f"{row.rows} of {getattr(row, phase + '_rows')} rows"
                      + (f" (exhausted after {row.rounds} rounds)" if row.exhausted else "")
                      + (f" (failed: {row.failed})" if row.failed else ""))


def seeds_runtime(args: argparse.Namespace) -> None:
    from .seeds.runtime import measure_runtime, runtime_path

    for dataset in args.datasets:
        measure_runtime(dataset, model=args.model, base_url=args.base_url)
        print(f"wrote {runtime_path(dataset, args.model)}")


def _add_seeds_commands(commands) -> None:
    from .scenarios import SCENARIOS
    from .seeds import PHASES

    seeds = commands.add_parser("seeds", help="LLM seed pools (generate, verify)")
    actions = seeds.add_subparsers(dest="action", required=True)
    generate = actions.add_parser("generate", help="generate or extend the seed pools (resumable)")
    generate.add_argument("--datasets", nargs="+", metavar="NAME", help="default: all available")
    generate.add_argument("--scenarios", nargs="+", choices=SCENARIOS, default=["general"])
    generate.add_argument("--phase", choices=PHASES, default="ls",
                          help="ls: rows up to min_strategy (LSH); lm: up to ratio 1.0 (LLM-only)")
    generate.add_argument("--model", help="default $LSH_LLM_MODEL, else the embedded model")
    generate.add_argument("--base-url", help="OpenAI-compatible endpoint (default $LSH_LLM_BASE_URL)")
    generate.add_argument("--budget-minutes", type=float, help="stop cleanly after this long")
    generate.add_argument("--workers", type=_positive, default=1,
                          help="pools filled at once, one process (and embedded server) each")
    generate.add_argument("--max-rounds", type=_positive,
                          help="round cap of every pool (default: enough for the LM phase at 20%% acceptance)")
    generate.set_defaults(handler=seeds_generate)
    check = actions.add_parser("verify", help="check pools against manifests and the call cache")
    check.add_argument("--model", help="whose pools (default: the embedded model's)")
    check.add_argument("--sample", type=int, default=3, help="pools to regenerate from the call cache")
    check.set_defaults(handler=seeds_verify)
    status = actions.add_parser("status", help="what the seed cache holds and what is missing")
    status.add_argument("--scenarios", nargs="+", choices=SCENARIOS, default=list(SCENARIOS))
    status.add_argument("--model", help="whose pools (default: the embedded model's)")
    status.add_argument("--missing", action="store_true", help="also list every incomplete pool")
    status.set_defaults(handler=seeds_status)
    from .seeds.runtime import RUNTIME_DATASETS

    runtime = actions.add_parser("runtime", help="RQ5: time LLM-only vs LSH per ratio, live")
    runtime.add_argument("--datasets", nargs="+", default=list(RUNTIME_DATASETS), metavar="NAME")
    runtime.add_argument("--model", help="default $LSH_LLM_MODEL, else the embedded model")
    runtime.add_argument("--base-url", help="OpenAI-compatible endpoint (default $LSH_LLM_BASE_URL)")
    runtime.set_defaults(handler=seeds_runtime)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _profile_datasets(args: argparse.Namespace, scenario: str = "general") -> list[str] | None:
    from .engine.runner import PROFILES
    from .scenarios import EXTREME_DATASETS

    default = PROFILES[args.profile]["datasets"] if scenario == "general" else EXTREME_DATASETS
    names = args.datasets or default
    if names is None:
        return None
    canonical = []
    for name in names:
        info = get_info(name)
        if not info.available and not info.fetched_path.is_file():
            raise UserError(f"dataset {info.name!r} has no data on this machine: {info.status_reason}")
        canonical.append(info.name)
    return canonical


def run_experiments(args: argparse.Namespace) -> None:
    from .engine.runner import PROFILES, run
    from .engine.tasks import METHODS

    unknown = [m for m in args.methods or [] if m not in METHODS]
    if unknown:
        raise UserError(f"unknown method(s) {', '.join(unknown)}; expected some of {', '.join(METHODS)}")
    profile = PROFILES[args.profile]
    failed = 0
    for scenario in dict.fromkeys(args.scenarios):
        if len(args.scenarios) > 1:
            print(f"scenario {scenario}:")
        try:
            summary = run(_profile_datasets(args, scenario), args.methods, grid_name=profile["grid"],
                          scenario=scenario, jobs=args.jobs, scheduler=args.scheduler, force=args.force)
        except ConnectionError as error:
            raise UserError(str(error)) from error
        print(summary.text())
        failed += len(summary.failed)
    if failed:
        raise UserError(f"{failed} task(s) failed (listed above)")


def results_verify(args: argparse.Namespace) -> None:
    from .engine.runner import PROFILES, verify

    try:
        verdicts = verify(args.sample, grid_name=PROFILES[args.profile]["grid"], seed=args.seed)
    except FileNotFoundError as error:
        raise UserError(f"{error}; run 'lsh run --profile {args.profile}' first") from error
    for task, verdict in verdicts:
        print(f"{task.name:<50} {verdict}")
    different = [task for task, verdict in verdicts if verdict.startswith("DIFFERENT")]
    stale = sum(verdict == "stale" for _, verdict in verdicts)
    print(f"\n{len(verdicts) - len(different) - stale} identical, {len(different)} different, {stale} stale "
          "(inputs changed: 'lsh run' recomputes them)")
    if different:
        raise UserError(f"{len(different)} cached result(s) differ from a recomputation")


def results_show(args: argparse.Namespace) -> None:
    from .engine.runner import PROFILES
    from .engine.select import load_results, select

    try:
        results = load_results(PROFILES[args.profile]["grid"], datasets=_profile_datasets(args) if args.datasets else None)
    except FileNotFoundError as error:
        raise UserError(f"{error}; run 'lsh run --profile {args.profile}' first") from error
    table = select(results, faithful=args.rule == "faithful")
    columns = ["dataset", "method", "ratio", "config_id", "val_f1", "test_f1", "achievement", "n_tied"]
    with_pandas = table[columns].to_string(index=False, max_colwidth=44, float_format=lambda v: f"{v:.4f}")
    print(with_pandas)


def build_parser() -> argparse.ArgumentParser:
    from .scenarios import SCENARIOS

    parser = argparse.ArgumentParser(prog="lsh", description="LSH research compendium.")
    parser.add_argument("--version", action="version", version=f"lsh {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    datasets = commands.add_parser("datasets", help="the paper's 60 datasets")
    datasets.set_defaults(handler=datasets_list)
    actions = datasets.add_subparsers(dest="action")
    show = actions.add_parser("show", help="provenance and summary of one dataset")
    show.add_argument("name", help="dataset name or Table 5 row")
    show.set_defaults(handler=datasets_show)
    verify = actions.add_parser("verify", help="load all datasets from raw, compare with Table 5")
    verify.set_defaults(handler=datasets_verify)
    fetch = actions.add_parser("fetch", help="rebuild a dataset from OpenML (needs internet)")
    fetch.add_argument("name", help="dataset name or Table 5 row")
    fetch.set_defaults(handler=datasets_fetch)

    run = commands.add_parser("run", help="run the experiments (cached, resumable)",
                              description="Compute every task (dataset, method, ratio) that is not cached "
                              "in data/results/; a second run reuses everything.")
    run.add_argument("--profile", choices=["quick", "paper"], default="quick",
                     help="quick: 4 small datasets, 27-config grid (minutes); paper: all datasets, "
                     "139 configs (default: quick)")
    run.add_argument("--datasets", nargs="+", metavar="NAME", help="only these datasets")
    run.add_argument("--methods", nargs="+", metavar="M", help="only these of ORG SM BSM ADA LM LS")
    run.add_argument("--scenarios", nargs="+", choices=SCENARIOS, default=["general"],
                     help="general (the profile's datasets) and/or the RQ3 scenarios few-shot, "
                     "zero-shot (their four datasets); default: general")
    run.add_argument("--jobs", type=_positive, default=2, help="worker processes (default: 2)")
    run.add_argument("--scheduler", metavar="ADDR",
                     help="run on Dask: 'local' (a LocalCluster of --jobs workers) or tcp://host:port")
    run.add_argument("--force", action="store_true", help="recompute tasks even if cached")
    run.set_defaults(handler=run_experiments)

    results = commands.add_parser("results", help="cached experiment results")
    results_actions = results.add_subparsers(dest="action", required=True)
    check = results_actions.add_parser("verify", help="recompute a random sample of cached tasks and compare")
    check.add_argument("--sample", type=_positive, default=3, help="tasks to recompute (default: 3)")
    check.add_argument("--seed", type=int, default=0, help="which sample (default: 0)")
    check.add_argument("--profile", choices=["quick", "paper"], default="quick")
    check.set_defaults(handler=results_verify)
    show = results_actions.add_parser("show", help="the selected configuration per dataset and method")
    show.add_argument("--profile", choices=["quick", "paper"], default="quick")
    show.add_argument("--datasets", nargs="+", metavar="NAME")
    show.add_argument("--rule", choices=["faithful", "default"], default="faithful",
                      help="tie-breaking rule (see lsh.engine.select)")
    show.set_defaults(handler=results_show)

    book = commands.add_parser("book", help="build the book's pages")
    book_actions = book.add_subparsers(dest="action", required=True)
    execute = book_actions.add_parser("execute", help="execute the notebooks into book/ (papermill)")
    execute.set_defaults(handler=book_execute)
    _add_seeds_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.handler(args)
    except (UserError, UnknownDatasetError, DatasetMissingError, RawFileError, ValueError) as error:
        print(f"lsh: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
