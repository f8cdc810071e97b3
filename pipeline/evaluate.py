"""Evaluation: the shared scorer's per-field F1, and a reliability table that says what confidence means.

The reliability table bins every extracted reference, deadline, unit and initiative by its
confidence and shows, per bin, how many were right against the gold (matched with the
scorer's own rules). A calibrated extractor's precision rises with confidence; the review
threshold (``settings.REVIEW_THRESHOLD``) should sit where precision drops.
"""
from __future__ import annotations

import importlib.util
import json
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)


def load_scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("cchc_shared_score", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(f"no scorer at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Report:
    fields: dict[str, dict] = field(default_factory=dict)
    bins: list[dict] = field(default_factory=list)
    by_field: dict[str, list[dict]] = field(default_factory=dict)


def _judged(scorer: ModuleType, gold: dict, out: dict) -> list[tuple[str, float, bool]]:
    """(field, confidence, right) for every extracted item the gold can judge."""
    judged = []
    gold_refs = {scorer.norm_number(r["number"]) for r in gold.get("references", [])}
    for r in out["references"]:
        judged.append(("references", r["confidence"], scorer.norm_number(r["number"]) in gold_refs))
    gold_dl = set(gold.get("deadlines", []))
    for d in out["deadlines"]:
        if d["date"]:
            judged.append(("deadlines", d["confidence"], d["date"] in gold_dl))
    units = gold.get("units", {})
    alts = [a for group in scorer.as_alts(units.get("required", [])) + scorer.as_alts(units.get("optional", []))
            for a in group]
    for u in out["units"]:
        name = u.get("canonical") or u.get("name")
        judged.append(("units", u["confidence"], any(scorer.norm_text(name) == scorer.norm_text(a) for a in alts)))
    ini = gold.get("initiatives", {})
    titles = [a for group in scorer.as_alts(ini.get("required", [])) + scorer.as_alts(ini.get("optional", []))
              for a in group]
    for i in out["initiatives"]:
        judged.append(("initiatives", i["confidence"], any(scorer.title_match(i["title"], t) for t in titles)))
    return judged


def _table(items: list[tuple[float, bool]]) -> list[dict]:
    rows = []
    for lo, hi in zip(BINS, BINS[1:]):
        inside = [ok for c, ok in items if lo <= c < hi]
        if inside:
            rows.append({"bin": f"[{lo:.1f}, {min(hi, 1.0):.1f}{']' if hi > 1 else ')'}", "n": len(inside),
                         "precision": round(sum(inside) / len(inside), 3)})
    return rows


def evaluate(gold_dirs: list[Path], scorer_path: Path) -> Report:
    from nlp.extract import extract

    from nlp.contract import to_contract
    from extractors.reader import read_document

    scorer = load_scorer(scorer_path)
    report = Report()
    cmd = f"{shlex.quote(sys.executable)} -m cchc extract {{path}} --json"
    totals: dict[str, list[int]] = {}
    judged: list[tuple[str, float, bool]] = []
    for gold_dir in gold_dirs:
        result = scorer.score(gold_dir, cmd, verbose=False)
        for name, f in result["fields"].items():
            t = totals.setdefault(name, [0, 0, 0])
            t[0] += f["tp"]; t[1] += f["fp"]; t[2] += f["fn"]
        for gold_file in sorted(gold_dir.glob("*.gold.json")):
            gold = json.loads(gold_file.read_text(encoding="utf-8"))
            out = to_contract(extract(read_document(gold_dir / gold["file"])))
            judged.extend(_judged(scorer, gold, out))
    for name, (tp, fp, fn) in totals.items():
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        report.fields[name] = {"precision": round(p, 3), "recall": round(r, 3),
                               "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0, "tp": tp, "fp": fp, "fn": fn}
    report.bins = _table([(c, ok) for _, c, ok in judged])
    for name in ("references", "deadlines", "units", "initiatives"):
        report.by_field[name] = _table([(c, ok) for f, c, ok in judged if f == name])
    return report


def format_report(report: Report) -> str:
    from pipeline import settings

    lines = [f"{'field':<12} {'P':>6} {'R':>6} {'F1':>6}   tp/fp/fn"]
    for name, f in report.fields.items():
        lines.append(f"{name:<12} {f['precision']:>6.3f} {f['recall']:>6.3f} {f['f1']:>6.3f}   {f['tp']}/{f['fp']}/{f['fn']}")
    lines += ["", f"reliability (all fields; review threshold {settings.REVIEW_THRESHOLD}):",
              f"{'confidence':<12} {'n':>5} {'precision':>10}"]
    lines += [f"{b['bin']:<12} {b['n']:>5} {b['precision']:>10.3f}" for b in report.bins]
    for name, rows in report.by_field.items():
        lines.append(f"  {name}: " + ", ".join(f"{b['bin']} {b['precision']:.2f} (n={b['n']})" for b in rows))
    return "\n".join(lines)
