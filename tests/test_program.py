"""The state-machine program of the paper's LLM pipeline: schemas and execution."""

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from lsh.samplers.program import execute_program, flatten, program_model, repair_specs, specs_model

COLUMNS = ["age", "smoker"]
SPECS = {
    "age": {"name": "age", "units": "integer", "distribution": "none", "scale": 1.0, "vmin": 0, "vmax": 99},
    "smoker": {"name": "smoker", "units": "true or false", "distribution": "none", "scale": 0.1,
               "vmin": 0, "vmax": 1},
}


def test_program_schema_fixes_outputs_bounds_changes_and_names_variables():
    model = program_model(COLUMNS, n_outputs=3)
    schema = model.model_json_schema()
    outputs = schema["properties"]["outputs"]
    assert (outputs["minItems"], outputs["maxItems"]) == (3, 3)
    assert (outputs["items"]["minItems"], outputs["items"]["maxItems"]) == (1, 2)
    assert schema["$defs"]["Variable"]["enum"] == ["v1", "v2"]
    model.model_validate({"outputs": [[["set_to", "v1", 1]]] * 3})
    with pytest.raises(ValidationError):
        model.model_validate({"outputs": [[["set_to", "v3", 1]]] * 3})
    with pytest.raises(ValidationError):
        model.model_validate({"outputs": [[["set_to", "v1", 1]]] * 2})


def test_flatten_adds_init_and_one_output_per_block_and_maps_ids_to_names():
    program = {"outputs": [[["set_to", "v1", 3]], [["change_by", "v1", 1], ["set_to", "v2", 1]]]}
    assert flatten(program, COLUMNS) == [
        {"op": "init"}, {"op": "set_to", "var": "age", "value": 3}, {"op": "output"}, {"op": "init"},
        {"op": "change_by", "var": "age", "value": 1}, {"op": "set_to", "var": "smoker", "value": 1},
        {"op": "output"},
    ]


def test_program_execution_follows_the_operations():
    operations = [
        {"op": "set_to", "var": "age", "value": 50}, {"op": "output"},
        {"op": "change_by", "var": "age", "value": 5}, {"op": "set_to", "var": "smoker", "value": 1},
        {"op": "output"}, {"op": "init"}, {"op": "output"}, {"op": "init"}, {"op": "output"},
        {"op": "set_to", "var": "height", "value": 3}, {"op": "change_by", "var": "age", "value": None},
    ]
    starts = [{"age": 40.0, "smoker": 0.0}, {"age": 60.0, "smoker": 1.0}]
    rows = execute_program(operations, SPECS, starts, np.random.default_rng(0))
    assert rows.to_dict("records") == [
        {"age": 50.0, "smoker": 0.0}, {"age": 55.0, "smoker": 1.0}, {"age": 40.0, "smoker": 0.0},
        {"age": 60.0, "smoker": 1.0},
    ]
    assert rows.attrs["skipped_operations"] == 2


def test_jitter_is_seeded_and_respects_truncation():
    specs = {"x": {"name": "x", "units": "any number", "distribution": "truncated normal",
                   "scale": 5.0, "vmin": 0.0, "vmax": 1.0}}
    operations = [{"op": "output"}] * 50
    a = execute_program(operations, specs, [{"x": 0.5}], np.random.default_rng(1))
    b = execute_program(operations, specs, [{"x": 0.5}], np.random.default_rng(1))
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
    exact = [{**SPECS["age"], "vmin": 30.0, "vmax": 50.0, "scale": 5.0}, {**SPECS["smoker"], "scale": 0.5}]
    assert repair_specs(exact, examples)[1] == []


def test_specs_schema_requires_one_spec_per_column():
    model = specs_model(COLUMNS)
    schema = model.model_json_schema()
    assert schema["properties"]["variables"]["minItems"] == 2 == schema["properties"]["variables"]["maxItems"]
    assert schema["$defs"]["Variable"]["enum"] == COLUMNS
    with pytest.raises(ValidationError):
        model.model_validate({"variables": [SPECS["age"]]})


def test_units_follow_the_observed_values():
    import pandas as pd

    from lsh.samplers.program import repair_specs

    data = pd.DataFrame({"ratio": [0.07, 0.12, 0.3], "count": [1.0, 4.0, 9.0], "flag": [0.0, 1.0, 1.0]})
    specs = [{"name": c, "units": "integer", "distribution": "normal", "scale": 0.1,
              "vmin": float(data[c].min()), "vmax": float(data[c].max())} for c in data]
    repaired, repairs = repair_specs(specs, data)
    assert [repaired[c]["units"] for c in data] == ["any number", "integer", "true or false"]
    assert any("ratio: units 'integer' -> 'any number'" in r for r in repairs)
