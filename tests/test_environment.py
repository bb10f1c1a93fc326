"""environment.yml (conda) describes the same environment as pyproject.toml (pip)."""

import re
import tomllib

import yaml

from lsh import paths


def _split(requirement: str) -> tuple[str, str]:
    match = re.match(r"([A-Za-z0-9_.\-]+)(\[[^\]]*\])?\s*(.*)", requirement.strip())
    return match.group(1).lower().replace("_", "-"), match.group(3).replace(" ", "")


def _pyproject() -> dict[str, str]:
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements += extra
    return dict(_split(r) for r in requirements)


def _environment() -> dict[str, str]:
    spec = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    found = {}
    for entry in spec["dependencies"]:
        if isinstance(entry, dict):
            found.update(_split(r) for r in entry["pip"] if not r.startswith("-e"))
        else:
            name, version = _split(entry.replace("=", "==", 1) if re.match(r"[\w\-]+=\d", entry) else entry)
            found[name] = version
    return found


def test_every_pyproject_requirement_is_in_environment_yml_with_the_same_bounds():
    environment = _environment()
    for name, bounds in _pyproject().items():
        if name == "dask":  # pip's dask[distributed] is conda's dask + distributed
            assert environment["distributed"] == bounds
        assert name in environment, f"{name} missing from environment.yml"
        assert environment[name] == bounds, f"{name}: {environment[name]} vs {bounds}"


def test_environment_yml_installs_the_package_itself():
    spec = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    pip = next(entry["pip"] for entry in spec["dependencies"] if isinstance(entry, dict))
    assert "-e ." in pip
