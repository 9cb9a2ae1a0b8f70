"""One training run: read, encode, cross-validate, fit on everything, export the version folder with its card."""

from __future__ import annotations

import hashlib
import json
import math
import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
import xgboost as xgb

from weidai_train.data import LabelledTable, file_sha256, read_table, split_target
from weidai_train.encoding import FeatureEncoder, fit_encoder
from weidai_train.errors import TrainingInputError
from weidai_train.model import (
    ONNX_INPUT,
    ONNX_OPSET,
    ONNX_PROBABILITIES,
    CvResult,
    TrainParams,
    contributions,
    cross_validate,
    fit,
    onnx_probabilities,
    save_xgboost_json,
    to_onnx,
)

CARD_VERSION = 1
MISSING_VALUES_RULE = (
    "numeric: missing → NaN (XGBoost's default direction); one_hot: 1.0 for the matching category, "
    "0.0 otherwise; a missing or unseen category gives 0.0 in all of its column's indicators"
)


@dataclass(frozen=True)
class TrainRequest:
    input_path: Path
    target: str
    out_dir: Path
    positive: str | None = None
    exclude: tuple[str, ...] = ()
    origins: dict[str, str] = field(default_factory=dict)
    params: TrainParams = TrainParams()
    folds: int = 5
    shap_rows: int = 8
    created_at: datetime | None = None
    generator: dict[str, object] | None = None


@dataclass(frozen=True)
class TrainResult:
    out_dir: Path
    card: dict[str, object]
    cv: CvResult


def _software() -> dict[str, str]:
    names = ["xgboost-cpu", "onnxmltools", "onnxruntime", "onnx", "scikit-learn", "numpy", "pandas"]
    versions: dict[str, str] = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    versions["xgboost"] = xgb.__version__
    return versions


def _json_value(value: object) -> object:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(float(value)) else float(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    return value


def _shap_sample(table: LabelledTable, encoder: FeatureEncoder, n: int, seed: int) -> pd.DataFrame:
    """A few rows of both classes plus two edge rows: missing values everywhere possible, and an unseen category."""
    rng = np.random.default_rng(seed)
    per_class = max(1, (n - 2) // 2)
    picks: list[int] = []
    for cls in (0, 1):
        idx = np.flatnonzero(table.y == cls)
        picks.extend(rng.choice(idx, size=min(per_class, len(idx)), replace=False).tolist())
    sample = table.features.iloc[sorted(picks)].copy()
    edge_missing = table.features.iloc[[picks[0]]].copy()
    edge_unseen = table.features.iloc[[picks[-1]]].copy()
    for column in encoder.inputs:
        if column.kind == "numeric":
            edge_missing[column.name] = np.nan
        else:
            edge_missing[column.name] = None
            edge_unseen[column.name] = "__unseen_category__"
    return pd.concat([sample, edge_missing, edge_unseen], ignore_index=True)


def _shap_vectors(model: xgb.XGBClassifier, encoder: FeatureEncoder, rows: pd.DataFrame) -> list[dict[str, object]]:
    x = encoder.transform(rows)
    contribs, margins = contributions(model, x)
    out: list[dict[str, object]] = []
    for i in range(len(rows)):
        raw = {str(k): _json_value(v) for k, v in rows.iloc[i].items()}
        out.append(
            {
                "row": raw,
                "features": [_json_value(v) for v in x[i]],
                "contributions": contribs[i, :-1].tolist(),
                "bias": float(contribs[i, -1]),
                "margin": float(margins[i]),
                "probability": float(1.0 / (1.0 + math.exp(-margins[i]))),
            }
        )
    return out


def _check_origins(origins: dict[str, str], columns: list[str]) -> None:
    unknown = sorted(set(origins) - set(columns))
    if unknown:
        raise TrainingInputError(f"origins given for columns not in the data: {', '.join(unknown)}")


def run_training(request: TrainRequest) -> TrainResult:
    frame = read_table(request.input_path)
    table = split_target(
        frame, request.target, request.positive, request.exclude, min_per_class=max(2, request.folds)
    )
    _check_origins(request.origins, list(map(str, table.features.columns)))
    encoder = fit_encoder(table.features)
    x = encoder.transform(table.features)

    cv = cross_validate(x, table.y, request.params, request.folds)
    model = fit(x, table.y, request.params)

    out = request.out_dir
    out.mkdir(parents=True, exist_ok=True)
    proto = to_onnx(model, x.shape[1])
    onnx_bytes = proto.SerializeToString()
    (out / "model.onnx").write_bytes(onnx_bytes)
    save_xgboost_json(model, out / "model.xgb.json")

    # Compare on the training rows and on jittered copies, which land between split thresholds.
    rng = np.random.default_rng(request.params.seed)
    jitter = x * (1 + rng.normal(scale=0.05, size=x.shape)).astype(np.float32)
    check_x = np.vstack([x, jitter]).astype(np.float32)
    onnx_p = onnx_probabilities(onnx_bytes, check_x)
    xgb_p = model.predict_proba(check_x)[:, 1]
    max_diff = float(np.max(np.abs(onnx_p - xgb_p)))

    sample = _shap_sample(table, encoder, request.shap_rows, request.params.seed)
    vectors = _shap_vectors(model, encoder, sample)
    (out / "shap_vectors.json").write_text(
        json.dumps({"model_version": out.name, "vectors": vectors}, ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )

    created = (request.created_at or datetime.now(UTC)).astimezone(UTC)
    card: dict[str, object] = {
        "card_version": CARD_VERSION,
        "model_version": out.name,
        "created_at": created.isoformat().replace("+00:00", "Z"),
        "task": {
            "objective": "binary:logistic",
            "target": table.target,
            "positive": table.positive,
            "output": "probability of the positive class",
        },
        "inputs": [
            {
                "name": c.name,
                "kind": c.kind,
                "origin": request.origins.get(c.name, "input"),
                **({"categories": list(c.categories)} if c.kind == "categorical" else {}),
            }
            for c in encoder.inputs
        ],
        "features": [
            {
                "index": i,
                "name": f.name,
                "source": f.source,
                "origin": request.origins.get(f.source, "input"),
                "encoding": f.encoding,
                **({"category": f.category} if f.category is not None else {}),
            }
            for i, f in enumerate(encoder.features)
        ],
        "missing_values": MISSING_VALUES_RULE,
        "files": {"onnx": "model.onnx", "xgboost_json": "model.xgb.json", "shap_vectors": "shap_vectors.json"},
        "onnx": {
            "input": ONNX_INPUT,
            "input_dim": int(x.shape[1]),
            "probabilities_output": ONNX_PROBABILITIES,
            "opset": ONNX_OPSET,
            "sha256": hashlib.sha256(onnx_bytes).hexdigest(),
            "max_abs_diff_vs_xgboost": max_diff,
        },
        "training_data": {
            "file": request.input_path.name,
            "sha256": file_sha256(request.input_path),
            "rows": int(len(table.y)),
            "positives": int(table.y.sum()),
            "dropped_missing_target": table.dropped_missing_target,
            "excluded_columns": list(request.exclude),
            **({"generator": request.generator} if request.generator else {}),
        },
        "parameters": request.params.to_json(),
        "metrics": {"cross_validation": cv.to_json()},
        "software": _software(),
    }
    (out / "card.json").write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return TrainResult(out, card, cv)
