"""The ``lsh`` command as a user runs it."""

import subprocess
import sys

from lsh.cli import main


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "lsh.cli", *args], capture_output=True, text=True, timeout=120
    )


def test_datasets_table_fits_100_columns(capsys):
    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 100
    rows = lines[2 : lines.index("")]
    assert len(rows) == 60
    assert "missing" in rows[53] and "kdd_el_nino" in rows[53]
    assert "59 available" in out and "1 missing" in out


def test_show_prints_provenance_and_summary(capsys):
    assert main(["datasets", "show", "water-treatment"]) == 0
    out = capsys.readouterr().out
    assert "DrGMC1/Python" in out and "381 rows x 38 features" in out
    assert "38/38 match" in out and "7/7 meta-features match" in out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_show_missing_dataset_explains_why(capsys):
    assert main(["datasets", "show", "54"]) == 0
    out = capsys.readouterr().out
    assert "status            missing" in out and "lsh datasets fetch" in out


def test_unknown_dataset_is_a_clear_error_without_traceback():
    result = run("datasets", "show", "no-such-dataset")
    assert result.returncode == 2
    assert "No dataset named 'no-such-dataset'" in result.stderr
    assert "Traceback" not in result.stderr


def test_fetch_without_verified_id_refuses_before_any_download():
    result = run("datasets", "fetch", "cars")  # OpenML id recorded as '967?'
    assert result.returncode == 2
    assert "no verified OpenML id" in result.stderr and "Traceback" not in result.stderr
