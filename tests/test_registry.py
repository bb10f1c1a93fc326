"""The registry: all 60 rows of Table 5, their provenance, and honest IR notes."""

import pytest

from lsh.datasets import UnknownDatasetError, get_info, registry
from lsh.datasets.loader import sha256_of
from lsh.datasets.report import ir_note, registry_table


def test_sixty_rows_in_three_groups_of_twenty():
    entries = registry()
    assert [e.row for e in entries] == list(range(1, 61))
    assert [e.group for e in entries] == ["more"] * 20 + ["mid"] * 20 + ["less"] * 20
    assert len({e.name for e in entries}) == 60


@pytest.mark.parametrize("info", [e for e in registry() if e.available], ids=lambda e: e.name)
def test_raw_file_matches_recorded_hash_and_size(info):
    assert info.raw_path.is_file()
    assert sha256_of(info.raw_path) == info.sha256
    assert info.raw_path.stat().st_size == info.bytes
    assert info.source.startswith("github:") and info.licence


def test_lookup_by_name_and_row():
    assert get_info("Vowel").row == 5
    assert get_info(5).name == "vowel"
    assert get_info("5").name == "vowel"


@pytest.mark.parametrize("wanted, message", [
    ("vowels", "No dataset named 'vowels'.*Did you mean: vowel"),
    (61, "rows 1-60, not 61"),
])
def test_unknown_dataset_errors_say_what_exists(wanted, message):
    with pytest.raises(UnknownDatasetError, match=message):
        get_info(wanted)


def test_ir_typos_and_truncations_are_reported_not_fixed():
    notes = {e.row: ir_note(e) for e in registry() if ir_note(e)}
    assert set(notes) == {45, 48, 49, 50, 51, 52}
    assert all("truncates" in notes[row] for row in (49, 51, 52))
    assert all("typo" in notes[row] for row in (45, 48, 50))
    assert get_info(45).ir_table5 == "2.00"  # the paper's value is kept as printed


def test_registry_table_lists_every_row_with_status_and_provenance():
    table = registry_table()
    assert len(table) == 60
    assert table.loc[54, "status"] == "missing" and "638 of 782" in table.loc[54, "note"]
    assert (table.drop(index=54)["status"] == "available").all()
    assert table.loc[1, "OpenML id"] == "1071"
    assert table.loc[28, "OpenML id"] == "957?" and table.loc[21, "OpenML id"] == "unverified"
    assert {"group", "rows", "features", "IR", "source"} <= set(table.columns)
