"""The preprocessing recipe, step by step, on small tables whose answers are known by hand."""

import numpy as np
import pandas as pd
import pytest

from lsh.datasets.recipe import (
    apply_recipe,
    binarize,
    drop_incomplete_rows,
    drop_sparse_columns,
    minority_is_one,
    near_zero_variance,
)


def nominal(values, levels):
    return pd.Series(pd.Categorical(values, categories=levels), name="class")


def test_majority_vs_rest_ties_go_to_first_declared_level():
    target = nominal(["b", "a", "b", "a", "c"], levels=["b", "a", "c"])
    assert binarize(target, "majority_vs_rest").tolist() == ["P", "N", "P", "N", "N"]
    reordered = nominal(["b", "a", "b", "a", "c"], levels=["a", "b", "c"])
    assert binarize(reordered, "majority_vs_rest").tolist() == ["N", "P", "N", "P", "N"]


def test_majority_vs_rest_keeps_two_classes_and_missing_labels():
    target = nominal(["x", None, "y", "x"], levels=["x", "y"])
    assert binarize(target, "majority_vs_rest").tolist() == ["x", None, "y", "x"]


def test_openml_nominal_reads_missing_class_as_level_zero():
    # level 0 is the majority -> a missing class becomes P (analcatdata_draft)
    draft = nominal(["1", "1", "2", None, "3"], levels=["1", "2", "3"])
    assert binarize(draft, "openml_nominal").tolist() == ["P", "P", "N", "P", "N"]
    # level 0 is not the majority -> a missing class becomes N (analcatdata_marketing)
    marketing = nominal(["3", "3", "1", None, "2"], levels=["1", "2", "3"])
    assert binarize(marketing, "openml_nominal").tolist() == ["P", "P", "N", "N", "N"]


def test_mean_rules():
    values = pd.Series([1.0, 2.0, 3.0, 10.0, np.nan])  # mean 4
    assert binarize(values, "above_mean").tolist() == ["N", "N", "N", "P", None]
    assert binarize(values, "at_most_mean").tolist() == ["P", "P", "P", "N", "N"]


def test_unknown_rule_is_named():
    with pytest.raises(ValueError, match="unknown binarization rule 'median'"):
        binarize(pd.Series([1, 2]), "median")


def test_sparse_columns_threshold_is_strictly_greater_than_15_percent():
    X = pd.DataFrame({
        "exactly_15": [np.nan] * 3 + [1.0] * 17,
        "above": [np.nan] * 4 + [1.0] * 16,
        "full": range(20),
    })
    kept, dropped = drop_sparse_columns(X)
    assert list(kept.columns) == ["exactly_15", "full"]
    assert dropped == {"above": pytest.approx(0.2)}


def test_incomplete_rows_include_the_label():
    X = pd.DataFrame({"a": [1.0, np.nan, 3.0, 4.0]})
    y = pd.Series(["P", "N", None, "N"])
    X2, y2, dropped = drop_incomplete_rows(X, y)
    assert dropped == 2 and X2.index.tolist() == [0, 3] and y2.tolist() == ["P", "N"]


def test_near_zero_variance_matches_caret_defaults():
    n = 200
    X = pd.DataFrame({
        "constant": [7] * n,
        "rare_flag": [0] * 195 + [1] * 5,        # freq ratio 39 > 19, 1 % unique -> flagged
        "ratio_19": [0] * 190 + [1] * 10,        # freq ratio 19, not > 19 -> kept
        "many_values": [0] * 180 + list(range(1, 21)),  # ratio 180, 10.5 % unique -> kept
        "informative": list(range(n)),
    })
    assert near_zero_variance(X) == ["constant", "rare_flag"]


def test_near_zero_variance_ignores_unused_category_levels():
    column = pd.Categorical(["a"] * 10 + ["b"] * 10, categories=["a", "b", "never"])
    assert near_zero_variance(pd.DataFrame({"c": column})) == []


def test_minority_becomes_one():
    y, minority, majority = minority_is_one(pd.Series(["N", "P", "N", "N"]))
    assert y.tolist() == [0, 1, 0, 0] and (minority, majority) == ("P", "N")
    with pytest.raises(ValueError, match="same size"):
        minority_is_one(pd.Series(["a", "b"]))


def test_apply_recipe_reports_every_step():
    frame = pd.DataFrame({
        "sparse": [np.nan] * 5 + [1.0] * 15,
        "constant": [1.0] * 20,
        "x": [np.nan] + list(np.arange(19.0)),
        "label": pd.Categorical(["a"] * 14 + ["b"] * 4 + ["c"] * 2),
    })
    X, y, report = apply_recipe(frame, "label", "majority_vs_rest")
    assert list(X.columns) == ["x"]
    assert report.dropped_sparse == {"sparse": 0.25}
    assert report.dropped_rows == 1
    assert report.dropped_near_zero_variance == ["constant"]
    assert (report.shape, report.minority, report.minority_label) == ((19, 1), 6, "N")
    assert y.sum() == 6
