"""The fitted confidence: applied in one place from data, refittable, and shown by ``cchc eval``."""
from __future__ import annotations

import json
import math
import subprocess
import sys

from conftest import CORPUS, ROOT, run_cchc
from extractors.reader import read_document
from nlp.confidence import features, model, probability, title_counts
from nlp.extract import extract

SCORER = ROOT.parent / "shared" / "eval" / "score.py"


def test_every_fitted_span_carries_the_model_probability_of_its_features():
    doc = read_document(CORPUS / "news" / "ninhthuan-snv-dien-hinh-tien-tien-2020.txt")
    raw, fitted = extract(doc, calibrated=False), extract(doc)
    coefficients = model()
    for field in ("references", "deadlines", "units", "initiatives"):
        counts = title_counts(raw.spans["initiatives"]) if field == "initiatives" else None
        for before, after in zip(raw.spans[field], fitted.spans[field]):
            assert (before.start, before.end, before.value) == (after.start, after.end, after.value)
            expected = probability(coefficients[field], features(field, before, counts))
            if before.source in coefficients[field]["sources"]:
                assert math.isclose(after.confidence, round(expected, 3))
            else:
                assert after.confidence == before.confidence
    assert fitted.spans["initiatives"], "the text names three emulation movements"


def test_a_rule_the_model_never_saw_judged_keeps_its_own_confidence():
    from nlp.extract import extract as run
    from extractors.reader import read_bytes

    text = "Đợt thi đua được triển khai từ ngày 01/3/2026 đến hết ngày 30/4/2026.\n"  # a period's end: never judged
    raw, fitted = (run(read_bytes(text.encode(), "plan.txt"), calibrated=c) for c in (False, True))
    (before,), (after,) = raw.spans["deadlines"], fitted.spans["deadlines"]
    assert before.source not in model()["deadlines"]["sources"] and after.confidence == before.confidence


def test_a_feature_the_model_never_saw_weighs_nothing():
    coefficients = {"intercept": 0.5, "weights": {"seen": 2.0}}
    assert probability(coefficients, {"never seen": 9.0}) == probability(coefficients, {})
    assert probability(coefficients, {"seen": 1.0}) > probability(coefficients, {})


def test_the_fit_script_reports_in_sample_and_cross_validated_errors(tmp_path):
    out = tmp_path / "confidence.json"
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "fit_confidence.py"), "--gold", str(CORPUS / "news"),
                           "--gold", str(CORPUS / "gold"), "--scorer", str(SCORER), "--folds", "3", "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "cross-validated" in proc.stdout
    written = json.loads(out.read_text(encoding="utf-8"))
    assert set(written["fields"]) == {"references", "deadlines", "units", "initiatives"}
    record = written["fitted"]
    assert record["gold"] == ["corpus/news", "corpus/gold"]  # pooled, named as the repository sees them
    assert record["by_gold"]["corpus/news"]["documents"] == 4
    per_set = [sum(f["n"] for f in g["judged"].values()) for g in record["by_gold"].values()]
    assert all(n > 0 for n in per_set) and sum(per_set) == record["judged"] == sum(
        f["n"] for f in written["fields"].values())
    for fitted in written["fields"].values():
        assert 0 <= fitted["ece_cross_validated"] <= 1 and fitted["n"] >= fitted["right"] >= 0


def test_cchc_eval_prints_the_reliability_table_and_its_ece():
    proc = run_cchc("eval", str(CORPUS / "news"), "--scorer", str(SCORER))
    assert proc.returncode == 0, proc.stderr
    assert "initiatives" in proc.stdout and "ECE" in proc.stdout and "0.90-1.00" in proc.stdout
