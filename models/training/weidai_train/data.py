"""Reading training tables (CSV, or JSONL exported by the service) and separating the binary target."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from weidai_train.errors import TrainingInputError

# Labels read as the positive class when the user names none (case-insensitive, after str()).
_POSITIVE_DEFAULTS = {"1", "1.0", "true", "yes"}
_NEGATIVE_DEFAULTS = {"0", "0.0", "false", "no"}


@dataclass(frozen=True)
class LabelledTable:
    features: pd.DataFrame
    y: np.ndarray  # int8, 1 = positive class
    target: str
    positive: str
    dropped_missing_target: int


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _read_jsonl(path: Path) -> pd.DataFrame:
    rows: list[dict[str, object]] = []
    with path.open("r", encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise TrainingInputError(f"{path}:{lineno}: not valid JSON ({exc.msg})") from exc
            if not isinstance(row, dict):
                raise TrainingInputError(f"{path}:{lineno}: each line must be a JSON object")
            # The service exports {"features": {...}, "decision": ...}; flat rows are accepted too.
            nested = row.pop("features", None)
            if isinstance(nested, dict):
                row = {**nested, **row}
            rows.append(row)
    return pd.DataFrame.from_records(rows)


def read_table(path: Path) -> pd.DataFrame:
    """Reads a CSV or a JSONL file (chosen by extension) into a DataFrame."""
    if not path.is_file():
        raise TrainingInputError(f"input file not found: {path}")
    suffix = path.suffix.lower()
    try:
        if suffix in {".jsonl", ".ndjson"}:
            frame = _read_jsonl(path)
        elif suffix in {".csv", ".txt"}:
            frame = pd.read_csv(path)
        else:
            raise TrainingInputError(f"unsupported input type {suffix!r}: use .csv or .jsonl")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise TrainingInputError(f"cannot read {path}: {exc}") from exc
    if frame.empty:
        raise TrainingInputError(f"{path} has no rows")
    return frame


def _label_text(value: object) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def split_target(
    frame: pd.DataFrame,
    target: str,
    positive: str | None = None,
    exclude: tuple[str, ...] = (),
    min_per_class: int = 2,
) -> LabelledTable:
    """Separates the target column and turns it into 0/1, refusing data that cannot train a binary model."""
    if target not in frame.columns:
        raise TrainingInputError(
            f"target column {target!r} not found; the columns are: {', '.join(map(str, frame.columns))}"
        )
    missing_excluded = [c for c in exclude if c not in frame.columns]
    if missing_excluded:
        raise TrainingInputError(f"excluded columns not found: {', '.join(missing_excluded)}")

    present = frame[frame[target].notna()]
    dropped = len(frame) - len(present)
    labels = present[target].map(_label_text)
    classes = sorted(labels.unique())
    if len(classes) < 2:
        shown = classes[0] if classes else "none"
        raise TrainingInputError(
            f"target column {target!r} has a single class ({shown}); training needs both outcomes"
        )
    if len(classes) > 2:
        raise TrainingInputError(
            f"target column {target!r} has {len(classes)} classes ({', '.join(classes[:6])}…); a binary target is needed"
        )

    if positive is None:
        lowered = {c.lower() for c in classes}
        if lowered & _POSITIVE_DEFAULTS and lowered & _NEGATIVE_DEFAULTS:
            positive = next(c for c in classes if c.lower() in _POSITIVE_DEFAULTS)
        else:
            raise TrainingInputError(
                f"target column {target!r} has labels {classes[0]!r} and {classes[1]!r}; "
                "name the positive one with --positive"
            )
    elif positive not in classes:
        raise TrainingInputError(f"--positive {positive!r} is not a label of {target!r}: {classes}")

    y = (labels == positive).to_numpy(dtype=np.int8)
    counts = np.bincount(y, minlength=2)
    if counts.min() < min_per_class:
        raise TrainingInputError(
            f"target column {target!r} has only {int(counts.min())} rows of one class; "
            f"at least {min_per_class} of each are needed for cross-validation"
        )
    features = present.drop(columns=[target, *exclude]).reset_index(drop=True)
    if features.shape[1] == 0:
        raise TrainingInputError("no feature columns left after removing the target")
    return LabelledTable(features, y, target, positive, dropped)
