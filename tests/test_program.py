"""The state-machine program of the paper's LLM pipeline: schemas and execution."""

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from lsh.samplers.program import execute_program, program_model, repair_specs, specs_model

COLUMNS = ["age", "smoker"]
SPECS = {
    "age": {"name": "age", "units": "integer", "distribution": "none", "scale": 1.0, "vmin": 0, "vmax": 99},
    "smoker": {"name": "smoker", "units": "true or false", "distribution": "none", "scale": 0.1,
               "vmin": 0, "vmax": 1},
}


def test_program_schema_bounds_operations_and_names_variables():
    schema = program_model(COLUMNS, max_operations=12).model_json_schema()
    operations = schema["properties"]["operations"]
    assert (operations["minItems"], operations["maxItems"]) == (1, 12)
    assert schema["$defs"]["Variable"]["enum"] == COLUMNS
    with pytest.raises(ValidationError):
        program_model(COLUMNS, 12).model_validate({"operations": [{"op": "set_to", "var": "height", "value": 1}]})


def test_specs_schema_requires_one_spec_per_column():
    model = specs_model(COLUMNS)
    schema = model.model_json_schema()
    assert schema["properties"]["variables"]["minItems"] == 2 == schema["properties"]["variables"]["maxItems"]
    with pytest.raises(ValidationError):
        model.model_validate({"variables": [SPECS["age"]]})


def test_program_execution_follows_the_operations():
    operations = [
        {"op": "init"}, {"op": "set_to", "var": "age", "value": 50}, {"op": "output"},
        {"op": "change_by", "var": "age", "value": 5}, {"op": "set_to", "var": "smoker", "value": 1},
        {"op": "output"}, {"op": "init"}, {"op": "output"},
        {"op": "set_to", "var": "height", "value": 3}, {"op": "change_by", "var": "age", "value": None},
    ]
    rows = execute_program(operations, SPECS, {"age": 40.0, "smoker": 0.0}, np.random.default_rng(0))
    assert rows.to_dict("records") == [
        {"age": 50.0, "smoker": 0.0}, {"age": 55.0, "smoker": 1.0}, {"age": 40.0, "smoker": 0.0},
    ]
    assert rows.attrs["skipped_operations"] == 2


def test_jitter_is_seeded_and_respects_truncation():
    specs = {"x": {"name": "x", "units": "any number", "distribution": "truncated normal",
                   "scale": 5.0, "vmin": 0.0, "vmax": 1.0}}
    operations = [{"op": "output"}] * 50
    a = execute_program(operations, specs, {"x": 0.5}, np.random.default_rng(1))
    b = execute_program(operations, specs, {"x": 0.5}, np.random.default_rng(1))
    assert a.equals(b) and a.x.between(0, 1).all() and a.x.nunique() > 40


def test_repair_specs_records_every_change():
    examples = pd.DataFrame({"age": [30.0, 40.0, 50.0], "smoker": [0.0, 1.0, 1.0]})
    bad = [{"name": "age", "units": "integer", "distribution": "normal", "scale": -3.0,
            "vmin": 80.0, "vmax": 20.0}]
    specs, repairs = repair_specs(bad, examples)
    assert (specs["age"]["vmin"], specs["age"]["vmax"]) == (30.0, 50.0)
    assert specs["age"]["scale"] == pytest.approx(np.std([30, 40, 50]))
    assert specs["smoker"]["distribution"] == "normal"
    assert len(repairs) == 3 and any(r.startswith("smoker: no spec") for r in repairs)
