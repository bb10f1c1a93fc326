"""lsh.report: our score table, paper-vs-ours frames, claims with computed verdicts, RQ3's SMOTE
check, the runtime study reader, figures and page helpers.

Claims are checked both ways: every rule holds on the paper's own numbers (where the paper gives
what the rule needs), and synthetic scores built to pass, fail or lack a method get the verdicts
"confirmed", "not confirmed" and "not testable here".
"""

import json

import numpy as np
import pandas as pd
import pytest

from lsh import paper, paths, stats
from lsh.datasets import registry
from lsh.report import claims, compare, extreme, figures, page, runtime
from lsh.report.results import METHODS, Scores, load_scores, score_columns

# ----------------------------------------------------------------------------- helpers


def make_scores(columns: dict, n: int = 30, missing_reason: str = "LLM seed pools missing") -> Scores:
    """Scores over the first ``n`` available datasets; ``columns`` maps e.g. "SM_t" to values.
    Methods without columns are missing everywhere."""
    infos = [info for info in registry() if info.available][:n]
    table = pd.DataFrame({"dataset": [i.name for i in infos], "group": [i.group for i in infos],
                          "ir": [i.ir for i in infos]}, index=pd.Index([i.row for i in infos], name="row"))
    for column in score_columns(METHODS):
        table[column] = np.asarray(columns[column], dtype=float) if column in columns else np.nan
    missing = [{"dataset": i.name, "method": m, "reason": missing_reason}
               for m in METHODS for i, v in zip(infos, table[f"{m}_t"]) if np.isnan(v)]
    return Scores("quick", "quick", "general", True, table.dataset.tolist(), list(METHODS), table,
                  pd.DataFrame(), pd.DataFrame.from_records(missing, columns=["dataset", "method", "reason"]))


def scores_where_ls_wins(n=59, advantage=0.05, seed=1):
    rng = np.random.default_rng(seed)
    base = rng.uniform(0.3, 0.9, n)
    ir = np.array([i.ir for i in registry() if i.available][:n])
    columns = {}
    for method, shift in (("SM", 0.0), ("LM", 0.0), ("LS", advantage)):
        # LS's advantage grows with IR; LM and SM tie
        test = base + (shift * ir / ir.max() * 2 if method == "LS" else 0.0)
        columns[f"{method}_t"] = test
        columns[f"{method}_v"] = test + 0.02
        columns[f"{method}_a"] = test / (test + 0.02)
    return make_scores(columns, n=n)


# ----------------------------------------------------------------------------- paper text numbers


def test_text_numbers_parse():
    assert paper.text_number("BST LM vs SM: P(LM wins)") == paper.TextNumber(30.4, "=", "%", "30.4%")
    assert paper.text_number("p-value of Pearson r(IR, LS-LM margin)").relation == "<"
    assert paper.text_number("LSH total runtime, 5-feature dataset")[:3] == (65.0, "~", "s")
    assert paper.text_number("Spearman rho(IR, LM achievement rate)").relation == "n.s."
    with pytest.raises(KeyError):
        paper.text_number("no such quantity")


def test_paper_table3_keeps_na_cells_empty():
    table = paper.paper_table3()
    assert table.SM.isna().all()
    assert table.loc["zero-shot"].ORG.isna().all()
    assert list(table.index.get_level_values(0).unique()) == ["few-shot", "zero-shot"]


# ----------------------------------------------------------------------------- score table


@pytest.fixture(scope="module")
def engine_results(tmp_path_factory):
    """A tiny real engine run: haberman, ORG and SM, the quick grid."""
    from lsh.engine.runner import run

    root = tmp_path_factory.mktemp("results")
    summary = run(["haberman"], ["ORG", "SM"], grid_name="quick", root=root, jobs=1, progress=False)
    assert not summary.failed
    return root


def test_load_scores_selects_complete_methods(engine_results):
    from lsh.engine.select import load_results, select

    scores = load_scores("quick", datasets=["haberman"], methods=["ORG", "SM", "LM"], root=engine_results)
    chosen = select(load_results("quick", root=engine_results)).set_index("method")
    row = scores.table.iloc[0]
    assert row.dataset == "haberman" and row.group == "mid"
    assert row.SM_t == chosen.at["SM", "test_f1"] and row.SM_v == chosen.at["SM", "val_f1"]
    assert row.SM_a == pytest.approx(row.SM_t / row.SM_v)
    assert np.isnan(row.LM_t)
    reason = scores.missing.set_index("method").at["LM", "reason"]
    assert "seed pool" in reason or "not computed" in reason
    assert scores.coverage().loc["SM", "scored"] == 1


