"""The headline claims of each research question, with verdicts computed from numbers.

Every claim is a **rule** applied to evidence: the same rule is applied to our numbers (that
gives the verdict) and to the paper's own numbers (``paper_holds``: does the paper's evidence
satisfy the rule it is quoted for? A rule the paper's numbers fail is reported, not tuned).

Verdicts:

- ``confirmed`` - our numbers satisfy the rule;
- ``not confirmed`` - they do not (``why`` says which part fails);
- ``not testable here`` - we have no numbers for it, or fewer datasets than ``min_datasets``
  (``why`` says what is missing, e.g. LLM seed pools not generated).

Thresholds are the paper's own where it states one (its p-value levels, read from
``data/paper/text_numbers.csv``), the Bayesian sign test's rope (:data:`lsh.stats.ROPE`) for
"nearly identical", and :data:`SIGNIFICANCE` for "not significant". No paper number is typed
here: the paper's evidence comes from :mod:`lsh.paper`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import stats
from . import compare
from .compare import Comparison, CorrelationEvidence
from .results import Scores

__all__ = ["CONFIRMED", "NOT_CONFIRMED", "NOT_TESTABLE", "VERDICTS", "SIGNIFICANCE", "Claim",
           "judge", "claims_frame", "rq1_claims", "rq2_claims", "rq3_claims", "rq4_claims",
           "rq5_claims"]

CONFIRMED = "confirmed"
NOT_CONFIRMED = "not confirmed"
NOT_TESTABLE = "not testable here"
VERDICTS = (CONFIRMED, NOT_CONFIRMED, NOT_TESTABLE)
SIGNIFICANCE = 0.05
"""Level below which a correlation counts as significant where the paper says "not significant"
without a level (its weakest stated level is p < 0.05)."""

Rule = Callable[[object], tuple[bool, str]]


@dataclass(frozen=True)
class Claim:
    """One claim, its evidence (paper, ours, as text) and the computed verdict."""

    rq: str
    claim: str
    rule: str
    paper: str
    ours: str
    verdict: str
    why: str
    paper_holds: bool | None


def judge(rq: str, claim: str, rule_text: str, rule: Rule, *, paper_evidence, ours_evidence,
          fmt: Callable[[object], str], missing_reason: str = "", n: int | None = None,
          min_datasets: int = 1) -> Claim:
    """Apply ``rule`` to our evidence (the verdict) and to the paper's (``paper_holds``).

    ``ours_evidence=None`` gives "not testable here" with ``missing_reason``; so does ``n``
    (datasets behind our evidence) below ``min_datasets``.
    """
    paper_text = fmt(paper_evidence) if paper_evidence is not None else "not reported"
    paper_holds = None
    if paper_evidence is not None:
        try:
            paper_holds = bool(rule(paper_evidence)[0])
        except _Undecidable:
            paper_holds = None
    if ours_evidence is None:
        return Claim(rq, claim, rule_text, paper_text, "—", NOT_TESTABLE, missing_reason, paper_holds)
    ours_text = fmt(ours_evidence)
    if n is not None and n < min_datasets:
        why = f"only {n} dataset(s) behind our numbers; at least {min_datasets} needed"
        return Claim(rq, claim, rule_text, paper_text, ours_text, NOT_TESTABLE, why, paper_holds)
    try:
        holds, why = rule(ours_evidence)
    except _Undecidable as error:
        return Claim(rq, claim, rule_text, paper_text, ours_text, NOT_TESTABLE, str(error), paper_holds)
    return Claim(rq, claim, rule_text, paper_text, ours_text, CONFIRMED if holds else NOT_CONFIRMED,
                 why, paper_holds)


class _Undecidable(Exception):
    """The evidence does not contain what the rule needs (e.g. the paper gives no p-value)."""


def claims_frame(claims: Sequence[Claim]) -> pd.DataFrame:
    """The claims table a chapter ends with."""
    holds = {True: "yes", False: "no", None: "—"}
    return pd.DataFrame.from_records([{
        "claim": c.claim,
        "test": c.rule,
        "paper's evidence": c.paper,
        "rule holds on the paper's numbers": holds[c.paper_holds],
        "ours": c.ours,
        "verdict": c.verdict,
        "why": c.why,
    } for c in claims], index=pd.RangeIndex(1, len(claims) + 1, name="#"))


# ----------------------------------------------------------------------------- formatting


def _pct(value) -> str:
    return "—" if value is None or (isinstance(value, float) and np.isnan(value)) else f"{value:.1f}"


def _fmt_comparison(label: str, c: Comparison) -> str:
    text = f"{label}: margin {c.margin:+.4f}; BST {_pct(c.p_win)} / {_pct(c.p_rope)} / {_pct(c.p_lose)} %"
    if c.wins is not None:
        text += f"; W/D/L {c.wins}/{c.draws}/{c.losses}"
    if c.n is not None:
        text += f" (n = {c.n})"
    return text


def _fmt_comparisons(evidence: dict) -> str:
    return "; ".join(_fmt_comparison(label, c) for label, c in evidence.items())


def _fmt_p(value, relation) -> str:
    if relation == "n.s.":
        return "n.s."
    if value is None:
        return "p not stated"
    return f"p < {value:g}" if relation == "<" else f"p = {value:.4f}"


def _fmt_correlation(e: CorrelationEvidence) -> str:
    parts = []
    for name, r, p, rel in (("Pearson", e.pearson, e.pearson_p, e.pearson_rel),
                            ("Spearman", e.spearman, e.spearman_p, e.spearman_rel)):
        if rel == "n.s.":
            parts.append(f"{name} n.s.")
        elif r is None:
            parts.append(f"{name} not stated")
        else:
            parts.append(f"{name} {r:+.4f} ({_fmt_p(p, rel)})")
    text = ", ".join(parts)
    return text + (f" (n = {e.n})" if e.n else "")


# ----------------------------------------------------------------------------- rules


def _largest(c: Comparison) -> str:
    values = {"win": c.p_win, "draw": c.p_rope, "lose": c.p_lose}
    return max(values, key=values.get)


def _favours(c: Comparison) -> tuple[bool, str]:
    ok = c.margin > 0 and c.p_win > c.p_lose
    return ok, (f"margin {c.margin:+.4f} {'>' if c.margin > 0 else '<='} 0 and BST win "
                f"{_pct(c.p_win)} % {'>' if c.p_win > c.p_lose else '<='} lose {_pct(c.p_lose)} %")


def _balanced(c: Comparison) -> tuple[bool, str]:
    small = abs(c.margin) <= stats.ROPE
    neither = c.p_win < 50 and c.p_lose < 50
    return small and neither, (f"|margin| = {abs(c.margin):.4f} {'<=' if small else '>'} rope {stats.ROPE}; "
                               f"BST win {_pct(c.p_win)} %, lose {_pct(c.p_lose)} % "
                               f"({'neither' if neither else 'one'} above 50 %)")


def _wins_most_likely(c: Comparison) -> tuple[bool, str]:
    largest = _largest(c)
    ok = c.margin > 0 and largest == "win"
    return ok, f"margin {c.margin:+.4f}; the most probable BST outcome is '{largest}'"


def _draw_most_likely(c: Comparison) -> tuple[bool, str]:
    largest = _largest(c)
    return largest == "draw", f"the most probable BST outcome is '{largest}'"


def _all(rule: Rule) -> Rule:
    def check(evidence: dict) -> tuple[bool, str]:
        results = {label: rule(c) for label, c in evidence.items()}
        failing = [label for label, (ok, _) in results.items() if not ok]
        detail = "; ".join(f"{label}: {why}" for label, (_, why) in results.items())
        return not failing, (f"fails for {', '.join(failing)} ({detail})" if failing else detail)
    return check


def _no_domination(evidence: dict) -> tuple[bool, str]:
    dominated = [label for label, c in evidence.items() if c.wins == 0 or c.losses == 0]
    detail = ", ".join(f"{label} {c.wins}/{c.draws}/{c.losses}" for label, c in evidence.items())
    if dominated:
        return False, f"one method never loses in {', '.join(dominated)} (W/D/L {detail})"
    return True, f"every comparison has wins and losses (W/D/L {detail})"


def _significant(p, relation, level) -> bool:
    if relation == "n.s.":
        return False
    if p is None:
        raise _Undecidable("no p-value")
    return p <= level if relation == "<" else p < level


def _not_significant(p, relation, level) -> bool:
    if relation == "n.s.":
        return True
    if p is None:
        raise _Undecidable("no p-value")
    return not _significant(p, relation, level)


def _correlation_rule(sign: int, pearson_level, spearman_level) -> Rule:
    """Pearson (and Spearman if a level is given) of the given sign, significant at the level;
    a level of "n.s." asks for a non-significant coefficient instead."""

    def check(e: CorrelationEvidence) -> tuple[bool, str]:
        parts, ok = [], True
        for name, r, p, rel, level in (("Pearson", e.pearson, e.pearson_p, e.pearson_rel, pearson_level),
                                       ("Spearman", e.spearman, e.spearman_p, e.spearman_rel, spearman_level)):
            if level is None:
                continue
            if level == "n.s.":
                good = _not_significant(p, rel, SIGNIFICANCE)
                parts.append(f"{name} {'not ' if good else ''}significant at {SIGNIFICANCE}")
            else:
                if r is None:
                    raise _Undecidable(f"no {name} coefficient")
                good = np.sign(r) == sign and _significant(p, rel, level)
                parts.append(f"{name} {r:+.4f} ({_fmt_p(p, rel)}; needs sign {'+' if sign > 0 else '-'} "
                             f"and p < {level:g})")
            ok = ok and good
        return ok, "; ".join(parts)

    return check


def _level(quantity: str):
    """The p-value level the paper states for a coefficient ("< 0.01" -> 0.01), or "n.s."."""
    from ..paper import text_number

    try:
        number = text_number(quantity)
    except KeyError:
        return None
    return "n.s." if number.relation == "n.s." else number.value


# ----------------------------------------------------------------------------- RQ1


def _pair_label(pair) -> str:
    return f"{pair[0]} vs {pair[1]}"


def _ours_comparisons(scores, pairs, group=None, random_state=0):
    evidence, reasons = {}, []
    for pair in pairs:
        result, reason = compare.ours_comparison(scores, pair, group, random_state=random_state)
        if result is None:
            reasons.append(reason)
        else:
            evidence[_pair_label(pair)] = result
    if reasons:
        return None, _missing(scores, pairs, reasons), None
    return evidence, "", min(c.n for c in evidence.values())


def _missing(scores, pairs, reasons) -> str:
    """Why a comparison cannot be made: the methods' missing scores, once each."""
    methods = dict.fromkeys(m for pair in pairs for m in pair)
    gaps = [scores.missing_reason(m) for m in methods if scores.missing_reason(m)]
    return "; ".join(gaps) if gaps else "; ".join(dict.fromkeys(reasons))


