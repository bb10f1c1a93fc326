"""The chapters' figures (seaborn), and their data, saved as PNG files for the book.

Each ``*_points`` function returns the tidy frame a figure plots (tested); each ``*_figure``
function draws it and returns the matplotlib figure; :func:`save` writes it without volatile
metadata, so rebuilding gives the same file.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from .. import paper, stats  # noqa: E402
from .results import Scores  # noqa: E402
from .views import KINDS, PANELS  # noqa: E402

__all__ = ["save", "margin_points", "achievement_points", "margin_vs_ir_figure",
           "achievement_vs_ir_figure", "sample_views_figure", "extreme_views_figure", "runtime_figure"]

SOURCE_COLORS = {"paper (Table 6)": "#9a9a9a", "ours": "#1f6fb4"}
KIND_STYLE = {
    KINDS[0]: {"color": "#c7c7c7", "marker": "o", "s": 14, "alpha": 0.6},
    KINDS[1]: {"color": "#1f6fb4", "marker": "o", "s": 22, "alpha": 0.9},
    KINDS[2]: {"color": "#ff9f1c", "marker": "x", "s": 22, "alpha": 0.8},
    KINDS[3]: {"color": "#2ca02c", "marker": "^", "s": 18, "alpha": 0.6},
    KINDS[4]: {"color": "#d62728", "marker": "D", "s": 20, "alpha": 0.8},
}


def _theme() -> None:
    sns.set_theme(context="notebook", style="whitegrid", font_scale=0.95)
    plt.rcParams.update({"svg.hashsalt": "lsh", "figure.dpi": 100, "savefig.dpi": 110})


def save(fig, path: Path | str) -> Path:
    """Write ``fig`` as PNG without the software/date metadata; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return path


# ----------------------------------------------------------------------------- data


def margin_points(scores: Scores, pairs: Sequence[Sequence[str]], *, paper_version: str = "strict") -> pd.DataFrame:
    """Per dataset and comparison: IR and test-F1 margin, from the paper's Table 6 and ours.

    Columns ``comparison, source, dataset, ir, margin``; rows with a missing score are left out.
    """
    theirs = paper.paper_table6(paper_version)
    records = []
    for a, b in pairs:
        label = f"{a} - {b}"
        for source, table in (("paper (Table 6)", theirs), ("ours", scores.table)):
            if f"{a}_t" not in table or f"{b}_t" not in table:
                continue
            margin = stats.margins(table[f"{a}_t"], table[f"{b}_t"])
            for dataset, ir, value in zip(table.dataset, table.ir, margin):
                if not np.isnan(value):
                    records.append({"comparison": label, "source": source, "dataset": dataset,
                                    "ir": float(ir), "margin": float(value)})
    return pd.DataFrame.from_records(records, columns=["comparison", "source", "dataset", "ir", "margin"])


def achievement_points(scores: Scores, methods: Sequence[str], *, paper_version: str = "strict") -> pd.DataFrame:
    """Per dataset and method: IR and achievement rate, from the paper's Table 6 and ours."""
    theirs = paper.paper_table6(paper_version)
    records = []
    for method in methods:
        for source, table in (("paper (Table 6)", theirs), ("ours", scores.table)):
            if f"{method}_a" not in table:
                continue
            for dataset, ir, value in zip(table.dataset, table.ir, table[f"{method}_a"]):
                if not np.isnan(value):
                    records.append({"method": method, "source": source, "dataset": dataset,
                                    "ir": float(ir), "achievement": float(value)})
    return pd.DataFrame.from_records(records, columns=["method", "source", "dataset", "ir", "achievement"])


# ----------------------------------------------------------------------------- figures


def _label_with_r(source: str, part: pd.DataFrame, column: str) -> str:
    if len(part) >= 3 and part[column].nunique() > 1 and part.ir.nunique() > 1:
        result = stats.correlation(part.ir, part[column])
        return f"{source}: n = {len(part)}, r = {result.pearson:+.2f}, ρ = {result.spearman:+.2f}"
    return f"{source}: n = {len(part)}"


def _versus_ir(points: pd.DataFrame, facet: str, value: str, ylabel: str, panels: Sequence[str],
               reference: float | None):
    _theme()
    fig, axes = plt.subplots(1, len(panels), figsize=(4.6 * len(panels), 4.2), sharey=True, squeeze=False)
    for ax, panel in zip(axes[0], panels):
        subset = points[points[facet] == panel]
        for source, color in SOURCE_COLORS.items():
            part = subset[subset.source == source]
            if part.empty:
                ax.plot([], [], "o", color=color, label=f"{source}: no data")
                continue
            sns.regplot(data=part, x="ir", y=value, ax=ax, ci=None, truncate=True,
                        scatter_kws={"s": 24, "alpha": 0.75, "color": color},
                        line_kws={"color": color, "lw": 1.5},
                        label=_label_with_r(source, part, value),
                        fit_reg=len(part) >= 3 and part.ir.nunique() > 1)
        if reference is not None:
            ax.axhline(reference, color="black", lw=0.8, ls=":")
        ax.set_title(panel)
        ax.set_xlabel("imbalance ratio IR (majority : minority)")
        ax.set_ylabel(ylabel if ax is axes[0][0] else "")
        ax.legend(loc="lower left", fontsize=8, frameon=True)
    fig.tight_layout()
    return fig


