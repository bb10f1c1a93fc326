"""The prompts of the paper's LLM pipeline (appendix A.2), and how examples are shown.

The three system prompts are the paper's, verbatim except for typos; the paper's description
prompt asks for "at least 500 words", which the efficient default replaces by a length cap.
"""

from __future__ import annotations

import json

import pandas as pd

__all__ = [
    "DESCRIPTION_PROMPT",
    "VARIABLES_PROMPT",
    "GENERATION_PROMPT",
    "description_messages",
    "variables_messages",
    "generation_messages",
    "format_rows",
]

_ANALYST = (
    "You're an expert data analyst at a large company. Your boss has asked you to analyze a "
    "dataset and provide a report on your findings."
)

DESCRIPTION_PROMPT = (
    f"{_ANALYST}\n"
    "You'll be provided with a dataset in CSV format with a header. You'll need to write a report "
    "that provides insights into the data. Focus on the key points that will help your boss make "
    "informed decisions. Put a special emphasis on the relationships between the different "
    "variables in the dataset, the trends that you observe.\n"
    "Make sure to try to extract the general meaning of the data, and not just the raw numbers. "
    "Your boss is looking for a high-level summary of the data, not a detailed analysis.\n"
    "Your report should be clear, concise, and easy to understand. It should be written in plain "
    "English, and should not contain any technical jargon. {length}"
)

VARIABLES_PROMPT = (
    f"{_ANALYST}\n"
    "You'll be provided with a dataset in CSV format with a header. Your task is to extract the "
    "names, descriptions and possible distributions of the variables in the dataset. Please note "
    'that categorical and string variables use the "none" distribution.\n'
    "You should provide your answer as a machine-readable JSON object. The object should follow "
    "this schema:\n{schema}"
)

GENERATION_PROMPT = (
    "Your task is to control a synthetic data generator that creates synthetic data conforming to "
    "a report given to you.\n"
    "The generator is a state machine that has an internal state which can be sent to the output, "
    "or that can be changed. You can use functions to control the state machine. Each output of "
    "the machine describes a single data point.\n"
    "You will be given a report by the user that the synthetic data should follow as closely as "
    "possible. Ensure that you only use the variables provided to you by the user. Make sure that "
    "the synthetic data you generate is consistent with the report. Make sure to use the EXACT "
    "variable names provided in the report.\n"
    "You should just output the sequence of operations without any text in natural language.\n"
    'The change_by operation cannot be used on variables with units "true or false" or string '
    "variables.\n"
    "Your output should be a single JSON object following the schema below:\n{schema}"
)


def format_rows(rows: pd.DataFrame) -> str:
    """CSV with a header; integral values without decimals, others with 4 significant digits."""

    def cell(value: float) -> str:
        if float(value).is_integer():
            return str(int(value))
        return f"{value:.4g}"

    lines = [",".join(rows.columns)]
    lines += [",".join(cell(v) for v in row) for row in rows.to_numpy(dtype=float)]
    return "\n".join(lines)


def _context(examples: pd.DataFrame, minority_name: str, reference: pd.DataFrame | None) -> str:
    """What the user message says about the data: examples, or (zero-shot) the other class."""
    if len(examples):
        return (f"The rows below belong to the class {minority_name!r}.\n"
                f"{format_rows(examples)}")
    ranges = "\n".join(
        f"{column}: {reference[column].min():.4g} to {reference[column].max():.4g}"
        for column in reference.columns
    )
    return (
        f"No row of the class {minority_name!r} is available. The rows below belong to the other "
        f"class; data of the class {minority_name!r} differ from them.\n"
        f"{format_rows(reference)}\nObserved range of each column over all rows:\n{ranges}"
    )


def description_messages(examples, minority_name, reference, length: str) -> list[dict]:
    return [
        {"role": "system", "content": DESCRIPTION_PROMPT.format(length=length)},
        {"role": "user", "content": _context(examples, minority_name, reference)},
    ]


VARIABLES_FORMAT = ('{"variables": [{"name": ..., "units": ..., "distribution": ..., "scale": ..., '
                    '"vmin": ..., "vmax": ...}, ...]}, one entry per column')
PROGRAM_FORMAT = '{"outputs": [[[operation, variable id, value], ...], ...]}, one list per output'


def variables_messages(examples, minority_name, reference, schema: dict | None) -> list[dict]:
    """``schema=None`` describes the format in one line (the grammar enforces it anyway)."""
    shown = json.dumps(schema) if schema is not None else VARIABLES_FORMAT
    return [
        {"role": "system", "content": VARIABLES_PROMPT.format(schema=shown)},
        {"role": "user", "content": _context(examples, minority_name, reference)},
    ]


def _variable_line(variable_id: str, name: str, spec: dict) -> str:
    low, high = spec["vmin"], spec["vmax"]
    step = max((high - low) / 10, 1.0 if spec["units"] != "any number" else 0.0)
    return (f"- {variable_id} ({name}): {spec['units']}, from {low:.4g} to {high:.4g}; "
            f"change_by steps of at most {step:.3g}")


def generation_messages(description: str, specs: dict[str, dict], examples: pd.DataFrame,
                        n_outputs: int, schema: dict | None, minority_name: str) -> list[dict]:
    ids = {name: f"v{i + 1}" for i, name in enumerate(specs)}
    variables = "\n".join(_variable_line(ids[name], name, spec) for name, spec in specs.items())
    shown = f"Example rows:\n{format_rows(examples.rename(columns=ids))}\n" if len(examples) else ""
    return [
        {"role": "system", "content": GENERATION_PROMPT.format(
            schema=json.dumps(schema) if schema is not None else PROGRAM_FORMAT)},
        {"role": "user", "content": (
            f"Report on the class {minority_name!r}:\n{description.strip()}\n\n"
            f"Variables:\n{variables}\n{shown}"
            f"Write a program with exactly {n_outputs} outputs. Each output starts from the next "
            "example row (in order, starting again after the last); change it with "
            "[operation, variable id, value] steps: set_to gives a variable a new value, "
            "change_by adds a small delta. Every output must be a new, plausible data point "
            "within the ranges above."
        )},
    ]