def _paper_comparisons(pairs, group=None):
    evidence = {_pair_label(p): compare.paper_comparison(p, group) for p in pairs}
    return None if any(v is None for v in evidence.values()) else evidence


def rq1_claims(scores: Scores, *, min_datasets: int = 10, random_state: int = 0) -> list[Claim]:
    """RQ1 (section 5.1, Table 1): overall comparison of SM, LM and LS."""
    claims = []

    def add(claim, rule_text, rule, pairs):
        ours, reason, n = _ours_comparisons(scores, pairs, random_state=random_state)
        claims.append(judge("RQ1", claim, rule_text, rule, paper_evidence=_paper_comparisons(pairs),
                            ours_evidence=ours, fmt=_fmt_comparisons, missing_reason=reason, n=n,
                            min_datasets=min_datasets))

    add("None of the methods universally dominates.",
        "every comparison has at least one win and one loss (test F1, 4 decimals)",
        _no_domination, compare.PAIRS)
    add("LLM-only and SMOTE yield nearly identical results.",
        f"|mean margin LM - SM| <= rope ({stats.ROPE}) and neither BST win nor lose above 50 %",
        _all(_balanced), [("LM", "SM")])
    add("LSH gives a minor but consistent improvement over LLM-only.",
        "mean margin LS - LM > 0 and BST P(LS better) > P(LM better)", _all(_favours), [("LS", "LM")])
    add("LSH gives a minor but consistent improvement over SMOTE.",
        "mean margin LS - SM > 0 and BST P(LS better) > P(SM better)", _all(_favours), [("LS", "SM")])
    return claims


