"""The paper's structured LLM outputs (appendix A.2) and the state machine that executes them.

Step 2 of the pipeline asks for one ``VariableSpec`` per column; step 3 asks for a ``Program``
of operations ``init``, ``set_to(var, value)``, ``change_by(var, delta)`` and ``output``.
Executing a program yields one row per ``output``; each output jitters every variable by its
distribution. The JSON schemas come from pydantic models built per dataset, so that variable
names are an enum and every array is bounded (the small local model needs both).
"""

from __future__ import annotations

import math
from enum import Enum
from typing import Annotated, Literal, Union

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, create_model

__all__ = [
    "DISTRIBUTIONS",
    "UNITS",
    "execute_program",
    "flatten",
    "variable_ids",
    "program_model",
    "repair_specs",
    "specs_model",
]

UNITS = ("true or false", "integer", "any number")
DISTRIBUTIONS = ("normal", "uniform", "exponential", "truncated normal", "none")


def _names_enum(columns: list[str]) -> type[Enum]:
    return Enum("Variable", {f"v{i}": name for i, name in enumerate(columns)}, type=str)


def specs_model(columns: list[str]) -> type[BaseModel]:
    """Pydantic model of step 2's answer: exactly one spec per column, names from ``columns``."""
    variable = _names_enum(columns)
    spec = create_model(
        "VariableSpec",
        __config__=ConfigDict(extra="forbid"),
        name=(variable, ...),
        units=(Literal[UNITS], ...),
        distribution=(Literal[DISTRIBUTIONS], ...),
        scale=(float, ...),
        vmin=(float, ...),
        vmax=(float, ...),
    )
    return create_model(
        "VariableSpecs",
        __config__=ConfigDict(extra="forbid"),
        variables=(list[spec], Field(min_length=len(columns), max_length=len(columns))),
    )


def variable_ids(columns: list[str]) -> dict[str, str]:
    """Short ids (``v1``, ``v2``, ...) for the program step: column names cost many tokens."""
    return {f"v{i + 1}": column for i, column in enumerate(columns)}


def _change(variable_id: str, op: str, spec: dict | None, integral: bool):
    """The type of one ``[op, variable id, value]`` change; bounds go into the schema only.

    Numbers get a grid of about four significant digits over the column's range
    (``multipleOf``): the small model otherwise writes long digit strings until it hits the
    token limit.

    The grammar of the embedded server enforces the bounds; other endpoints may not, so the
    executor checks every change against the range (and counts the ones it skips) instead of
    rejecting a whole answer here for one stray value.
    """
    bounds = {}
    if spec is not None:
        width = spec["vmax"] - spec["vmin"]
        low, high = (spec["vmin"], spec["vmax"]) if op == "set_to" else (-width, width)
        if integral:
            bounds = {"minimum": math.floor(low), "maximum": math.ceil(high)}
        else:
            decimals = 3 - math.floor(math.log10(width or abs(spec["vmax"]) or 1.0))
            step = 10.0 ** -decimals
            bounds = {"minimum": round(math.floor(low / step) * step, max(decimals, 0)),
                      "maximum": round(math.ceil(high / step) * step, max(decimals, 0)),
                      "multipleOf": round(step, max(decimals, 0))}
    value = Annotated[int if integral else float, Field(json_schema_extra=bounds or None)]
    return tuple[Literal[op], Literal[variable_id], value]


def program_model(columns: list[str], n_outputs: int, max_changes: int = 2,
                  specs: dict[str, dict] | None = None,
                  integral: dict[str, bool] | None = None) -> type[BaseModel]:
    """Pydantic model of step 3's answer: exactly ``n_outputs`` lists of state changes.

    Each list holds ``[op, variable id, value]`` changes (``op`` is ``set_to`` or ``change_by``),
    preceded by an implied ``init`` and followed by an implied ``output``. This is the paper's
    instruction set in a compact form: it guarantees the requested number of outputs and
    bounds every array, which a small model needs (with a flat list of operations it wrote
    programs without outputs), and it spends fewer tokens per row.

    With ``specs``, each variable gets its own alternatives: values within the spec's range
    (``set_to``) or its width (``change_by``), integers for the columns ``integral`` marks, and
    no ``change_by`` for two-valued columns (the paper's rule for "true or false" variables).
    """
    integral = integral or {}
    changes = []
    for variable_id, column in variable_ids(columns).items():
        spec = None if specs is None else specs[column]
        whole = bool(integral.get(column, False))
        binary = spec is not None and whole and spec["vmax"] - spec["vmin"] <= 1
        for op in ("set_to",) if binary else ("set_to", "change_by"):
            changes.append(_change(variable_id, op, spec, whole))
    if specs is None:
        variable = Enum("Variable", {v: v for v in variable_ids(columns)}, type=str)
        changes = [tuple[Literal["set_to", "change_by"], variable, float]]
    change = Union[tuple(changes)] if len(changes) > 1 else changes[0]
    block = Annotated[list[change], Field(min_length=1, max_length=max(1, min(max_changes, len(columns))))]
    return create_model(
        "Program",
        __config__=ConfigDict(extra="forbid"),
        outputs=(list[block], Field(min_length=n_outputs, max_length=n_outputs)),
    )


