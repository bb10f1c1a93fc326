import pytest


def pytest_addoption(parser):
    parser.addoption("--record-llm-checks", action="store_true",
                     help="record the API checks' LLM calls with the embedded model")
    parser.addoption("--book", nargs="?", const="default", default=None, metavar="HTML_DIR",
                     help="check the built book in headless Chromium (default _build/html; "
                          "run `make book` first)")

from lsh.datasets import registry


@pytest.fixture(scope="session")
def available_rows():
    return [info.row for info in registry() if info.available]


def pytest_configure(config):
    config.addinivalue_line("markers", "book: checks the built book in headless Chromium (needs --book)")
