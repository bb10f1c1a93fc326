import pytest


def pytest_addoption(parser):
    parser.addoption("--record-llm-checks", action="store_true",
                     help="record the API checks' LLM calls with the embedded model")

from lsh.datasets import registry


@pytest.fixture(scope="session")
def available_rows():
    return [info.row for info in registry() if info.available]
