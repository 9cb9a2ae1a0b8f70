"""Discrimination and calibration measures of binary predictions."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from sklearn.metrics import roc_auc_score, roc_curve


@dataclass(frozen=True)
class ReliabilityBin:
    lower: float
    upper: float
    count: int
    mean_predicted: float | None
    observed_rate: float | None


@dataclass(frozen=True)
class BinaryMetrics:
    auc: float
    ks: float
    brier: float
    log_loss: float
    positive_rate: float
    reliability: tuple[ReliabilityBin, ...]

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def ks_statistic(y: np.ndarray, p: np.ndarray) -> float:
    """Kolmogorov–Smirnov statistic: the largest gap between the score distributions of the two classes,
    max over thresholds of TPR − FPR (Siddiqi, Credit Risk Scorecards, 2006, ch. 6)."""
    fpr, tpr, _ = roc_curve(y, p)
    return float(np.max(tpr - fpr))


def reliability_bins(y: np.ndarray, p: np.ndarray, bins: int = 10) -> tuple[ReliabilityBin, ...]:
    """Equal-width reliability diagram: per predicted-probability bin, mean prediction vs observed rate."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    index = np.clip(np.digitize(p, edges[1:-1], right=False), 0, bins - 1)
    out: list[ReliabilityBin] = []
    for b in range(bins):
        mask = index == b
        n = int(mask.sum())
        out.append(
            ReliabilityBin(
                lower=float(edges[b]),
                upper=float(edges[b + 1]),
                count=n,
                mean_predicted=float(p[mask].mean()) if n else None,
                observed_rate=float(y[mask].mean()) if n else None,
            )
        )
    return tuple(out)


def binary_metrics(y: np.ndarray, p: np.ndarray) -> BinaryMetrics:
    """AUC, KS, Brier score (Brier 1950), log loss and reliability bins of probabilities p for labels y."""
    y64 = y.astype(np.float64)
    p64 = np.clip(p.astype(np.float64), 1e-15, 1 - 1e-15)
    return BinaryMetrics(
        auc=float(roc_auc_score(y, p64)),
        ks=ks_statistic(y, p64),
        brier=float(np.mean((p64 - y64) ** 2)),
        log_loss=float(-np.mean(y64 * np.log(p64) + (1 - y64) * np.log(1 - p64))),
        positive_rate=float(y64.mean()),
        reliability=reliability_bins(y64, p64),
    )
