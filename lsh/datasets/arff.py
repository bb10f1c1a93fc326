"""A small, strict reader for the dense ARFF files shipped in ``data/datasets/raw``.

General-purpose readers either reject valid files (``liac-arff`` fails on ``integer [1,10]``)
or drop what the recipe needs: the *declared* order of nominal levels, which decides
OpenML's binarization ties and its encoding of a missing class.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

__all__ = ["ArffError", "Attribute", "read_arff"]

NUMERIC_TYPES = {"numeric", "real", "integer"}


class ArffError(ValueError):
    """Raised when an ARFF file cannot be parsed; the message names file and line."""


@dataclass(frozen=True)
class Attribute:
    """One ``@attribute`` declaration."""

    name: str
    kind: str  # "numeric", "nominal" or "string"
    levels: tuple[str, ...] = field(default=())


def _split_name(rest: str, where: str) -> tuple[str, str]:
    rest = rest.strip()
    if rest[:1] in {"'", '"'}:
        quote = rest[0]
        end = rest.find(quote, 1)
        if end < 0:
            raise ArffError(f"{where}: unterminated quoted attribute name")
        return rest[1:end], rest[end + 1 :].strip()
    parts = rest.split(None, 1)
    if len(parts) != 2:
        raise ArffError(f"{where}: attribute without a type")
    return parts[0], parts[1].strip()


def _parse_levels(spec: str, where: str) -> tuple[str, ...]:
    if not spec.endswith("}"):
        raise ArffError(f"{where}: nominal level list does not end with '}}'")
    body = spec[1:-1]
    reader = csv.reader([body], quotechar="'", skipinitialspace=True)
    levels = tuple(level.strip() for level in next(reader))
    if not levels or any(level == "" for level in levels):
        raise ArffError(f"{where}: empty nominal level")
    return levels


def _parse_attribute(line: str, where: str) -> Attribute:
    name, spec = _split_name(line[len("@attribute") :], where)
    if spec.startswith("{"):
        return Attribute(name, "nominal", _parse_levels(spec, where))
    kind = spec.split()[0].lower()  # "integer [1,10]" declares a range we do not need
    if kind in NUMERIC_TYPES:
        return Attribute(name, "numeric")
    if kind == "string":
        return Attribute(name, "string")
    raise ArffError(f"{where}: unsupported attribute type {spec!r}")


def read_arff(path: str | Path) -> tuple[pd.DataFrame, list[Attribute]]:
    """Read a dense ARFF file.

    Parameters
    ----------
    path : str or Path
        The ARFF file.

    Returns
    -------
    frame : DataFrame
        One column per attribute, in declaration order. Numeric attributes are float64,
        nominal attributes are ``Categorical`` with the declared levels in declared order,
        string attributes are ``object``. ``?`` is missing.
    attributes : list of Attribute
        The declarations, in order.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8", errors="strict")
    attributes: list[Attribute] = []
    lines = text.splitlines()
    data_start = None
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("%"):
            continue
        lowered = line.lower()
        if lowered.startswith("@attribute"):
            attributes.append(_parse_attribute(line, f"{path.name}:{number}"))
        elif lowered.startswith("@data"):
            data_start = number
            break
    if data_start is None or not attributes:
        raise ArffError(f"{path.name}: no @attribute or @data section")

    body = "\n".join(
        line for line in lines[data_start:] if line.strip() and not line.lstrip().startswith("%")
    )
    rows = list(csv.reader(io.StringIO(body), quotechar="'", skipinitialspace=True))
    for offset, row in enumerate(rows):
        if len(row) != len(attributes):
            raise ArffError(
                f"{path.name}: data row {offset + 1} has {len(row)} values, "
                f"{len(attributes)} attributes are declared"
            )
    columns = {}
    for index, attribute in enumerate(attributes):
        values = [row[index].strip() for row in rows]
        values = [None if value == "?" else value for value in values]
        if attribute.kind == "numeric":
            columns[attribute.name] = pd.to_numeric(pd.Series(values, dtype=object)).astype(
                "float64"
            )
        elif attribute.kind == "nominal":
            unknown = {value for value in values if value is not None} - set(attribute.levels)
            if unknown:
                raise ArffError(
                    f"{path.name}: attribute {attribute.name!r} has undeclared levels "
                    f"{sorted(unknown)[:5]}"
                )
            columns[attribute.name] = pd.Categorical(values, categories=list(attribute.levels))
        else:
            columns[attribute.name] = pd.Series(values, dtype=object)
    return pd.DataFrame(columns), attributes
