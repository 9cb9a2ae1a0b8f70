from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from weidai_train.data import read_table, split_target
from weidai_train.encoding import fit_encoder
from weidai_train.errors import TrainingInputError

TRAINING_DIR = Path(__file__).resolve().parents[1]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "weidai_train", *args], cwd=TRAINING_DIR, capture_output=True, text=True, check=False
    )


def test_cli_refuses_a_csv_without_the_target_column(tmp_path: Path) -> None:
    csv = tmp_path / "loans.csv"
    pd.DataFrame({"a": [1, 2, 3, 4], "b": [0, 1, 0, 1]}).to_csv(csv, index=False)
    result = _cli("train", "--csv", str(csv), "--target", "defaulted", "--out", str(tmp_path / "v"))
    assert result.returncode != 0
    assert "target column 'defaulted' not found" in result.stderr
    assert not (tmp_path / "v").exists()


def test_cli_refuses_a_csv_whose_target_has_a_single_class(tmp_path: Path) -> None:
    csv = tmp_path / "loans.csv"
    pd.DataFrame({"a": range(20), "defaulted": [0] * 20}).to_csv(csv, index=False)
    result = _cli("train", "--csv", str(csv), "--target", "defaulted", "--out", str(tmp_path / "v"))
    assert result.returncode != 0
    assert "single class" in result.stderr


def test_refuses_a_target_with_three_classes() -> None:
    frame = pd.DataFrame({"a": range(9), "t": ["x", "y", "z"] * 3})
    with pytest.raises(TrainingInputError, match="binary target"):
        split_target(frame, "t", positive="x")


def test_text_labels_need_a_named_positive_class() -> None:
    frame = pd.DataFrame({"a": range(6), "t": ["good", "bad"] * 3})
    with pytest.raises(TrainingInputError, match="--positive"):
        split_target(frame, "t")
    table = split_target(frame, "t", positive="bad")
    assert table.y.tolist() == [0, 1, 0, 1, 0, 1]


def test_refuses_too_few_rows_of_one_class_for_the_folds() -> None:
    frame = pd.DataFrame({"a": range(10), "t": [1, 1] + [0] * 8})
    with pytest.raises(TrainingInputError, match="at least 5 of each"):
        split_target(frame, "t", min_per_class=5)


def test_reads_nested_jsonl_exported_by_the_service(tmp_path: Path) -> None:
    path = tmp_path / "opinions.jsonl"
    rows = [
        {"features": {"cash_flow_cover": 1.5, "sector": "grocery"}, "decision": "approve"},
        {"features": {"cash_flow_cover": 0.7, "sector": "crops"}, "decision": "decline"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    frame = read_table(path)
    assert sorted(frame.columns) == ["cash_flow_cover", "decision", "sector"]


def test_detects_text_columns_as_categorical_and_one_hot_encodes_them() -> None:
    frame = pd.DataFrame(
        {"x": [1.0, None, 3.0, 4.0], "sector": ["crops", "crops", "grocery", None], "n": ["1", "2", "3", "4"]}
    )
    encoder = fit_encoder(frame, min_category_count=1)
    assert [c.kind for c in encoder.inputs] == ["numeric", "categorical", "numeric"]
    assert [f.name for f in encoder.features] == ["x", "sector=crops", "sector=grocery", "n"]
    x = encoder.transform(frame)
    assert x.dtype == np.float32
    assert np.isnan(x[1, 0])
    # A missing and an unseen category both give all zeros.
    assert x[3, 1:3].tolist() == [0.0, 0.0]
    unseen = encoder.transform(pd.DataFrame({"x": [1.0], "sector": ["transport"], "n": ["5"]}))
    assert unseen[0, 1:3].tolist() == [0.0, 0.0]
