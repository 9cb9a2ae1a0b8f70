"""Fitting the XGBoost classifier, cross-validating it, and exporting it to ONNX and XGBoost JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import onnx
import onnxmltools
import onnxruntime as ort
import xgboost as xgb
from onnxmltools.convert.common.data_types import FloatTensorType
from sklearn.model_selection import StratifiedKFold

from weidai_train.metrics import BinaryMetrics, binary_metrics

ONNX_INPUT = "input"
ONNX_PROBABILITIES = "probabilities"
# onnxmltools 1.16 supports the default ONNX domain up to opset 15 for XGBoost.
ONNX_OPSET = 15


@dataclass(frozen=True)
class TrainParams:
    """Small trees keep the shipped files small and TreeSHAP fast; defaults suit a few thousand rows."""

    n_estimators: int = 200
    max_depth: int = 4
    learning_rate: float = 0.05
    subsample: float = 0.8
    colsample_bytree: float = 0.8
    min_child_weight: float = 1.0
    reg_lambda: float = 1.0
    seed: int = 42
    n_jobs: int = 2

    def to_json(self) -> dict[str, object]:
        return {**asdict(self), "objective": "binary:logistic", "tree_method": "hist"}


@dataclass(frozen=True)
class CvResult:
    folds: int
    pooled: BinaryMetrics
    fold_auc: tuple[float, ...]

    def to_json(self) -> dict[str, object]:
        aucs = np.asarray(self.fold_auc)
        return {
            "folds": self.folds,
            **self.pooled.to_json(),
            "auc_fold_mean": float(aucs.mean()),
            "auc_fold_std": float(aucs.std(ddof=1)) if len(aucs) > 1 else 0.0,
            "auc_folds": list(self.fold_auc),
        }


def make_classifier(params: TrainParams) -> xgb.XGBClassifier:
    return xgb.XGBClassifier(
        n_estimators=params.n_estimators,
        max_depth=params.max_depth,
        learning_rate=params.learning_rate,
        subsample=params.subsample,
        colsample_bytree=params.colsample_bytree,
        min_child_weight=params.min_child_weight,
        reg_lambda=params.reg_lambda,
        random_state=params.seed,
        n_jobs=params.n_jobs,
        objective="binary:logistic",
        tree_method="hist",
        # Native categorical splits do not convert to ONNX; categoricals are one-hot encoded before this.
        enable_categorical=False,
    )


def fit(x: np.ndarray, y: np.ndarray, params: TrainParams) -> xgb.XGBClassifier:
    model = make_classifier(params)
    model.fit(x.astype(np.float32), y)
    return model


def cross_validate(x: np.ndarray, y: np.ndarray, params: TrainParams, folds: int = 5) -> CvResult:
    """Stratified k-fold; metrics on the pooled out-of-fold predictions, AUC also per fold."""
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=params.seed)
    oof = np.zeros(len(y), dtype=np.float64)
    fold_auc: list[float] = []
    for train_idx, test_idx in splitter.split(x, y):
        model = fit(x[train_idx], y[train_idx], params)
        oof[test_idx] = model.predict_proba(x[test_idx].astype(np.float32))[:, 1]
        fold_auc.append(binary_metrics(y[test_idx], oof[test_idx]).auc)
    return CvResult(folds, binary_metrics(y, oof), tuple(fold_auc))


def to_onnx(model: xgb.XGBClassifier, n_features: int) -> onnx.ModelProto:
    proto = onnxmltools.convert_xgboost(
        model,
        initial_types=[(ONNX_INPUT, FloatTensorType([None, n_features]))],
        target_opset=ONNX_OPSET,
    )
    # The converter names the graph with a random UUID; a fixed name makes the file (and its sha256) reproducible.
    proto.graph.name = "weidai_expert_model"
    onnx.checker.check_model(proto)
    return proto


def onnx_probabilities(model_bytes: bytes, x: np.ndarray) -> np.ndarray:
    """Positive-class probabilities from an ONNX model, fed float32 as the service does."""
    session = ort.InferenceSession(model_bytes, providers=["CPUExecutionProvider"])
    outputs = session.run([ONNX_PROBABILITIES], {ONNX_INPUT: x.astype(np.float32)})
    return np.asarray(outputs[0])[:, 1]


def save_xgboost_json(model: xgb.XGBClassifier, path: Path) -> None:
    model.get_booster().save_model(str(path))


def contributions(model: xgb.XGBClassifier, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """XGBoost's exact TreeSHAP values (last column = bias) and the raw margins, for float32 rows."""
    booster = model.get_booster()
    matrix = xgb.DMatrix(x.astype(np.float32), missing=np.nan)
    contribs = booster.predict(matrix, pred_contribs=True, approx_contribs=False)
    margin = booster.predict(matrix, output_margin=True)
    return np.asarray(contribs, dtype=np.float64), np.asarray(margin, dtype=np.float64)