def test_an_incomplete_method_is_missing_not_selected_from_what_is_left(engine_results, tmp_path):
    import shutil

    copy = tmp_path / "results"
    shutil.copytree(engine_results, copy)
    (copy / "quick" / "general" / "haberman" / "SM_0.6.parquet").unlink()
    scores = load_scores("quick", datasets=["haberman"], methods=["ORG", "SM"], root=copy)
    assert np.isnan(scores.table.iloc[0].SM_t) and not np.isnan(scores.table.iloc[0].ORG_t)
    assert "ratio 0.6" in scores.missing.set_index("method").at["SM", "reason"]


def test_no_results_at_all_is_reported_per_method(tmp_path):
    scores = load_scores("quick", datasets=["haberman"], methods=["SM"], root=tmp_path)
    assert scores.table.SM_t.isna().all()
    assert "not computed" in scores.missing_reason("SM")


def test_unknown_scenario_is_not_computed(tmp_path):
    scores = load_scores("quick", datasets=["haberman"], methods=["LM"], scenario="one-shot", root=tmp_path)
    assert "not computed: unknown scenario 'one-shot'" in scores.missing.reason.iloc[0]


def test_extreme_scenario_marks_not_applicable_methods(tmp_path):
    scores = load_scores("quick", datasets=["haberman"], methods=["ORG", "SM"], scenario="few-shot",
                         root=tmp_path)
    reasons = scores.missing.set_index("method").reason
    assert reasons["SM"].startswith("N/A: SMOTE-family (k = 5) needs at least 6 minority rows")
    assert reasons["ORG"].startswith("not computed or out of date")  # ORG can run: 2 minority rows
    assert scores.table[["SM_t", "ORG_t"]].isna().all().all()


# ----------------------------------------------------------------------------- side by side


def test_table1_side_by_side_has_the_papers_numbers_and_ours():
    scores = scores_where_ls_wins()
    frame = compare.table1_side_by_side(scores, random_state=0)
    theirs = paper.paper_table1()
    for label in theirs.index:
        assert frame.at[label, ("W", "paper")] == theirs.at[label, "wins"]
        assert frame.at[label, ("BST win %", "paper")] == theirs.at[label, "bst_win"]
    ours = stats.comparison_table(scores.table, random_state=0).set_index("comparison")
    assert frame.at["LS vs SM", ("mean margin", "ours")] == pytest.approx(ours.at["LS vs SM", "avg_margin"])
    assert frame.at["LS vs SM", ("BST win %", "ours")] == pytest.approx(ours.at["LS vs SM", "bst_win"])


def test_comparison_without_scores_is_empty_with_a_reason():
    scores = make_scores({"SM_t": np.linspace(0.2, 0.8, 30)})
    frame = compare.table1_side_by_side(scores)
    assert frame.loc["LS vs SM", [("W", "ours"), ("mean margin", "ours")]].isna().all()
    assert "LS has no score on 30 of 30 datasets" in frame.at["LS vs SM", ("note", "")]


def test_table2_has_three_groups_per_comparison():
    frame = compare.table2_side_by_side(scores_where_ls_wins())
    assert frame.shape[0] == 9
    theirs = paper.paper_table2()
    assert frame.at[("LS vs SM", "more"), ("mean margin", "paper")] == theirs.at[("LS vs SM", "more"), "avg_margin"]


def test_table6_side_by_side_keeps_garbled_paper_cells_empty():
    scores = scores_where_ls_wins(n=30)
    frame = compare.table6_side_by_side(scores)
    garbled = paper.garbled_cells().query("column == 'SM_t'").row
    for row in set(garbled) & set(frame.index):
        assert np.isnan(frame.at[row, ("SM", "test F1", "paper")])
    assert (frame[("LS", "test F1", "ours")] == scores.table.LS_t).all()


def test_achievement_and_correlations_side_by_side():
    scores = scores_where_ls_wins()
    spread = compare.achievement_side_by_side(scores, ["SM", "LM", "LS"])
    assert spread.at["SM", ("mean", "paper")] == paper.text_number("mean achievement rate (test/validation) SM").value
    assert spread.at["LS", ("sd", "ours")] == pytest.approx(np.std(scores.table.LS_a))
    corr = compare.correlation_side_by_side(scores, "margin", compare.PAIRS)
    assert corr.at["LS-SM margin", ("Pearson r", "paper")] == "0.5588"
    assert corr.at["LS-SM margin", ("Pearson p", "paper")] == "< 0.01"
    assert corr.at["LM-SM margin", ("Pearson r", "paper")] == "n.s."


# ----------------------------------------------------------------------------- claims


def _all_claims(scores, report=None, study=None):
    result = claims.rq1_claims(scores) + claims.rq2_claims(scores) + claims.rq4_claims(scores)
    if report is not None:
        result += claims.rq3_claims(report)
    result += claims.rq5_claims(study, "no study")
    return result


@pytest.fixture(scope="module")
def extreme_report():
    return extreme.extreme_report("quick")


