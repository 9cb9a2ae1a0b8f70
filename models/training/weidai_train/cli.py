"""Command line: `python -m weidai_train {train,gen-demo,demo-model,german-credit}` (run from models/training)."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from weidai_train.demo_data import DEMO_ORIGINS, write_demo_loans
from weidai_train.errors import TrainingInputError
from weidai_train.model import TrainParams
from weidai_train.public_data import GERMAN_CREDIT_POSITIVE, GERMAN_CREDIT_TARGET, german_credit_csv
from weidai_train.train import TrainRequest, TrainResult, run_training


def _add_params(parser: argparse.ArgumentParser) -> None:
    defaults = TrainParams()
    parser.add_argument("--trees", type=int, default=defaults.n_estimators, help="number of boosting rounds")
    parser.add_argument("--depth", type=int, default=defaults.max_depth, help="maximum tree depth")
    parser.add_argument("--eta", type=float, default=defaults.learning_rate, help="learning rate")
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds")


def _params(args: argparse.Namespace) -> TrainParams:
    return replace(TrainParams(), n_estimators=args.trees, max_depth=args.depth, learning_rate=args.eta, seed=args.seed)


def _origins(path: str | None) -> dict[str, str]:
    if path is None:
        return {}
    try:
        loaded = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise TrainingInputError(f"cannot read origins file {path}: {exc}") from exc
    if not isinstance(loaded, dict) or not all(isinstance(v, str) for v in loaded.values()):
        raise TrainingInputError("the origins file must be a JSON object of column → origin strings")
    return {str(k): v for k, v in loaded.items()}


def _report(result: TrainResult) -> None:
    print(json.dumps({"out": str(result.out_dir), "cross_validation": result.cv.to_json()}, indent=2))


def _cmd_train(args: argparse.Namespace) -> int:
    source = args.input or args.csv
    if source is None:
        raise TrainingInputError("give --input FILE.jsonl|csv or --csv FILE")
    request = TrainRequest(
        input_path=Path(source),
        target=args.target,
        out_dir=Path(args.out),
        positive=args.positive,
        exclude=tuple(args.exclude),
        origins=_origins(args.origins),
        params=_params(args),
        folds=args.folds,
        created_at=datetime.fromisoformat(args.created_at) if args.created_at else None,
    )
    _report(run_training(request))
    return 0


def _cmd_gen_demo(args: argparse.Namespace) -> int:
    frame = write_demo_loans(args.rows, args.seed, Path(args.out))
    summary = {
        "out": args.out,
        "rows": len(frame),
        "default_rate": float(frame["defaulted"].mean()),
        "decline_rate": float((frame["expert_decision"] == "decline").mean()),
    }
    print(json.dumps(summary, indent=2))
    return 0


def _cmd_demo_model(args: argparse.Namespace) -> int:
    """Generates the demo data and trains the shipped demo version on it, with the data's origins recorded."""
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / f"demo-loans-{args.rows}-{args.seed}.csv"
        write_demo_loans(args.rows, args.seed, csv)
        request = TrainRequest(
            input_path=csv,
            target="defaulted",
            out_dir=Path(args.out),
            positive="1",
            exclude=("expert_decision",),
            origins=DEMO_ORIGINS,
            params=_params(args),
            folds=args.folds,
            created_at=datetime.fromisoformat(args.created_at) if args.created_at else None,
            generator={"command": "gen-demo", "rows": args.rows, "seed": args.seed},
        )
        _report(run_training(request))
    return 0


def _cmd_german_credit(args: argparse.Namespace) -> int:
    path = german_credit_csv()
    if args.out is None:
        print(json.dumps({"csv": str(path), "target": GERMAN_CREDIT_TARGET, "positive": GERMAN_CREDIT_POSITIVE}))
        return 0
    request = TrainRequest(
        input_path=path,
        target=GERMAN_CREDIT_TARGET,
        out_dir=Path(args.out),
        positive=GERMAN_CREDIT_POSITIVE,
        params=_params(args),
        folds=args.folds,
    )
    _report(run_training(request))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m weidai_train", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    train = sub.add_parser("train", help="train a model version from a CSV or JSONL table")
    train.add_argument("--input", help="features + decision rows: .jsonl (service export) or .csv")
    train.add_argument("--csv", help="a bank's historical loans as CSV (cold start)")
    train.add_argument("--target", required=True, help="the binary target column")
    train.add_argument("--positive", help="the target label counted as positive (default: 1/true/yes)")
    train.add_argument("--exclude", action="append", default=[], help="a column not to use (repeatable)")
    train.add_argument("--origins", help="JSON file mapping columns to where the service gets them")
    train.add_argument("--out", required=True, help="models/expert/<version>")
    train.add_argument("--created-at", help="ISO time recorded in the card (default: now)")
    _add_params(train)
    train.set_defaults(handler=_cmd_train)

    gen = sub.add_parser("gen-demo", help="write the generated demo data set of small-business loans")
    gen.add_argument("--rows", type=int, default=3000)
    gen.add_argument("--seed", type=int, default=20260101)
    gen.add_argument("--out", required=True, help="FILE.csv")
    gen.set_defaults(handler=_cmd_gen_demo)

    demo = sub.add_parser("demo-model", help="generate demo data and train the demo version on it")
    demo.add_argument("--rows", type=int, default=3000)
    demo.add_argument("--out", required=True)
    demo.add_argument("--created-at")
    _add_params(demo)
    demo.set_defaults(handler=_cmd_demo_model, seed=20260101)

    german = sub.add_parser("german-credit", help="locate or train on the public German credit data")
    german.add_argument("--out", help="train a version here; without it, print where the CSV is")
    _add_params(german)
    german.set_defaults(handler=_cmd_german_credit)
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except TrainingInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