def margin_vs_ir_figure(points: pd.DataFrame, comparisons: Sequence[str]):
    """Figure 2: test-F1 margin against IR, one panel per comparison, paper and ours."""
    return _versus_ir(points, "comparison", "margin", "test-F1 margin (first minus second)",
                      comparisons, 0.0)


def achievement_vs_ir_figure(points: pd.DataFrame, methods: Sequence[str]):
    """Figure 3: achievement rate (test F1 / validation F1) against IR, one panel per method."""
    return _versus_ir(points, "method", "achievement", "achievement rate (test F1 / validation F1)",
                      methods, 1.0)


def _scatter(ax, part: pd.DataFrame) -> None:
    for kind in KINDS:
        rows = part[part.kind == kind]
        if len(rows):
            ax.scatter(rows.PC1, rows.PC2, label=f"{kind} ({len(rows)})", edgecolors="none"
                       if KIND_STYLE[kind]["marker"] != "x" else None, **KIND_STYLE[kind])


def _absent(ax, reason: str) -> None:
    ax.text(0.5, 0.5, "not drawn:\n" + textwrap.fill(reason, 30), ha="center", va="center",
            transform=ax.transAxes, fontsize=9, color="#a00000")


def sample_views_figure(points: pd.DataFrame, missing: dict):
    """Figure 1: original vs SMOTE vs LLM vs LSH rows of one dataset in 2-D (PCA)."""
    _theme()
    fig, axes = plt.subplots(1, 4, figsize=(18, 4.4), sharex=True, sharey=True)
    for ax, panel in zip(axes, PANELS.values()):
        part = points[points.panel == panel]
        if panel in missing:
            _absent(ax, missing[panel])
        else:
            _scatter(ax, part)
            ax.legend(loc="upper right", fontsize=7, markerscale=1.2)
        ax.set_title(panel)
        ax.set_xlabel("PC 1 (standardized features)")
    axes[0].set_ylabel("PC 2")
    fig.suptitle(f"{points.dataset.iloc[0]}: 70 % training part oversampled to ratio 1.0", y=1.02)
    fig.tight_layout()
    return fig


def extreme_views_figure(points: pd.DataFrame, missing: dict):
    """Figure 6: the four datasets in the few-shot and zero-shot scenarios (PCA per dataset)."""
    _theme()
    datasets = list(dict.fromkeys(points.dataset))
    scenarios = list(dict.fromkeys(points.scenario))
    fig, axes = plt.subplots(len(scenarios), len(datasets), figsize=(4.4 * len(datasets), 3.9 * len(scenarios)),
                             squeeze=False, sharex="col", sharey="col")
    for i, scenario in enumerate(scenarios):
        for j, name in enumerate(datasets):
            ax = axes[i][j]
            _scatter(ax, points[(points.scenario == scenario) & (points.dataset == name)])
            note = missing.get((scenario, name))
            title = f"{name}\n{scenario}" + ("  (no LLM rows yet)" if note else "")
            ax.set_title(title, fontsize=10)
            ax.legend(loc="upper right", fontsize=7)
            ax.set_xlabel("PC 1" if i == len(scenarios) - 1 else "")
            ax.set_ylabel("PC 2" if j == 0 else "")
    fig.tight_layout()
    return fig


def runtime_figure(runs: pd.DataFrame):
    """Figure 4: oversampling runtime per ratio, LLM-only vs LSH, one panel per timed dataset."""
    _theme()
    datasets = sorted(runs.dataset.unique())
    fig, axes = plt.subplots(1, len(datasets), figsize=(5.2 * len(datasets), 4.2), squeeze=False)
    for ax, name in zip(axes[0], datasets):
        part = runs[runs.dataset == name].sort_values("ratio")
        sns.lineplot(data=part, x="ratio", y="seconds", hue="method", style="method", markers=True,
                     dashes=False, ax=ax, hue_order=["LM", "LS"], palette={"LM": "#d62728", "LS": "#1f6fb4"})
        features = part.n_features.iloc[0] if "n_features" in part and part.n_features.notna().all() else None
        ax.set_title(f"{name} ({int(features)} features)" if features is not None else name)
        ax.set_xlabel("target ratio (minority : majority)")
        ax.set_ylabel("time to reach the ratio (s)")
        ax.set_ylim(bottom=0)
    fig.tight_layout()
    return fig