def test_every_rule_holds_on_the_papers_own_numbers(extreme_report):
    for claim in _all_claims(scores_where_ls_wins(), extreme_report):
        assert claim.paper_holds in (True, None), f"{claim.claim}: rule fails on the paper's numbers"
        assert claim.verdict in claims.VERDICTS


def test_claims_are_confirmed_when_our_numbers_show_it():
    verdicts = {c.claim: c for c in claims.rq1_claims(scores_where_ls_wins())}
    assert verdicts["LSH gives a minor but consistent improvement over SMOTE."].verdict == claims.CONFIRMED
    assert verdicts["LLM-only and SMOTE yield nearly identical results."].verdict == claims.CONFIRMED
    # LS never loses against SM in these scores: a method dominates
    assert verdicts["None of the methods universally dominates."].verdict == claims.NOT_CONFIRMED
    rq2 = {c.claim: c for c in claims.rq2_claims(scores_where_ls_wins())}
    assert rq2["LSH's margin over SMOTE grows with IR (Pearson and Spearman)."].verdict == claims.CONFIRMED


def test_claims_are_not_confirmed_when_our_numbers_contradict_them():
    verdicts = {c.claim: c for c in claims.rq1_claims(scores_where_ls_wins(advantage=-0.05))}
    claim = verdicts["LSH gives a minor but consistent improvement over SMOTE."]
    assert claim.verdict == claims.NOT_CONFIRMED
    assert "margin -" in claim.why


def test_claims_without_our_numbers_are_not_testable_with_the_reason():
    scores = make_scores({"SM_t": np.linspace(0.2, 0.8, 30), "SM_v": np.linspace(0.3, 0.9, 30),
                          "SM_a": np.linspace(0.2, 0.8, 30) / np.linspace(0.3, 0.9, 30)})
    for claim in claims.rq1_claims(scores) + claims.rq2_claims(scores) + claims.rq4_claims(scores):
        if claim.rq == "RQ4" and claim.claim.startswith("SMOTE's robustness"):
            continue  # needs SM only
        assert claim.verdict == claims.NOT_TESTABLE, claim.claim
        assert "LLM seed pools missing" in claim.why


def test_too_few_datasets_is_not_testable():
    scores = scores_where_ls_wins(n=6)
    claim = claims.rq1_claims(scores, min_datasets=10)[3]
    assert claim.verdict == claims.NOT_TESTABLE and "only 6 dataset(s)" in claim.why


def test_claims_frame_columns():
    frame = claims.claims_frame(claims.rq1_claims(scores_where_ls_wins()))
    assert list(frame.columns) == ["claim", "test", "paper's evidence", "rule holds on the paper's numbers",
                                   "ours", "verdict", "why"]
    assert frame.index[0] == 1


# ----------------------------------------------------------------------------- RQ3


def test_smote_cannot_run_in_the_extreme_scenarios(extreme_report):
    table = extreme_report.applicability
    assert set(table.scenario) == {"few-shot", "zero-shot"}
    assert not table[table.scenario == "zero-shot"].applicable.any()
    assert (table[table.scenario == "few-shot"]["minority rows"] < 6).any()
    claim = claims.rq3_claims(extreme_report)[0]
    assert claim.verdict == claims.CONFIRMED and claim.paper_holds


def test_table3_side_by_side_lists_paper_then_ours(extreme_report):
    frame = extreme_report.side_by_side()
    assert list(frame.index.get_level_values("source")[:4]) == ["paper"] * 4
    assert frame.loc[("few-shot", "paper", "A"), "LS"] == paper.paper_table3().loc[("few-shot", "A"), "LS"]


# ----------------------------------------------------------------------------- RQ5


def _write_study(directory, lm=(60.0, 110.0, 170.0), ls_smote=(0.003, 0.004), price=None):
    directory.mkdir(parents=True, exist_ok=True)
    rows = [{"method": "LM", "ratio": r, "seconds": s, "tokens": int(s * 100)}
            for r, s in zip((0.2, 0.4, 0.6), lm)]
    rows.append({"method": "LS", "ratio": 0.2, "seconds": 59.0, "tokens": 5900})
    rows += [{"method": "LS", "ratio": r, "seconds": s, "tokens": 0, "smote_seconds": s}
             for r, s in zip((0.4, 0.6), ls_smote)]
    record = {"dataset": "analcatdata_draft", "n_features": 5, "model": "m", "endpoint_kind": "embedded",
              "machine": {"cpus": 2}, "measured": "now", "rows": rows}
    if price:
        record["price"] = price
    (directory / "analcatdata_draft.json").write_text(json.dumps(record))