# ----------------------------------------------------------------------------- RQ2


def rq2_claims(scores: Scores, *, min_datasets: int = 10, random_state: int = 0) -> list[Claim]:
    """RQ2 (section 5.2, Table 2, Figure 2): the effect of imbalance severity."""
    claims = []

    def grouped(claim, rule_text, rule, pairs_groups):
        ours, reasons, ns = {}, [], []
        theirs = {}
        for pair, group in pairs_groups:
            label = f"{_pair_label(pair)} ({group})"
            result, reason = compare.ours_comparison(scores, pair, group, random_state=random_state)
            theirs[label] = compare.paper_comparison(pair, group)
            if result is None:
                reasons.append(reason)
            else:
                ours[label] = result
                ns.append(result.n)
        claims.append(judge("RQ2", claim, rule_text, rule, paper_evidence=theirs,
                            ours_evidence=None if reasons else ours, fmt=_fmt_comparisons,
                            missing_reason=_missing(scores, [p for p, _ in pairs_groups], reasons)
                            if reasons else "",
                            n=min(ns) if ns and not reasons else None, min_datasets=min_datasets))

    grouped("In the more-imbalanced group, LLM-only outperforms SMOTE.",
            "more group: mean margin LM - SM > 0 and 'LM better' is the most probable BST outcome",
            _all(_wins_most_likely), [(("LM", "SM"), "more")])

    def highest_over_smote(evidence):
        ls, lm = evidence["LS vs SM (more)"], evidence["LM vs SM (more)"]
        ok_ls, why = _wins_most_likely(ls)
        higher = ls.p_win > lm.p_win
        return ok_ls and higher, (f"LS vs SM: {why}; P(LS better) {_pct(ls.p_win)} % "
                                  f"{'>' if higher else '<='} P(LM better) {_pct(lm.p_win)} %")

    grouped("In the more-imbalanced group, LSH has the highest probability of outperforming SMOTE, "
            "with a clear margin.",
            "more group: LS - SM margin > 0, 'LS better' most probable, and P(LS > SM) > P(LM > SM)",
            highest_over_smote, [(("LS", "SM"), "more"), (("LM", "SM"), "more")])
    grouped("In the mid-imbalanced group, differences are minimal: the BST favours draws.",
            "mid group: 'draw' is the most probable BST outcome of all three comparisons",
            _all(_draw_most_likely), [(p, "mid") for p in compare.PAIRS])
    grouped("In the less-imbalanced group, the differences between LSH and the others are minor.",
            "less group: 'draw' is the most probable BST outcome of LS vs LM and LS vs SM",
            _all(_draw_most_likely), [(("LS", "LM"), "less"), (("LS", "SM"), "less")])

    def largest_in_more(evidence):
        parts, ok = [], True
        for other in ("SM", "LM"):
            m = {g: evidence[f"LS vs {other} ({g})"].margin for g in stats.GROUPS}
            good = m["more"] > m["mid"] and m["more"] > m["less"]
            ok = ok and good
            parts.append(f"LS - {other}: " + ", ".join(f"{g} {v:+.4f}" for g, v in m.items()))
        return ok, "; ".join(parts)

    grouped("The hybrid primarily benefits more-imbalanced datasets: LSH's margin is largest there.",
            "mean margins LS - SM and LS - LM are larger in the more group than in mid and less",
            largest_in_more, [(("LS", o), g) for o in ("SM", "LM") for g in stats.GROUPS])

    def correlation_claim(claim, pair, pearson_level, spearman_level, sign=1):
        subject = f"{pair[0]}-{pair[1]} margin"
        ours, reason = compare.subject_correlation(scores, "margin", pair)
        rule_text = _correlation_text(subject, sign, pearson_level, spearman_level)
        claims.append(judge("RQ2", claim, rule_text, _correlation_rule(sign, pearson_level, spearman_level),
                            paper_evidence=compare.paper_correlation(subject), ours_evidence=ours,
                            fmt=_fmt_correlation, missing_reason=reason, n=ours.n if ours else None,
                            min_datasets=min_datasets))

    correlation_claim("The LM - SM margin is not related to IR.", ("LM", "SM"), "n.s.", "n.s.")
    correlation_claim("LSH's margin over LLM-only grows with IR.", ("LS", "LM"),
                      _level("p-value of Pearson r(IR, LS-LM margin)"), None)
    correlation_claim("LSH's margin over SMOTE grows with IR (Pearson and Spearman).", ("LS", "SM"),
                      _level("p-value of Pearson r(IR, LS-SM margin)"),
                      _level("p-value of Spearman rho(IR, LS-SM margin)"))
    return claims


