"""Evaluation: the shared scorer's per-field F1 and its reliability table (ECE), and the judged
spans the confidence model is fitted on.

The shared scorer (``../shared/eval/score.py``) is loaded as a module and run in this process
(its ``run_extractor`` pointed at our extractor), so ``cchc eval`` prints exactly the figures the
scorer prints, without a process per document. ``judged_spans`` says, for every span the scorer
judges (references once per number, deadlines once per date, units and initiatives once per
distinct prediction), whether it was right, by the scorer's own matching rules.
"""
from __future__ import annotations

import importlib.util
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from nlp.span import Span

BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)


def load_scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("cchc_shared_score", path)
    if spec is None or spec.loader is None or not Path(path).exists():
        raise FileNotFoundError(f"no scorer at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Report:
    fields: dict[str, dict] = field(default_factory=dict)
    calibration: dict = field(default_factory=dict)  # the scorer's: bins, ece, n
    by_field: dict[str, list[dict]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Judged:
    field: str
    span: Span
    right: bool
    document: str


def _extract(path: Path, calibrated: bool = True):
    from extractors.reader import read_document
    from nlp.extract import extract

    return extract(read_document(path), calibrated=calibrated)


def judged_spans(scorer: ModuleType, gold: dict, x) -> list[Judged]:
    """Every span of extraction ``x`` that the scorer judges against ``gold``, with its outcome."""
    from nlp.contract import to_contract

    out = to_contract(x)
    doc = gold["file"]
    judged: list[Judged] = []
    gold_refs = {scorer.norm_number(r["number"]) for r in gold.get("references", [])}
    first: dict[str, Span] = {}
    for span, r in zip(x.spans["references"], out["references"]):
        first.setdefault(scorer.norm_number(r["number"]), span)
    judged += [Judged("references", s, k in gold_refs, doc) for k, s in first.items()]
    gold_dl = set(gold.get("deadlines", []))
    optional_dl = set(gold.get("deadlines_optional", [])) - gold_dl
    best: dict[str, Span] = {}
    for span in x.spans["deadlines"]:
        day = span.value.get("date")
        if day and day not in optional_dl and (day not in best or span.confidence > best[day].confidence):
            best[day] = span
    judged += [Judged("deadlines", s, day in gold_dl, doc) for day, s in best.items()]
    for name, key, same in (("units", lambda u: u.get("canonical") or u.get("name") or "",
                             lambda a, b: scorer.norm_text(a) == scorer.norm_text(b)),
                            ("initiatives", lambda i: i.get("title", ""), scorer.title_match)):
        g = gold.get(name, {})
        outcomes: list = []
        scorer.match_sets([key(item) for item in out[name]], scorer.as_alts(g.get("required", [])),
                          scorer.as_alts(g.get("optional", [])), same, outcomes)
        spans = [s for s in x.spans[name] if not (name == "initiatives" and s.value.get("repeat"))]
        judged += [Judged(name, s, o, doc) for s, o in zip(spans, outcomes) if o is not None]
    return judged


def gold_documents(gold_dirs: list[Path]) -> list[tuple[dict, Path]]:
    docs = []
    for gold_dir in gold_dirs:
        for gold_file in sorted(Path(gold_dir).glob("*.gold.json")):
            gold = json.loads(gold_file.read_text(encoding="utf-8"))
            docs.append((gold, gold_file.parent / gold["file"]))
    return docs


def _table(items: list[tuple[float, bool]]) -> list[dict]:
    rows = []
    for lo, hi in zip(BINS, BINS[1:]):
        inside = [ok for c, ok in items if lo <= c < hi]
        if inside:
            rows.append({"bin": f"[{lo:.1f}, {min(hi, 1.0):.1f}{']' if hi > 1 else ')'}", "n": len(inside),
                         "precision": round(sum(inside) / len(inside), 3)})
    return rows


def evaluate(gold_dirs: list[Path], scorer_path: Path) -> Report:
    from nlp.contract import to_contract

    scorer = load_scorer(scorer_path)
    extractions: dict[Path, object] = {}

    def run_in_process(cmd: str, path: Path) -> tuple[dict, float]:
        t0 = time.perf_counter()
        try:
            x = _extract(Path(path))
        except Exception as exc:  # noqa: BLE001 - the scorer records any failure as an empty answer
            raise RuntimeError(f"{path}: {exc}") from exc
        extractions[Path(path)] = x
        return to_contract(x), time.perf_counter() - t0

    scorer.run_extractor = run_in_process
    result = scorer.score([Path(d) for d in gold_dirs], "in-process", verbose=False)
    report = Report(fields=result["fields"], calibration=result["calibration"])
    judged = [j for gold, path in gold_documents(gold_dirs) if Path(path) in extractions
              for j in judged_spans(scorer, gold, extractions[Path(path)])]
    for name in ("references", "deadlines", "units", "initiatives"):
        report.by_field[name] = _table([(j.span.confidence, j.right) for j in judged if j.field == name])
    return report


def format_report(report: Report) -> str:
    from pipeline import settings

    lines = [f"{'field':<12} {'P':>6} {'R':>6} {'F1':>6}   tp/fp/fn"]
    for name, f in report.fields.items():
        lines.append(f"{name:<12} {f['precision']:>6.3f} {f['recall']:>6.3f} {f['f1']:>6.3f}   {f['tp']}/{f['fp']}/{f['fn']}")
    cal = report.calibration
    lines += ["", f"reliability (references, deadlines, units, initiatives; ECE {cal.get('ece')} over {cal.get('n')} "
                  f"predictions; review threshold {settings.REVIEW_THRESHOLD}):",
              f"{'confidence':<12} {'n':>5} {'mean':>6} {'right':>6}"]
    lines += [f"{b['bin']:<12} {b['n']:>5} {b['confidence']:>6.2f} {b['right']:>6.2f}" for b in cal.get("bins", [])]
    lines.append("by field (share right per confidence bin):")
    for name, rows in report.by_field.items():
        lines.append(f"  {name}: " + ", ".join(f"{b['bin']} {b['precision']:.2f} (n={b['n']})" for b in rows))
    return "\n".join(lines)
