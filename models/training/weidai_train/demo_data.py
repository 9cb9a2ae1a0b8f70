"""A generated data set of small-business loans for the demo and the tests. It is synthetic: no real applicant.

Generating process (seeded numpy PCG64, one row per loan, drawn independently):

1. sector ~ Categorical(grocery .30, restaurant .20, crops .18, livestock .12, transport .12, processing .08).
2. years_in_business = round(Gamma(shape 2, scale 3.5)), capped at 35.
3. cash_flow_cover (monthly disposable income ÷ instalment) = exp(N(0.45 + sector_cover, 0.45)).
4. debt_ratio (liabilities ÷ assets) = Beta(2, 4) × 1.2.
5. margin_stability (1 = steady monthly gross margin) = Beta(5, 2); missing with probability .04
   (the officer could not rebuild monthly margins).
6. credit_overdue_count (overdue records in the credit report, 24 months) ~ Poisson(0.35 + 0.8·debt_ratio).
7. interview_reliability (share of verified facts found consistent) = Beta(8, 2); contradictions ~
   Poisson(3·(1 − reliability)). Both missing with probability .05 (no interview held).
8. Log-odds of default:
       z = −2.3 − 1.6·ln(cash_flow_cover) + 2.2·(debt_ratio − 0.4) − 1.2·(margin_stability − 0.7)
           − 0.06·(min(years, 15) − 5) + 0.5·credit_overdue_count + 0.35·contradictions
           − 1.8·(interview_reliability − 0.8) + sector_risk + 0.8·[debt_ratio > 0.7 and cash_flow_cover < 1.2]
   with missing margin_stability, reliability or contradictions replaced by their means (0.71, 0.8, 0.6);
   defaulted ~ Bernoulli(sigmoid(z)).
9. expert_decision = "decline" if z + N(0, 0.6) > −2.0 else "approve": an expert sees the same risk
   through noise and declines roughly the riskier third.

Sector effects (sector_cover on the log cover, sector_risk on the log-odds): grocery (0.05, −0.1),
restaurant (0.0, 0.25), crops (−0.1, 0.1), livestock (−0.05, 0.35), transport (0.0, 0.15),
processing (0.1, 0.0). The demo's targets are `defaulted` (1 = default) or `expert_decision`.

With `verification=True` (the data of demo-v2) two hidden facts and how the interview left them are added, so
that a model learns a doubtful or contradicted fact as such and never as if confirmed. They are drawn from a
second generator seeded (seed, 2), so the columns above keep exactly the values of the plain data set:

10. sales_overstated ~ Bernoulli(.15) (the rebuilt sales are too high), hidden_debt ~ Bernoulli(.10).
11. sales_verification and debt_verification ∈ {verified, doubtful, contradicted, unasked}: "unasked" when no
    interview was held, else with probability .15 (sales) or .25 (debts); otherwise drawn with probabilities
    (.80, .15, .05) for verified, doubtful, contradicted when the fact is true, (.20, .35, .45) when it is not.
12. z gains + 1.2·sales_overstated + 1.0·hidden_debt (before defaulted and expert_decision are drawn).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

SECTORS: tuple[tuple[str, float, float, float], ...] = (
    # name, share, effect on log cash-flow cover, effect on default log-odds
    ("grocery", 0.30, 0.05, -0.1),
    ("restaurant", 0.20, 0.0, 0.25),
    ("crops", 0.18, -0.1, 0.1),
    ("livestock", 0.12, -0.05, 0.35),
    ("transport", 0.12, 0.0, 0.15),
    ("processing", 0.08, 0.1, 0.0),
)

# Where each column comes from in the service; recorded in the model card.
DEMO_ORIGINS: dict[str, str] = {
    "sector": "profile",
    "years_in_business": "profile",
    "cash_flow_cover": "ipc_financials",
    "debt_ratio": "ipc_financials",
    "margin_stability": "ipc_financials",
    "credit_overdue_count": "screening",
    "interview_reliability": "interview",
    "contradictions": "interview",
}

DEMO_TARGETS = ("defaulted", "expert_decision")

VERIFICATION_LEVELS = ("verified", "doubtful", "contradicted", "unasked")

# The demo-v2 data: the columns above plus how the interview left two facts.
DEMO_V2_ORIGINS: dict[str, str] = {**DEMO_ORIGINS, "sales_verification": "interview", "debt_verification": "interview"}


def _verification(
    rng: np.random.Generator, false_fact: np.ndarray, no_interview: np.ndarray, p_unasked: float
) -> np.ndarray:
    """Step 11 of the module docstring."""
    rows = len(false_fact)
    u = rng.random(rows)
    if_true = np.where(u < 0.80, "verified", np.where(u < 0.95, "doubtful", "contradicted"))
    if_false = np.where(u < 0.20, "verified", np.where(u < 0.55, "doubtful", "contradicted"))
    status = np.where(false_fact, if_false, if_true)
    unasked = no_interview | (rng.random(rows) < p_unasked)
    return np.where(unasked, "unasked", status)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def generate_demo_loans(rows: int, seed: int, with_truth: bool = False, verification: bool = False) -> pd.DataFrame:
    """Draws `rows` loans by the process in this module's docstring; with_truth adds the true default
    probability sigmoid(z) as `true_default_probability` (for judging a model, never for training);
    verification adds the interview's verification status of sales and debts (steps 10–12)."""
    if rows < 1:
        raise ValueError("rows must be positive")
    rng = np.random.default_rng(seed)
    names = np.array([s[0] for s in SECTORS])
    shares = np.array([s[1] for s in SECTORS])
    cover_effect = {s[0]: s[2] for s in SECTORS}
    risk_effect = {s[0]: s[3] for s in SECTORS}

    sector = rng.choice(names, size=rows, p=shares / shares.sum())
    years = np.minimum(np.round(rng.gamma(2.0, 3.5, size=rows)), 35)
    cover = np.exp(rng.normal(0.45 + np.vectorize(cover_effect.get)(sector), 0.45))
    debt = rng.beta(2.0, 4.0, size=rows) * 1.2
    margin = rng.beta(5.0, 2.0, size=rows)
    overdue = rng.poisson(0.35 + 0.8 * debt)
    reliability = rng.beta(8.0, 2.0, size=rows)
    contradictions = rng.poisson(3.0 * (1.0 - reliability)).astype(np.float64)

    margin_missing = rng.random(rows) < 0.04
    no_interview = rng.random(rows) < 0.05
    margin_used = np.where(margin_missing, 0.71, margin)
    reliability_used = np.where(no_interview, 0.8, reliability)
    contradictions_used = np.where(no_interview, 0.6, contradictions)

    z = (
        -2.3
        - 1.6 * np.log(cover)
        + 2.2 * (debt - 0.4)
        - 1.2 * (margin_used - 0.7)
        - 0.06 * (np.minimum(years, 15) - 5)
        + 0.5 * overdue
        + 0.35 * contradictions_used
        - 1.8 * (reliability_used - 0.8)
        + np.vectorize(risk_effect.get)(sector)
        + 0.8 * ((debt > 0.7) & (cover < 1.2))
    )
    if verification:
        extra = np.random.default_rng([seed, 2])
        overstated = extra.random(rows) < 0.15
        hidden_debt = extra.random(rows) < 0.10
        sales_status = _verification(extra, overstated, no_interview, 0.15)
        debt_status = _verification(extra, hidden_debt, no_interview, 0.25)
        z = z + 1.2 * overstated + 1.0 * hidden_debt
    defaulted = (rng.random(rows) < _sigmoid(z)).astype(np.int8)
    decision = np.where(z + rng.normal(0.0, 0.6, size=rows) > -2.0, "decline", "approve")

    frame = pd.DataFrame(
        {
            "sector": sector,
            "years_in_business": years.astype(np.int64),
            "cash_flow_cover": np.round(cover, 3),
            "debt_ratio": np.round(debt, 3),
            "margin_stability": np.where(margin_missing, np.nan, np.round(margin, 3)),
            "credit_overdue_count": overdue.astype(np.int64),
            "interview_reliability": np.where(no_interview, np.nan, np.round(reliability, 3)),
            "contradictions": np.where(no_interview, np.nan, contradictions),
            "defaulted": defaulted,
            "expert_decision": decision,
        }
    )
    if verification:
        frame.insert(8, "sales_verification", sales_status)
        frame.insert(9, "debt_verification", debt_status)
    if with_truth:
        frame["true_default_probability"] = _sigmoid(z)
    return frame


def write_demo_loans(rows: int, seed: int, out: Path, verification: bool = False) -> pd.DataFrame:
    frame = generate_demo_loans(rows, seed, verification=verification)
    out.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(out, index=False)
    return frame