def test_runtime_study_totals_add_the_seeds_to_lsh(tmp_path):
    _write_study(tmp_path)
    study, reason = runtime.load_runtime(tmp_path)
    assert reason == ""
    totals = study.totals().set_index(["method", "ratio"])
    assert totals.at[("LS", 0.6), "seconds"] == pytest.approx(59.004)
    assert totals.at[("LS", 0.6), "tokens"] == 5900
    evidence = study.per_dataset()["analcatdata_draft (5 features)"]
    assert evidence["LM first s"] == 60.0 and evidence["LS tokens range"] == 0
    verdicts = [c.verdict for c in claims.rq5_claims(study)]
    assert verdicts == [claims.CONFIRMED] * 4
    assert "cost (USD)" not in study.table().columns


def test_runtime_cost_only_with_a_price(tmp_path):
    _write_study(tmp_path, price={"usd_per_million_tokens": 2.0, "source": "a test"})
    study, _ = runtime.load_runtime(tmp_path)
    table = study.table()
    assert table.loc[("analcatdata_draft", "LM", "0.2"), "cost (USD)"] == pytest.approx(6000 * 2.0 / 1e6)


def test_runtime_absent_or_malformed(tmp_path):
    study, reason = runtime.load_runtime(tmp_path / "none")
    assert study is None and "no runtime study" in reason
    assert all(c.verdict == claims.NOT_TESTABLE for c in claims.rq5_claims(None, reason))
    (tmp_path / "bad.json").write_text(json.dumps({"rows": [{"method": "XX", "ratio": 0.2, "seconds": 1}]}))
    with pytest.raises(runtime.RuntimeFileError, match="expected LM or LS"):
        runtime.load_runtime(tmp_path)


def test_paper_runtime_comes_from_the_text():
    stated = runtime.paper_runtime()
    assert stated["5-feature dataset"]["LM last s"] == paper.text_number(
        "LLM-only runtime per resampling run, 5-feature dataset (max)").value


# ----------------------------------------------------------------------------- figures and page


def test_figures_are_deterministic_files(tmp_path):
    points = figures.margin_points(scores_where_ls_wins(), compare.PAIRS)
    assert set(points.source) == {"paper (Table 6)", "ours"}
    paths = []
    for name in ("a.png", "b.png"):
        fig = figures.margin_vs_ir_figure(points, ["LM - SM", "LS - LM", "LS - SM"])
        paths.append(figures.save(fig, tmp_path / name))
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_page_figure_is_referenced_relative_to_the_page(tmp_path):
    import matplotlib.pyplot as plt

    fig = plt.figure()
    markdown = page.figure(fig, "x.png", "caption", "alt", figures_dir=tmp_path / "figures", page_dir=tmp_path)
    assert (tmp_path / "figures" / "x.png").is_file()
    assert markdown.data.startswith("![alt](figures/x.png)")


def test_styled_tables_are_stable_html():
    frame = compare.table1_side_by_side(scores_where_ls_wins()).drop(columns=[("note", "")])
    first = page.styled(frame, "t", formats={"W": page.COUNT})._repr_html_()
    second = page.styled(frame, "t", formats={"W": page.COUNT})._repr_html_()
    assert first == second and 'id="T_t"' in first


def test_extreme_seed_pools_count_the_committed_pools():
    from lsh.seeds import coverage

    table = extreme.seed_pools(["diabetes"])
    pools = coverage(["diabetes"], ["few-shot", "zero-shot"])
    for scenario, part in pools.groupby("scenario"):
        row = table.loc[(scenario, "diabetes")]
        assert row["rows stored"] == part.rows.sum() and row["LS rows needed"] == part.ls_rows.sum()
        assert row["LS pools complete"] == f"{int(part.ls_complete.sum())} of 6"
        assert row["pools exhausted"] == part.exhausted.sum()
        outputs = part.rows.sum() + part.rejected.sum()
        assert outputs > 0 and row["accepted share"] == round(part.rows.sum() / outputs, 4)
    assert list(table.index.get_level_values("scenario")) == ["few-shot", "zero-shot"]


def test_missing_reasons_tell_an_exhausted_pool_from_one_not_yet_generated():
    from lsh.report.results import _short_reason
    from lsh.seeds import SeedsMissingError, read_pool, seed_rows
    from lsh.seeds.store import pool_path

    # the committed xd6 pool: 9 binary features, 454 of the 512 possible rows are already real
    stored = read_pool(pool_path(paths.seeds_dir(), "general", "xd6", "train"))
    assert stored.manifest["exhausted"]
    with pytest.raises(SeedsMissingError) as exhausted:
        seed_rows("xd6", "train", len(stored.rows) + 1)
    assert "is exhausted" in str(exhausted.value) and "copy_of_real" in str(exhausted.value)
    assert _short_reason(str(exhausted.value)).startswith("LLM seed pools exhausted")
    with pytest.raises(SeedsMissingError) as short:
        seed_rows("xd6", "fold0", 10_000)
    assert _short_reason(str(short.value)) == "LLM seed pools missing or too small (lsh seeds generate)"
