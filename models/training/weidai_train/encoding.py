"""Turning raw columns into the float32 feature matrix the model sees, and recording how, for the model card.

Categorical columns are detected by type (text, category) and one-hot encoded here, not by XGBoost's native
categorical splits, which onnxmltools cannot convert to ONNX. The recorded encoding lets the TypeScript service
reproduce the exact vector: numeric → float32 with missing as NaN; one-hot → 1.0 for the matching category,
0.0 otherwise; a missing or unseen category gives all zeros for that column's indicators.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from weidai_train.errors import TrainingInputError

Encoding = Literal["numeric", "one_hot"]


@dataclass(frozen=True)
class InputColumn:
    """A raw column as it arrives (from the service or the CSV)."""

    name: str
    kind: Literal["numeric", "categorical"]
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class EncodedFeature:
    """One column of the model's input vector."""

    name: str
    source: str
    encoding: Encoding
    category: str | None = None


@dataclass(frozen=True)
class FeatureEncoder:
    inputs: tuple[InputColumn, ...]
    features: tuple[EncodedFeature, ...]

    def transform(self, frame: pd.DataFrame) -> np.ndarray:
        """The float32 matrix in the recorded feature order (missing numeric → NaN)."""
        missing = [c.name for c in self.inputs if c.name not in frame.columns]
        if missing:
            raise TrainingInputError(f"columns missing for encoding: {', '.join(missing)}")
        out = np.zeros((len(frame), len(self.features)), dtype=np.float32)
        for j, feature in enumerate(self.features):
            column = frame[feature.source]
            if feature.encoding == "numeric":
                out[:, j] = _as_numeric(column).to_numpy(dtype=np.float64, na_value=np.nan)
            else:
                text = column.map(_category_text)
                out[:, j] = (text == feature.category).to_numpy(dtype=np.float32)
        return out


def _category_text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    return str(value)


def _as_numeric(column: pd.Series) -> pd.Series:
    if ptypes.is_bool_dtype(column):
        return column.astype("float64")
    return pd.to_numeric(column, errors="coerce").astype("float64")


def _is_categorical(column: pd.Series) -> bool:
    if ptypes.is_bool_dtype(column) or ptypes.is_numeric_dtype(column):
        return False
    non_null = column.dropna()
    if non_null.empty:
        return False
    # Text that is entirely numbers (e.g. from JSON with quoted values) stays numeric.
    parsed = pd.to_numeric(non_null, errors="coerce")
    return bool(parsed.isna().any())


def fit_encoder(frame: pd.DataFrame, max_categories: int = 30, min_category_count: int = 2) -> FeatureEncoder:
    """Detects categorical columns and fixes the feature order: columns in input order, one-hot levels by
    descending frequency (ties by name). Levels rarer than min_category_count or beyond max_categories are
    folded into 'all zeros', like an unseen category at inference."""
    inputs: list[InputColumn] = []
    features: list[EncodedFeature] = []
    for name in map(str, frame.columns):
        column = frame[name]
        if column.isna().all():
            raise TrainingInputError(f"column {name!r} is empty in every row; drop it with --exclude")
        if not _is_categorical(column):
            inputs.append(InputColumn(name, "numeric"))
            features.append(EncodedFeature(name, name, "numeric"))
            continue
        counts = column.dropna().map(str).value_counts()
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        kept = tuple(cat for cat, n in ordered if n >= min_category_count)[:max_categories]
        if not kept:
            raise TrainingInputError(f"categorical column {name!r} has no level seen {min_category_count}+ times")
        inputs.append(InputColumn(name, "categorical", kept))
        features.extend(EncodedFeature(f"{name}={cat}", name, "one_hot", cat) for cat in kept)
    return FeatureEncoder(tuple(inputs), tuple(features))