def flatten(program: dict, columns: list[str]) -> list[dict]:
    """The operations of a program: for each output, ``init``, its changes, ``output``."""
    names = variable_ids(columns)
    operations = []
    for changes in program["outputs"]:
        operations.append({"op": "init"})
        operations += [{"op": op, "var": names.get(var), "value": value} for op, var, value in changes]
        operations.append({"op": "output"})
    return operations


def repair_specs(specs: list[dict], examples: pd.DataFrame) -> tuple[dict[str, dict], list[str]]:
    """Make every spec usable against the observed columns; return specs by name and repairs.

    The small model often writes ``vmin > vmax``, non-finite or negative scales, ranges
    unrelated to the data, or "integer" units for fractional columns (the jitter would then round
    every value to a whole number). Units follow the observed values (a whole-number column may
    stay "any number"). The range becomes the observed one (the prompts and the jitter need
    true bounds), absurd scales become the observed standard deviation, and every change is
    recorded (never silent).
    """
    repaired: dict[str, dict] = {}
    repairs: list[str] = []
    by_name = {spec["name"]: dict(spec) for spec in specs}
    for column in examples.columns:
        observed = examples[column].to_numpy(dtype=float)
        low, high = float(np.min(observed)), float(np.max(observed))
        spread = float(np.std(observed)) or max(abs(high - low) / 4, 1e-6)
        spec = by_name.get(column)
        if spec is None:
            repairs.append(f"{column}: no spec, used normal with the observed sd")
            spec = {"name": column, "units": _observed_units(observed), "distribution": "normal",
                    "scale": spread, "vmin": low, "vmax": high}
        if (spec["vmin"], spec["vmax"]) != (low, high):
            repairs.append(f"{column}: range [{spec['vmin']}, {spec['vmax']}] -> observed [{low}, {high}]")
            spec["vmin"], spec["vmax"] = low, high
        units = _observed_units(observed)
        if spec["units"] != units and not (units == "integer" and spec["units"] == "any number"):
            repairs.append(f"{column}: units {spec['units']!r} -> {units!r} (observed values)")
            spec["units"] = units
        if not math.isfinite(spec["scale"]) or spec["scale"] <= 0 or spec["scale"] > 4 * (high - low + spread):
            repairs.append(f"{column}: scale {spec['scale']} -> observed sd {spread:.6g}")
            spec["scale"] = spread
        repaired[column] = spec
    return repaired, repairs


def _observed_units(observed: np.ndarray) -> str:
    """The units the data show: two values 0/1, whole numbers, or any number."""
    if not np.all(np.mod(observed, 1) == 0):
        return "any number"
    return "true or false" if set(np.unique(observed)) <= {0.0, 1.0} else "integer"


def _draw(value: float, spec: dict, rng: np.random.Generator) -> float:
    distribution = spec["distribution"]
    if distribution in ("normal", "truncated normal"):
        return rng.normal(value, spec["scale"])
    if distribution == "uniform":
        return rng.uniform(spec["vmin"], spec["vmax"])
    if distribution == "exponential":
        return value + rng.exponential(spec["scale"])
    return value


def _jitter(value: float, spec: dict, rng: np.random.Generator) -> float:
    """Jitter one value by its spec's distribution.

    A value inside ``[vmin, vmax]`` stays inside: draws falling outside are redrawn (up to 100
    times, then clipped), so the noise we add never makes a row invalid. A value the LLM put
    outside the range is jittered as it is, and the row is then rejected by validation.
    """
    inside = spec["vmin"] <= value <= spec["vmax"]
    draw = _draw(value, spec, rng)
    if inside:
        for _ in range(100):
            if spec["vmin"] <= draw <= spec["vmax"]:
                break
            draw = _draw(value, spec, rng)
        draw = float(np.clip(draw, spec["vmin"], spec["vmax"]))
    if spec["units"] == "integer":
        draw = float(np.round(draw))
    elif spec["units"] == "true or false":
        draw = float(draw >= 0.5)
    return float(draw)


def execute_program(
    operations: list[dict], specs: dict[str, dict], starts: list[dict[str, float]],
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Run a program; each ``output`` emits the state, jittered by the specs.

    The state starts as ``starts[0]``; the k-th ``init`` resets it to ``starts[k % len(starts)]``
    (the example rows, so that each output is a change of a real row; zero-shot: the column
    medians). Operations naming an unknown variable or lacking a finite value are skipped and
    counted in the returned frame's ``attrs["skipped_operations"]``; an operation that would take
    a variable outside its spec's range is skipped and counted in
    ``attrs["out_of_range_operations"]`` (the output keeps the other changes and the jitter).
    """
    state = dict(starts[0])
    rows, skipped, out_of_range, inits = [], 0, 0, 0
    for operation in operations:
        kind, name, value = operation.get("op"), operation.get("var"), operation.get("value")
        if kind == "init":
            state = dict(starts[inits % len(starts)])
            inits += 1
        elif kind == "output":
            rows.append({column: _jitter(state[column], specs[column], rng) for column in state})
        elif name in state and value is not None and math.isfinite(value):
            new = value if kind == "set_to" else state[name] + value
            if specs[name]["vmin"] <= new <= specs[name]["vmax"]:
                state[name] = new
            else:
                out_of_range += 1
        else:
            skipped += 1
    frame = pd.DataFrame(rows, columns=list(starts[0]))
    frame.attrs["skipped_operations"] = skipped
    frame.attrs["out_of_range_operations"] = out_of_range
    return frame
