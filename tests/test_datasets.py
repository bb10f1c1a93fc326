"""Every shipped raw file becomes exactly the dataset of the paper's Table 5."""

import shutil

import numpy as np
import pandas as pd
import pytest

from lsh import paths
from lsh.datasets import (
    DatasetMissingError,
    RawFileError,
    encode_numeric,
    get_info,
    load_dataset,
    load_with_report,
    registry,
)
from lsh.datasets.fingerprint import authors_feature_names, compare, normalize_name

AVAILABLE = [info.row for info in registry() if info.available]


@pytest.mark.parametrize("row", AVAILABLE)
def test_raw_file_rebuilds_table5_row_and_authors_fingerprints(row):
    info = get_info(row)
    X, y = load_dataset(row)
    assert X.shape == (info.expected_size, info.expected_features)
    assert int(y.sum()) == info.expected_minority
    assert int((y == 0).sum()) == info.expected_majority
    assert set(y.unique()) == {0, 1} and y.sum() < (y == 0).sum()
    assert not X.isna().any().any()
    assert [normalize_name(c) for c in X.columns] == [
        normalize_name(c) for c in authors_feature_names(row)
    ]
    fingerprint = compare(row, X)
    assert fingerprint.meta_matched == fingerprint.meta_compared


def test_all_59_available_and_row_54_missing():
    assert len(AVAILABLE) == 59
    assert [info.row for info in registry() if not info.available] == [54]


def test_missing_dataset_error_names_the_reason():
    with pytest.raises(DatasetMissingError, match=r"kdd_el_nino-small.*row 54.*638 of 782"):
        load_dataset("kdd_el_nino-small")


def test_nominal_columns_stay_categories_with_declared_levels():
    X, _ = load_dataset("analcatdata_draft")
    assert isinstance(X["Month"].dtype, pd.CategoricalDtype)
    assert list(X["Month"].cat.categories) == [str(m) for m in range(1, 13)]
    assert X["Actual.date"].dtype == np.float64


def test_encode_numeric_uses_lexicographic_codes_of_present_values():
    X = pd.DataFrame({
        "month": pd.Categorical(["1", "2", "10", "12"], categories=[str(m) for m in range(1, 13)]),
        "x": [0.5, 1.5, 2.5, 3.5],
    })
    encoded = encode_numeric(X)
    # present levels in lexicographic order: "1" < "10" < "12" < "2"
    assert encoded["month"].tolist() == [0.0, 3.0, 1.0, 2.0]
    assert encoded["x"].tolist() == X["x"].tolist()
    assert (encoded.dtypes == np.float64).all()


def test_report_records_what_the_recipe_dropped():
    _, _, soybean = load_with_report("soybean")
    assert soybean.raw_shape == (683, 36) and soybean.shape == (562, 21)
    assert soybean.dropped_rows == 683 - 562
    _, _, spambase = load_with_report("spambase")
    assert spambase.shape == (4601, 7) and len(spambase.dropped_near_zero_variance) == 50


def test_changed_raw_file_is_detected(tmp_path, monkeypatch):
    copy = tmp_path / "data"
    shutil.copytree(paths.data_dir(), copy, ignore=shutil.ignore_patterns("results", "seeds"))
    raw = copy / "datasets" / "raw" / "33_haberman.arff"
    raw.write_bytes(raw.read_bytes().replace(b"30,'64',1,", b"30,'64',2,", 1))
    monkeypatch.setenv("LSH_DATA_DIR", str(copy))
    with pytest.raises(RawFileError, match="33_haberman.arff.*sha256"):
        load_dataset("haberman")


def test_rda_conversion_equals_the_rda_file():
    pyreadr = pytest.importorskip("pyreadr")
    info = get_info("autoUniv-au1-1000")
    rda = next(iter(pyreadr.read_r(str(info.raw_path)).values()))
    csv = pd.read_csv(info.read_path)
    assert list(rda.columns) == list(csv.columns)
    for column in csv.columns:
        assert rda[column].astype(str).tolist() == csv[column].astype(str).tolist()
