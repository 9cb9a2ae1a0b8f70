from __future__ import annotations

from pathlib import Path

import pytest

from weidai_train.demo_data import write_demo_loans


@pytest.fixture(scope="session")
def demo_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("data") / "demo.csv"
    write_demo_loans(2000, 7, path)
    return path
