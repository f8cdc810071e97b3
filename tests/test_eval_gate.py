"""The evaluation gate: the shared scorer over the gold sets, against per-field floors in floors.json."""
from __future__ import annotations

import json
import shlex
import subprocess
import sys

import pytest

from conftest import ROOT

SCORER = ROOT.parent / "shared" / "eval" / "score.py"
FLOORS = json.loads((ROOT / "tests" / "floors.json").read_text(encoding="utf-8"))
GOLD_SETS = [k for k in FLOORS if not k.startswith("_")]


@pytest.mark.parametrize("gold", GOLD_SETS)
def test_scores_do_not_fall_below_their_floors(gold):
    assert SCORER.exists(), f"the shared scorer is expected at {SCORER}"
    cmd = f"{shlex.quote(sys.executable)} -m cchc extract {{path}} --json"
    proc = subprocess.run([sys.executable, str(SCORER), "--gold", str(ROOT / gold), "--cmd", cmd, "--json"],
                          capture_output=True, text=True, cwd=ROOT)
    result = json.loads(proc.stdout[: proc.stdout.rindex("}") + 1])
    errors = [d for d in result["documents"] if d.get("error")]
    assert not errors, errors
    fields = result["fields"]
    floors = {f: v for f, v in FLOORS[gold].items() if not f.startswith("_")}
    below = {f: (fields[f]["f1"], floor) for f, floor in floors.items() if fields[f]["f1"] < floor}
    assert not below, f"F1 below its floor (got, floor): {below}"
    ceiling = FLOORS[gold].get("_max_ece")
    if ceiling is not None:
        ece = result["calibration"]["ece"]
        assert ece <= ceiling, f"confidence calibration error {ece} above its ceiling {ceiling}"


def test_project_gold_covers_at_least_eight_real_files():
    files = list((ROOT / "corpus" / "gold").glob("*.gold.json"))
    assert len(files) >= 8
    for f in files:
        gold = json.loads(f.read_text(encoding="utf-8"))
        assert (f.parent / gold["file"]).exists(), gold["file"]
