"""The paper's statistics: win/draw/loss, mean margins, Bayesian sign test, correlations,
achievement rates and the three imbalance groups.

Every function takes per-dataset scores of two methods (array-likes of equal length, one
entry per dataset) and is NaN-aware: a dataset where either score is missing is left out and
the number left out is returned with the result, never silently dropped.

Conventions, as in the authors' analysis notebook (github.com/doheonhan/LSH,
``3. Results and Analysis.ipynb``) and checked against the paper in ``data/paper/CHECK.md``:

* all comparisons are on **test** F1; margin = mean of (A - B);
* a draw is equality; the paper's Table 1 counts follow from Table 6 when scores are compared
  at 4 decimals (``decimals=4``, the default here);
* Bayesian sign test with a rope of 0.01 and a prior of strength 1 on the rope;
* standard deviations are population sd (``ddof=0``, like ``np.std``);
* the groups are thirds of the IR-sorted Table 5 list (rows 1-20 ``more``, 21-40 ``mid``,
  41-60 ``less``), taken from :func:`lsh.datasets.registry`.

Table frames (:func:`comparison_table`, :func:`comparison_table_by_group`) report BST
probabilities in **percent**, like the paper's tables and ``data/paper/table1_rq1.csv``;
:func:`sign_test` returns them as fractions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

import baycomp
import numpy as np
import pandas as pd
from scipy import stats as _scipy_stats

from .datasets.registry import GROUP_ORDER, get_info

__all__ = [
    "DEFAULT_PAIRS",
    "GROUPS",
    "ROPE",
    "Margin",
    "WinDrawLoss",
    "SignTestResult",
    "Correlation",
    "Spread",
    "margins",
    "mean_margin",
    "win_draw_loss",
    "sign_test",
    "sign_test_from_counts",
    "correlation",
    "achievement_rate",
    "achievement_summary",
    "imbalance_group",
    "dataset_groups",
    "excluded_rows",
    "comparison_table",
    "comparison_table_by_group",
]

ROPE = 0.01
"""Region of practical equivalence of the Bayesian sign test (the authors' ``rope = 0.01``)."""

GROUPS = GROUP_ORDER
"""The three imbalance groups, most imbalanced first: ``("more", "mid", "less")``."""

DEFAULT_PAIRS = (("LM", "SM"), ("LS", "LM"), ("LS", "SM"))
"""The paper's three comparisons, first method minus second: LLM vs SMOTE, LSH vs LLM,
LSH vs SMOTE."""


class Margin(NamedTuple):
    """Mean of A - B over the datasets where both are present."""

    mean: float
    n: int
    n_excluded: int


class WinDrawLoss(NamedTuple):
    """How often A is above, equal to, below B; ``n = wins + draws + losses``."""

    wins: int
    draws: int
    losses: int
    n: int
    n_excluded: int


class SignTestResult(NamedTuple):
    """Posterior probabilities of the Bayesian sign test, and the counts they come from.

    ``p_win`` = P(A better by more than the rope), ``p_rope`` = P(practically equivalent),
    ``p_lose`` = P(B better by more than the rope). ``wins``, ``ropes``, ``losses`` count the
    datasets with A - B > rope, \\|A - B\\| <= rope and A - B < -rope.
    """

    p_win: float
    p_rope: float
    p_lose: float
    wins: int
    ropes: int
    losses: int
    n: int
    n_excluded: int


class Correlation(NamedTuple):
    """Pearson and Spearman correlation of x and y, each with its two-sided p-value."""

    pearson: float
    pearson_p: float
    spearman: float
    spearman_p: float
    n: int
    n_excluded: int


class Spread(NamedTuple):
    """Mean and standard deviation of the non-missing values."""

    mean: float
    sd: float
    n: int
    n_excluded: int


# ----------------------------------------------------------------------------- input checks


def _as_scores(values, name: str) -> np.ndarray:
    """One 1-D float array; NaN marks a missing score, infinities are refused."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numeric scores (NaN for missing): {error}") from None
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional (one score per dataset), "
                         f"got shape {array.shape}")
    if np.isinf(array).any():
        raise ValueError(f"{name} contains infinite values; use NaN for a missing score")
    return array


def _pair(a, b, names: tuple[str, str]) -> tuple[np.ndarray, np.ndarray]:
    """``a`` and ``b`` as float arrays of one length (NaN kept)."""
    if isinstance(a, pd.Series) and isinstance(b, pd.Series) and not a.index.equals(b.index):
        raise ValueError(f"{names[0]} and {names[1]} are pandas Series with different "
                         "indexes; align them first (e.g. b.reindex(a.index))")
    x, y = _as_scores(a, names[0]), _as_scores(b, names[1])
    if len(x) != len(y):
        raise ValueError(f"{names[0]} and {names[1]} must have one score per dataset each; "
                         f"got lengths {len(x)} and {len(y)}")
    return x, y


def _paired(a, b, names: tuple[str, str] = ("a", "b")) -> tuple[np.ndarray, np.ndarray, int]:
    """The complete pairs of ``a`` and ``b`` and how many pairs were incomplete."""
    x, y = _pair(a, b, names)
    complete = ~(np.isnan(x) | np.isnan(y))
    if not complete.any():
        raise ValueError(f"no dataset has both {names[0]} and {names[1]} "
                         f"({len(x)} given, all incomplete)")
    return x[complete], y[complete], int((~complete).sum())


# ----------------------------------------------------------------------------- comparisons


def margins(a, b) -> np.ndarray:
    """Per-dataset margins A - B, NaN where either score is missing.

    Parameters
    ----------
    a, b : array-like of float
        Scores of methods A and B, one per dataset, same length.

    Returns
    -------
    numpy.ndarray
        ``a - b``.

    Raises
    ------
    ValueError
        On lengths that differ, non-numeric or infinite values, or Series with different
        indexes.
    """
    x, y = _pair(a, b, ("a", "b"))
    return x - y


def mean_margin(a, b) -> Margin:
    """Mean margin of A over B (mean of A - B) on the datasets where both are present.

    Parameters
    ----------
    a, b : array-like of float
        Scores of methods A and B (test F1 in the paper), one per dataset, NaN if missing.

    Returns
    -------
    Margin
        ``(mean, n, n_excluded)``.

    Raises
    ------
    ValueError
        On mismatched lengths, non-numeric input, or no complete pair.
    """
    x, y, excluded = _paired(a, b)
    return Margin(float(np.mean(x - y)), len(x), excluded)


def win_draw_loss(a, b, *, decimals: int | None = 4) -> WinDrawLoss:
    """Count datasets where A is above, equal to or below B.

    Parameters
    ----------
    a, b : array-like of float
        Scores of methods A and B, one per dataset, NaN if missing.
    decimals : int or None, default 4
        Round both scores to this many decimals before comparing; a draw is equality after
        rounding. 4 is the precision of the paper's Table 6, from which its Table 1 counts
        follow. ``None`` compares the raw floats with ``==``, which is what the authors'
        notebook did on their unrounded scores.

    Returns
    -------
    WinDrawLoss
        ``(wins, draws, losses, n, n_excluded)``.

    Raises
    ------
    ValueError
        On mismatched lengths, non-numeric input, a negative ``decimals``, or no complete pair.
    """
    if decimals is not None and (not isinstance(decimals, (int, np.integer)) or decimals < 0):
        raise ValueError(f"decimals must be a non-negative integer or None, got {decimals!r}")
    x, y, excluded = _paired(a, b)
    if decimals is not None:
        x, y = np.round(x, decimals), np.round(y, decimals)
    wins, draws = int((x > y).sum()), int((x == y).sum())
    return WinDrawLoss(wins, draws, len(x) - wins - draws, len(x), excluded)


def _check_sign_test_args(rope: float, prior: float, nsamples: int, random_state) -> None:
    if not np.isfinite(rope) or rope < 0:
        raise ValueError(f"rope must be a non-negative number, got {rope!r}")
    if not np.isfinite(prior) or prior < 0:
        raise ValueError(f"prior must be a non-negative number, got {prior!r}")
    if not isinstance(nsamples, (int, np.integer)) or nsamples <= 0:
        raise ValueError(f"nsamples must be a positive integer, got {nsamples!r}")
    if not isinstance(random_state, (int, np.integer)) or random_state < 0:
        raise ValueError("random_state must be a non-negative integer (the sign test is a "
                         "Monte Carlo estimate; a seed makes it reproducible), "
                         f"got {random_state!r}")


def sign_test(a, b, rope: float = ROPE, *, prior: float = 1.0, nsamples: int = 50_000,
              random_state: int = 0) -> SignTestResult:
    """Bayesian sign test of A against B (Benavoli et al., 2017) with ``baycomp``.

    The posterior of (P(A - B < -rope), P(rope), P(A - B > rope)) is
    Dirichlet(counts + 1e-4, with ``prior`` added on the rope); the reported probabilities
    are the shares of ``nsamples`` posterior draws in which each of the three is the largest.

    Parameters
    ----------
    a, b : array-like of float
        Scores of methods A and B (test F1), one per dataset, NaN if missing.
    rope : float, default 0.01
        Half-width of the region of practical equivalence: \\|A - B\\| <= rope is a "rope"
        dataset, A - B > rope a win.
    prior : float, default 1.0
        Prior strength, placed on the rope (baycomp's and the authors' default).
    nsamples : int, default 50000
        Monte Carlo draws (the authors' default too).
    random_state : int, default 0
        Seed of the draws.

    Returns
    -------
    SignTestResult
        ``(p_win, p_rope, p_lose, wins, ropes, losses, n, n_excluded)``, probabilities as
        fractions.

    Raises
    ------
    ValueError
        On mismatched lengths, non-numeric input, no complete pair, a negative rope or
        prior, a non-positive ``nsamples`` or a missing/negative ``random_state``.

    Notes
    -----
    *Same model as the authors'.* The paper's BST comes from ``bayesiantests.signtest``
    (the Benavoli et al. tutorial module), called as ``signtest(X, rope=0.01)`` with
    ``X = [baseline, ours]``. Its sampling code is line for line what ``baycomp`` 1.0.3's
    ``SignTest.sample`` does: same counts (strict ``>``/``<`` outside the rope), same
    ``+1e-4``, same prior of 1 on the rope, same argmax over 50 000 Dirichlet draws.

    *Differences.* (1) The authors drew from NumPy's unseeded global generator, so their
    probabilities cannot be re-drawn to the digit; each carries a Monte Carlo standard error
    of up to about 0.2 percentage points (50 000 draws). ``baycomp`` here uses a seeded
    ``RandomState``: repeated calls give identical results. (2) ``bayesiantests`` returns
    (baseline better, rope, ours better); here the order is (A better, rope, B better), with A
    the first method of "A vs B". (3) The counts are taken on the raw float difference, as in
    both implementations; for scores rounded to 4 decimals a difference printed as exactly
    0.0100 may fall on either side of the rope through float error (none does in the
    paper's Table 6).

    *What is reproducible from the paper.* ``data/paper/CHECK.md`` shows that each of the 12
    published probability triples maps to one (win, rope, lose) count, and Table 6
    reproduces those counts (10 as printed, LM vs SM "all" and "more" only with row 2's
    unknown SMOTE score). From the counts, the published probabilities are reproduced within
    about 0.5 percentage points, i.e. within their own Monte Carlo error, not to the digit.
    """
    _check_sign_test_args(rope, prior, nsamples, random_state)
    x, y, excluded = _paired(a, b)
    # baycomp: diff = y - x; "left" (diff < -rope) = x better, "right" = y better.
    diff = y - x
    wins, losses = int((diff < -rope).sum()), int((diff > rope).sum())
    posterior = baycomp.SignTest(x, y, rope, prior=prior, nsamples=int(nsamples),
                                 random_state=int(random_state))
    p_win, p_rope, p_lose = (float(p) for p in posterior.probs(with_rope=True))
    return SignTestResult(p_win, p_rope, p_lose, wins, len(x) - wins - losses, losses,
                          len(x), excluded)


def sign_test_from_counts(wins: int, ropes: int, losses: int, *, prior: float = 1.0,
                          nsamples: int = 50_000, random_state: int = 0) -> SignTestResult:
    """Bayesian sign test probabilities from (win, rope, lose) counts alone.

    The sign test depends on the data only through these counts, so this gives the same
    result as :func:`sign_test` on any scores with these counts (it calls it on synthetic
    differences +1 / 0 / -1 with a rope of 0.5). Useful to recompute the paper's
    probabilities from the counts ``data/paper/CHECK.md`` derives.

    Parameters
    ----------
    wins, ropes, losses : int
        Datasets with A - B > rope, within the rope, and A - B < -rope.
    prior, nsamples, random_state
        As in :func:`sign_test`.

    Returns
    -------
    SignTestResult
        With ``n_excluded = 0``.

    Raises
    ------
    ValueError
        If a count is negative or not an integer, or all are zero.
    """
    counts = (wins, ropes, losses)
    if any(not isinstance(c, (int, np.integer)) or c < 0 for c in counts):
        raise ValueError(f"counts must be non-negative integers, got {counts!r}")
    if sum(counts) == 0:
        raise ValueError("at least one dataset is needed (all counts are zero)")
    a = np.repeat([1.0, 0.0, -1.0], counts)
    return sign_test(a, np.zeros_like(a), rope=0.5, prior=prior, nsamples=nsamples,
                     random_state=random_state)


# ----------------------------------------------------------------------------- correlation


def correlation(x, y) -> Correlation:
    """Pearson and Spearman correlation with p-values (``scipy.stats``), NaN-aware.

    Parameters
    ----------
    x, y : array-like of float
        E.g. the imbalance ratio and the margin (or achievement rate), one per dataset.

    Returns
    -------
    Correlation
        ``(pearson, pearson_p, spearman, spearman_p, n, n_excluded)``; p-values two-sided.

    Raises
    ------
    ValueError
        On mismatched lengths, fewer than 3 complete pairs, or a constant variable (the
        correlation is undefined).
    """
    u, v, excluded = _paired(x, y, names=("x", "y"))
    if len(u) < 3:
        raise ValueError(f"a correlation needs at least 3 complete pairs, got {len(u)}")
    for name, values in (("x", u), ("y", v)):
        if np.all(values == values[0]):
            raise ValueError(f"{name} is constant on the complete pairs; "
                             "its correlation is undefined")
    pearson = _scipy_stats.pearsonr(u, v)
    spearman = _scipy_stats.spearmanr(u, v)
    return Correlation(float(pearson.statistic), float(pearson.pvalue),
                       float(spearman.statistic), float(spearman.pvalue), len(u), excluded)


# ----------------------------------------------------------------------------- achievement


def achievement_rate(test, validation) -> np.ndarray:
    """Achievement rate = test F1 / validation F1, per dataset.

    Parameters
    ----------
    test, validation : array-like of float
        Test and mean validation F1 of the selected configuration, one per dataset.

    Returns
    -------
    numpy.ndarray
        The ratios; NaN where either score is missing or the validation F1 is 0 (the rate
        is undefined there). Not rounded: the paper's Table 6 printed ratios of its 4-dp
        scores, rounded half up to 4 dp.

    Raises
    ------
    ValueError
        On mismatched lengths, non-numeric input or negative scores.
    """
    t, v = _pair(test, validation, ("test", "validation"))
    if (t < 0).any() or (v < 0).any():
        raise ValueError("F1 scores cannot be negative")
    defined = ~(np.isnan(t) | np.isnan(v)) & (v != 0)
    rates = np.full(len(t), np.nan)
    np.divide(t, v, out=rates, where=defined)
    return rates


def achievement_summary(rates, *, ddof: int = 0) -> Spread:
    """Mean and standard deviation of achievement rates (or any values), NaN-aware.

    Parameters
    ----------
    rates : array-like of float
        One value per dataset, NaN if missing.
    ddof : int, default 0
        Delta degrees of freedom of the sd: 0 = population sd, as the authors' ``np.std``.

    Returns
    -------
    Spread
        ``(mean, sd, n, n_excluded)``.

    Raises
    ------
    ValueError
        If fewer than ``ddof + 1`` values are present.
    """
    values = _as_scores(rates, "rates")
    present = values[~np.isnan(values)]
    if len(present) <= ddof:
        raise ValueError(f"need more than {ddof} non-missing values, got {len(present)}")
    return Spread(float(np.mean(present)), float(np.std(present, ddof=ddof)), len(present),
                  len(values) - len(present))


# ----------------------------------------------------------------------------- groups


def imbalance_group(dataset: str | int) -> str:
    """The Table 5 imbalance group (``more``, ``mid``, ``less``) of a dataset.

    Parameters
    ----------
    dataset : str or int
        Registry name (case-insensitive) or Table 5 row.

    Returns
    -------
    str
        The group, from :func:`lsh.datasets.registry` (thirds of the IR-sorted list).

    Raises
    ------
    lsh.datasets.UnknownDatasetError
        For a dataset not in Table 5.
    """
    if isinstance(dataset, np.integer):
        dataset = int(dataset)
    return get_info(dataset).group


def dataset_groups(datasets: Iterable[str | int]) -> pd.Series:
    """The imbalance group of each dataset, as a Series indexed by the datasets given."""
    labels = list(datasets)
    return pd.Series([imbalance_group(d) for d in labels], index=labels, name="group")


# ----------------------------------------------------------------------------- tables


def _columns(scores: pd.DataFrame, pair: Sequence[str], column: str) -> tuple[pd.Series, pd.Series]:
    if not isinstance(scores, pd.DataFrame):
        raise ValueError(f"scores must be a pandas DataFrame, got {type(scores).__name__}")
    if len(pair) != 2:
        raise ValueError(f"a comparison is a pair of methods (A, B), got {pair!r}")
    found = []
    for method in pair:
        name = column.format(method)
        if name not in scores.columns:
            available = ", ".join(map(str, scores.columns))
            raise ValueError(f"scores has no column {name!r} for method {method!r} "
                             f"(column template {column!r}); columns: {available}")
        found.append(scores[name])
    return found[0], found[1]


def _label(pair: Sequence[str]) -> str:
    return f"{pair[0]} vs {pair[1]}"


def _summary_row(a: pd.Series, b: pd.Series, *, rope: float, decimals: int | None,
                 nsamples: int, random_state: int) -> dict:
    wdl = win_draw_loss(a, b, decimals=decimals)
    margin = mean_margin(a, b)
    bst = sign_test(a, b, rope, nsamples=nsamples, random_state=random_state)
    return {
        "wins": wdl.wins, "draws": wdl.draws, "losses": wdl.losses,
        "avg_margin": margin.mean,
        "bst_win": 100 * bst.p_win, "bst_draw": 100 * bst.p_rope, "bst_lose": 100 * bst.p_lose,
        "n": margin.n, "excluded": margin.n_excluded,
    }


def excluded_rows(scores: pd.DataFrame, pairs: Sequence[Sequence[str]] = DEFAULT_PAIRS, *,
                  column: str = "{}_t") -> pd.DataFrame:
    """Which datasets each comparison leaves out because a score is missing.

    Parameters
    ----------
    scores : pandas.DataFrame
        One row per dataset, one column per method (see ``column``).
    pairs : sequence of (str, str), default :data:`DEFAULT_PAIRS`
        Comparisons (A, B).
    column : str, default ``"{}_t"``
        Template giving a method's score column, e.g. ``"{}_t"`` -> ``"LS_t"`` (Table 6's
        test F1).

    Returns
    -------
    pandas.DataFrame
        One row per (comparison, dataset) left out: ``comparison``, ``row`` (the index label)
        and ``missing`` (the empty columns, comma-separated).

    Raises
    ------
    ValueError
        If a method's column is not in ``scores``.
    """
    records = []
    for pair in pairs:
        a, b = _columns(scores, pair, column)
        for label in scores.index[(a.isna() | b.isna()).to_numpy()]:
            missing = [s.name for s in (a, b) if pd.isna(s.loc[label])]
            records.append({"comparison": _label(pair), "row": label,
                            "missing": ", ".join(map(str, missing))})
    return pd.DataFrame.from_records(records, columns=["comparison", "row", "missing"])


def comparison_table(scores: pd.DataFrame, pairs: Sequence[Sequence[str]] = DEFAULT_PAIRS, *,
                     column: str = "{}_t", rope: float = ROPE, decimals: int | None = 4,
                     nsamples: int = 50_000, random_state: int = 0) -> pd.DataFrame:
    """A Table-1-like frame: W/D/L, mean margin and BST of each comparison over all datasets.

    Parameters
    ----------
    scores : pandas.DataFrame
        One row per dataset, one column per method (NaN if missing), e.g.
        :func:`lsh.paper.paper_table6`.
    pairs : sequence of (str, str), default :data:`DEFAULT_PAIRS`
        Comparisons (A, B); the label is ``"A vs B"``, the margin A - B.
    column : str, default ``"{}_t"``
        Template giving a method's score column (test F1 in Table 6's naming).
    rope, decimals, nsamples, random_state
        As in :func:`sign_test` and :func:`win_draw_loss`.

    Returns
    -------
    pandas.DataFrame
        Columns ``comparison, wins, draws, losses, avg_margin, bst_win, bst_draw, bst_lose,
        n, excluded``; BST in percent; ``n`` complete datasets, ``excluded`` incomplete ones
        (listed by :func:`excluded_rows`).

    Raises
    ------
    ValueError
        If a method's column is missing or a comparison has no complete dataset.
    """
    records = []
    for pair in pairs:
        a, b = _columns(scores, pair, column)
        records.append({"comparison": _label(pair),
                        **_summary_row(a, b, rope=rope, decimals=decimals, nsamples=nsamples,
                                       random_state=random_state)})
    return pd.DataFrame.from_records(records)


def comparison_table_by_group(scores: pd.DataFrame,
                              pairs: Sequence[Sequence[str]] = DEFAULT_PAIRS, *,
                              groups=None, column: str = "{}_t", rope: float = ROPE,
                              decimals: int | None = 4, nsamples: int = 50_000,
                              random_state: int = 0) -> pd.DataFrame:
    """A Table-2-like frame: the :func:`comparison_table` statistics per imbalance group.

    Parameters
    ----------
    scores : pandas.DataFrame
        One row per dataset, indexed by registry name or Table 5 row unless ``groups`` is
        given.
    pairs, column, rope, decimals, nsamples, random_state
        As in :func:`comparison_table`.
    groups : array-like of str, optional
        The group of each row of ``scores`` (same length, values in :data:`GROUPS`).
        Default: looked up in the registry from ``scores.index``.

    Returns
    -------
    pandas.DataFrame
        Columns ``comparison, group`` and those of :func:`comparison_table`; rows ordered by
        comparison, then ``more, mid, less``. Groups with no dataset in ``scores`` are left
        out.

    Raises
    ------
    ValueError
        If ``groups`` has the wrong length or an unknown label, a method's column is missing,
        or a comparison has no complete dataset in a group.
    """
    labels = dataset_groups(scores.index) if groups is None else groups
    labels = np.asarray(labels, dtype=object)
    if labels.shape != (len(scores),):
        raise ValueError(f"groups must give one group per row of scores ({len(scores)}), "
                         f"got shape {labels.shape}")
    unknown = sorted(set(labels) - set(GROUPS), key=str)
    if unknown:
        raise ValueError(f"unknown group(s) {unknown}; expected {', '.join(GROUPS)}")
    records = []
    for pair in pairs:
        a, b = _columns(scores, pair, column)
        for group in GROUPS:
            members = labels == group
            if not members.any():
                continue
            try:
                row = _summary_row(a[members], b[members], rope=rope, decimals=decimals,
                                   nsamples=nsamples, random_state=random_state)
            except ValueError as error:
                raise ValueError(f"{_label(pair)}, group {group!r}: {error}") from None
            records.append({"comparison": _label(pair), "group": group, **row})
    return pd.DataFrame.from_records(records)
