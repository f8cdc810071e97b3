"""Fit the confidence model (one logistic regression per field) on gold folders; write it as data.

    .venv/bin/python scripts/fit_confidence.py                       # the shared dev gold
    .venv/bin/python scripts/fit_confidence.py --gold ../shared/eval/dev --gold ../heldout-a   # pooled
    .venv/bin/python scripts/fit_confidence.py --gold ../shared/eval/dev --gold corpus/gold --dry-run

Runs the extractor with the rules' own confidences, judges every span the shared scorer judges
(``pipeline.evaluate.judged_spans``) in every gold folder given (pooled: one model on all of them,
cross-validated by document across folders), and fits, per field, an L2-regularised logistic
regression on ``nlp.confidence.features``. The record says which gold folders it was fitted on, and
how many documents and judged predictions (per field, and how many right) each gave. It reports the expected calibration error (the scorer's bins)
in-sample and cross-validated by document (each document's spans predicted by a model fitted
without it), then writes ``nlp/data/confidence.json``. Re-run it whenever a rule changes what is
extracted; bump ``EXTRACTOR_VERSION`` with it.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp.confidence import FIELDS, features, title_counts  # noqa: E402
from pipeline.evaluate import _extract, gold_documents, judged_spans, load_scorer  # noqa: E402

# L2 penalty on the weights (not the intercept): with a few hundred judged spans, a feature needs
# several examples before it moves a prediction far from its field's base rate.
L2 = 2.0
FOLDS = 6
NEWTON_STEPS = 50


def fit(X: np.ndarray, y: np.ndarray, l2: float) -> np.ndarray:
    """Newton's method for L2-regularised logistic regression; column 0 is the intercept (not penalised).

    Two pseudo-observations with no feature but the intercept, one right and one wrong (Laplace's
    rule of succession), keep a field whose every dev span was right from a certainty of 1."""
    X = np.vstack([X, np.eye(1, X.shape[1]), np.eye(1, X.shape[1])])
    y = np.concatenate([y, [1.0, 0.0]])
    w = np.zeros(X.shape[1])
    penalty = np.full(X.shape[1], l2)
    penalty[0] = 1e-6
    for _ in range(NEWTON_STEPS):
        p = 1 / (1 + np.exp(-X @ w))
        grad = X.T @ (p - y) + penalty * w
        hess = (X * (p * (1 - p))[:, None]).T @ X + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return w


def _name(gold_dir: Path) -> str:
    """A gold folder as the record names it: relative to the repository (``../shared/eval/dev``)."""
    return os.path.relpath(Path(gold_dir).resolve(), ROOT)


def ece(pairs: list[tuple[float, bool]], scorer) -> float | None:
    return scorer.calibration(pairs)["ece"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, action="append", help="gold folder (repeatable); default ../shared/eval/dev")
    ap.add_argument("--scorer", type=Path, default=ROOT.parent / "shared" / "eval" / "score.py")
    ap.add_argument("--l2", type=float, default=L2)
    ap.add_argument("--folds", type=int, default=FOLDS)
    ap.add_argument("--out", type=Path, default=ROOT / "nlp" / "data" / "confidence.json")
    ap.add_argument("--dry-run", action="store_true", help="report, write nothing")
    args = ap.parse_args()
    gold_dirs = args.gold or [ROOT.parent / "shared" / "eval" / "dev"]
    scorer = load_scorer(args.scorer)

    rows: dict[str, list[tuple[dict, bool, int]]] = {f: [] for f in FIELDS}
    sources: dict[str, set[str]] = {f: set() for f in FIELDS}
    rule_pairs: list[tuple[float, bool]] = []
    # What the model is fitted on, per gold set: documents, and judged predictions (right of all) per field.
    pooled: dict[str, dict] = {}
    doc_index = 0
    for gold_dir in gold_dirs:
        tally = pooled.setdefault(_name(gold_dir), {"documents": 0, "judged": {f: [0, 0] for f in FIELDS}})
        for gold, path in gold_documents([gold_dir]):
            x = _extract(path, calibrated=False)
            counts = title_counts(x.spans["initiatives"])
            for j in judged_spans(scorer, gold, x):
                rows[j.field].append((features(j.field, j.span, counts), j.right, doc_index))
                sources[j.field].add(j.span.source)
                rule_pairs.append((j.span.confidence, j.right))
                tally["judged"][j.field][0] += 1
                tally["judged"][j.field][1] += int(j.right)
            tally["documents"] += 1
            doc_index += 1

    model, cv_pairs, fit_pairs, summary = {}, [], [], {}
    for field, data in rows.items():
        if not data:
            continue
        names = sorted({k for f, _, _ in data for k in f})
        X = np.array([[1.0] + [f.get(k, 0.0) for k in names] for f, _, _ in data])
        y = np.array([float(ok) for _, ok, _ in data])
        groups = np.array([d for _, _, d in data])
        w = fit(X, y, args.l2)
        in_sample = 1 / (1 + np.exp(-X @ w))
        held_out = np.empty(len(y))
        doc_ids = np.unique(groups)
        for k in range(args.folds):
            test_docs = doc_ids[k::args.folds]
            test = np.isin(groups, test_docs)
            if not test.any():
                continue
            wk = fit(X[~test], y[~test], args.l2) if (~test).any() else w
            held_out[test] = 1 / (1 + np.exp(-X[test] @ wk))
        fit_pairs += list(zip(in_sample.round(3).tolist(), y.astype(bool).tolist()))
        cv_pairs += list(zip(held_out.round(3).tolist(), y.astype(bool).tolist()))
        weights = {k: round(float(v), 4) for k, v in zip(names, w[1:]) if abs(v) >= 1e-4}
        model[field] = {"intercept": round(float(w[0]), 4), "weights": weights, "sources": sorted(sources[field]),
                        "n": len(y), "right": int(y.sum()),
                        "ece_in_sample": ece(list(zip(in_sample, y.astype(bool))), scorer),
                        "ece_cross_validated": ece(list(zip(held_out, y.astype(bool))), scorer)}
        summary[field] = (len(y), int(y.sum()), model[field]["ece_in_sample"], model[field]["ece_cross_validated"])

    for name, tally in pooled.items():
        judged = ", ".join(f"{f} {n} ({right} right)" for f, (n, right) in tally["judged"].items())
        print(f"{name}: {tally['documents']} documents; judged {judged}")
    print(f"{'field':<12} {'n':>5} {'right':>6} {'ECE fit':>8} {'ECE cv':>7}")
    for field, (n, right, e_fit, e_cv) in summary.items():
        print(f"{field:<12} {n:>5} {right:>6} {e_fit:>8} {e_cv:>7}")
    overall = {"rules": ece(rule_pairs, scorer), "in_sample": ece(fit_pairs, scorer), "cross_validated": ece(cv_pairs, scorer)}
    print(f"all fields: ECE of the rules' own confidences {overall['rules']}, fitted {overall['in_sample']}, "
          f"cross-validated {overall['cross_validated']}")
    cal = scorer.calibration(cv_pairs)
    print("cross-validated reliability:", ", ".join(f"{b['bin']} n={b['n']} mean={b['confidence']} right={b['right']}"
                                                   for b in cal["bins"]))
    if args.dry_run:
        return 0
    out = {"_comment": "Written by scripts/fit_confidence.py (do not edit by hand): per field, a logistic regression on "
                       "nlp.confidence.features, fitted on the gold folders below.",
           "fitted": {"on": date.today().isoformat(), "gold": [_name(d) for d in gold_dirs],
                      "documents": sum(t["documents"] for t in pooled.values()),
                      "judged": sum(len(r) for r in rows.values()),
                      "by_gold": {name: {"documents": t["documents"],
                                         "judged": {f: {"n": n, "right": right} for f, (n, right) in t["judged"].items()}}
                                  for name, t in pooled.items()},
                      "l2": args.l2, "folds": args.folds, "ece": overall},
           "fields": model}
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