def _correlation_text(subject, sign, pearson_level, spearman_level) -> str:
    parts = []
    for name, level in (("Pearson", pearson_level), ("Spearman", spearman_level)):
        if level == "n.s.":
            parts.append(f"{name} p >= {SIGNIFICANCE}")
        elif level is not None:
            parts.append(f"{name} {'> 0' if sign > 0 else '< 0'} with p < {level:g}")
    return f"IR vs {subject}: " + " and ".join(parts)


# ----------------------------------------------------------------------------- RQ4


def _fmt_spreads(evidence: dict) -> str:
    return "; ".join(f"{m}: mean {s.mean:.4f}, sd {s.sd:.4f}" + (f" (n = {s.n})" if s.n else "")
                     for m, s in evidence.items())


def rq4_claims(scores: Scores, *, min_datasets: int = 10) -> list[Claim]:
    """RQ4 (section 5.4, Figure 3): robustness as the achievement rate (test F1 / validation F1)."""
    methods = ("SM", "LM", "LS")
    theirs = {m: compare.paper_achievement(m) for m in methods}
    ours = {m: compare.ours_achievement(scores, m) for m in methods}
    missing = "; ".join(scores.missing_reason(m) for m in methods if ours[m] is None)
    ours_ev = None if any(v is None for v in ours.values()) else ours
    n = min(s.n for s in ours.values()) if ours_ev else None
    claims = []

    def spread_claim(claim, rule_text, rule):
        claims.append(judge("RQ4", claim, rule_text, rule, paper_evidence=theirs, ours_evidence=ours_ev,
                            fmt=_fmt_spreads, missing_reason=missing, n=n, min_datasets=min_datasets))

    def extreme(field, method, lowest):
        def check(evidence):
            values = {m: getattr(s, field) for m, s in evidence.items()}
            target = min(values, key=values.get) if lowest else max(values, key=values.get)
            word = "lowest" if lowest else "highest"
            return target == method, f"{word} {field}: {target} ({values[target]:.4f})"
        return check

    spread_claim("SMOTE has the lowest mean achievement rate.",
                 "mean achievement rate of SM below LM's and LS's", extreme("mean", "SM", True))
    spread_claim("SMOTE's achievement rate varies most.",
                 "sd of SM's achievement rate above LM's and LS's", extreme("sd", "SM", False))
    spread_claim("LSH is the most stable: lowest sd of the achievement rate.",
                 "sd of LS's achievement rate below SM's and LM's", extreme("sd", "LS", True))

    def correlation_claim(claim, method, sign=-1):
        subject = f"{method} achievement rate"
        pearson_level = _level(f"p-value of Pearson r(IR, {subject})")
        spearman_level = _level(f"p-value of Spearman rho(IR, {subject})") or \
            _level(f"Spearman rho(IR, {subject})")
        evidence, reason = compare.subject_correlation(scores, "achievement", method)
        claims.append(judge("RQ4", claim, _correlation_text(subject, sign, pearson_level, spearman_level),
                            _correlation_rule(sign, pearson_level, spearman_level),
                            paper_evidence=compare.paper_correlation(subject), ours_evidence=evidence,
                            fmt=_fmt_correlation, missing_reason=reason,
                            n=evidence.n if evidence else None, min_datasets=min_datasets))

    correlation_claim("SMOTE's robustness falls sharply with imbalance.", "SM")
    correlation_claim("LLM-only's robustness also falls with imbalance, less consistently.", "LM")
    correlation_claim("LSH's robustness falls modestly but consistently with imbalance.", "LS")

    sm, sm_reason = compare.subject_correlation(scores, "achievement", "SM")
    ls, ls_reason = compare.subject_correlation(scores, "achievement", "LS")
    pair_ours = {"SM": sm, "LS": ls} if sm and ls else None
    pair_paper = {m: compare.paper_correlation(f"{m} achievement rate") for m in ("SM", "LS")}

    def weaker(evidence):
        s, l = abs(evidence["SM"].pearson), abs(evidence["LS"].pearson)
        return l < s, f"|Pearson| LS {l:.4f} {'<' if l < s else '>='} SM {s:.4f}"

    claims.append(judge("RQ4", "LSH depends less on imbalance than SMOTE.",
                        "|Pearson r(IR, achievement)| of LS below SM's", weaker,
                        paper_evidence=pair_paper, ours_evidence=pair_ours,
                        fmt=lambda e: "; ".join(f"{m}: {_fmt_correlation(c)}" for m, c in e.items()),
                        missing_reason="; ".join(r for r in (sm_reason, ls_reason) if r),
                        n=min(sm.n, ls.n) if pair_ours else None, min_datasets=min_datasets))
    return claims


