import pytest

from lsh.datasets import registry


@pytest.fixture(scope="session")
def available_rows():
    return [info.row for info in registry() if info.available]