# ----------------------------------------------------------------------------- RQ3


def rq3_claims(extreme) -> list[Claim]:
    """RQ3 (section 5.3, Table 3): few-shot (1:0.01) and zero-shot (1:0.00).

    ``extreme`` is an :class:`lsh.report.extreme.ExtremeReport`.
    """
    from .extreme import paper_table3

    paper3 = paper_table3()
    claims = []

    def fmt_smote(evidence):
        if isinstance(evidence, pd.DataFrame):  # the paper's Table 3
            printed = evidence["SM"]
            return f"SM printed N/A in {int(printed.isna().sum())} of {len(printed)} cells of Table 3"
        return "; ".join(f"{s}: {d} SMOTE not applicable on {n} of {t} training parts"
                         for (s, d), (n, t) in evidence.items())

    def smote_fails(evidence):
        if isinstance(evidence, pd.DataFrame):
            ok = bool(evidence["SM"].isna().all())
            return ok, "SM N/A everywhere" if ok else "SM has values"
        runs = [key for key, (n, _) in evidence.items() if n == 0]
        return not runs, ("the protocol's SMOTE (k = 5) fails on at least one training part of every "
                          "dataset and scenario" if not runs else
                          f"SMOTE runs on every part of {', '.join(f'{d} ({s})' for s, d in runs)}")

    applicability = extreme.smote_summary()
    claims.append(judge("RQ3", "SMOTE fails in the few-shot (1:0.01) and zero-shot (1:0.00) scenarios.",
                        "SMOTE (k = 5) is not applicable on some training part of each dataset and scenario",
                        smote_fails, paper_evidence=paper3, ours_evidence=applicability, fmt=fmt_smote))

    def table3_claim(claim, rule_text, scenario, rule):
        theirs = paper3.loc[scenario][["ORG", "SM", "LM", "LS"]]
        ours, reason = extreme.scores(scenario)
        claims.append(judge("RQ3", claim, rule_text, rule, paper_evidence=theirs, ours_evidence=ours,
                            fmt=_fmt_table3, missing_reason=reason))

    def most_ls_over_lm(frame):
        better = int((frame.LS > frame.LM).sum())
        return better > len(frame) / 2, f"LS > LM on {better} of {len(frame)} datasets"

    def ls_matches_or_exceeds(frame):
        ok = frame.LS >= frame.LM - stats.ROPE
        return bool(ok.all()), (f"LS >= LM - rope ({stats.ROPE}) on {int(ok.sum())} of {len(frame)} datasets")

    def both_beat_org(frame):
        ok = (frame.LM > frame.ORG) & (frame.LS > frame.ORG)
        return bool(ok.all()), f"LM and LS above ORG on {int(ok.sum())} of {len(frame)} datasets"

    table3_claim("Few-shot: LLM-only and LSH remain effective (both above no resampling).",
                 "few-shot: LM > ORG and LS > ORG on every dataset", "few-shot", both_beat_org)
    table3_claim("Few-shot: LSH scores higher than LLM-only on most datasets.",
                 "few-shot: LS > LM on more than half of the datasets", "few-shot", most_ls_over_lm)
    table3_claim("Zero-shot: LSH matches or slightly exceeds LLM-only.",
                 f"zero-shot: LS >= LM - rope ({stats.ROPE}) on every dataset", "zero-shot",
                 ls_matches_or_exceeds)
    return claims


def _fmt_table3(frame: pd.DataFrame) -> str:
    def cell(v):
        return "N/A" if pd.isna(v) else f"{v:.4f}"
    return "; ".join(f"{name}: " + ", ".join(f"{m} {cell(row[m])}" for m in ("ORG", "SM", "LM", "LS"))
                     for name, row in frame.iterrows())


# ----------------------------------------------------------------------------- RQ5


def rq5_claims(runtime, missing_reason: str = "") -> list[Claim]:
    """RQ5 (section 5.5, Figure 4): runtime of LLM-only vs LSH per ratio.

    ``runtime`` is a :class:`lsh.report.runtime.RuntimeStudy` or None (file absent).
    """
    from .runtime import paper_runtime

    theirs = paper_runtime()
    ours = runtime.per_dataset() if runtime is not None else None
    claims = []

    def fmt(evidence):
        return "; ".join(f"{name}: " + ", ".join(f"{k} {v}" for k, v in values.items())
                         for name, values in evidence.items())

    def add(claim, rule_text, rule, paper_evidence=theirs):
        claims.append(judge("RQ5", claim, rule_text, rule, paper_evidence=paper_evidence,
                            ours_evidence=ours, fmt=fmt, missing_reason=missing_reason))

    def lm_grows(evidence):
        parts, ok = [], True
        for name, v in evidence.items():
            if v.get("LM first s") is None or v.get("LM last s") is None:
                raise _Undecidable(f"{name}: no LLM-only runtime")
            good = v["LM last s"] > v["LM first s"]
            ok = ok and good
            parts.append(f"{name}: LM {v['LM first s']} s -> {v['LM last s']} s")
        return ok, "; ".join(parts)

    def ls_flat(evidence):
        parts, ok = [], True
        for name, v in evidence.items():
            if v.get("LS range s") is None or v.get("LM range s") is None:
                raise _Undecidable(f"{name}: LS or LM runtime per ratio not given")
            good = v["LS range s"] < v["LM range s"]
            ok = ok and good
            parts.append(f"{name}: LS varies by {v['LS range s']} s, LM by {v['LM range s']} s")
        return ok, "; ".join(parts)

    def ls_cheaper(evidence):
        parts, ok = [], True
        for name, v in evidence.items():
            if v.get("LS last s") is None or v.get("LM last s") is None:
                raise _Undecidable(f"{name}: no runtime at the last ratio")
            good = v["LS last s"] < v["LM last s"]
            ok = ok and good
            parts.append(f"{name}: at the last ratio LS {v['LS last s']} s vs LM {v['LM last s']} s")
        return ok, "; ".join(parts)

    def tokens_flat(evidence):
        parts, ok = [], True
        for name, v in evidence.items():
            if v.get("LS tokens range") is None or v.get("LM tokens range") is None:
                raise _Undecidable(f"{name}: no token counts")
            good = v["LS tokens range"] == 0 and v["LM tokens range"] > 0
            ok = ok and good
            parts.append(f"{name}: LS tokens vary by {v['LS tokens range']}, LM by {v['LM tokens range']}")
        return ok, "; ".join(parts)

    add("LLM-only runtime grows with the resampling ratio.",
        "per timed dataset: LM runtime at the last ratio above that at the first", lm_grows)
    add("LSH's runtime stays near its one-off seed cost across ratios.",
        "per timed dataset: the spread of LS runtimes over the ratios is below LM's", ls_flat)
    add("LSH is faster than LLM-only at the largest ratio.",
        "per timed dataset: LS runtime below LM runtime at the last ratio", ls_cheaper)
    add("LSH calls the LLM only for the seeds: its LLM usage does not grow with the ratio.",
        "per timed dataset: LS's LLM tokens are the same at every ratio, LM's grow", tokens_flat,
        paper_evidence=None)
    return claims
