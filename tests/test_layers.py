"""The layering contract (pyproject.toml, [tool.importlinter]): every import points down.

cchc (command line, web) > flows (Prefect) > pipeline (catalogue) > nlp (fields) > extractors (readers).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

LAYERS = ("cchc", "flows", "pipeline", "nlp", "extractors")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    # grimp finds the packages on sys.path: the checkout (or its copy) comes first.
    env = {"PYTHONPATH": str(cwd), "PATH": str(Path(sys.executable).parent), "HOME": str(cwd)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, env=env)


def test_every_import_points_down_the_layers():
    proc = _lint(ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 kept, 0 broken" in proc.stdout


def test_an_import_that_points_up_breaks_the_contract(tmp_path):
    """The contract bites: a reader importing a field extractor is refused."""
    for name in LAYERS:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "data"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    upward = tmp_path / "extractors" / "txt.py"
    upward.write_text("from nlp.keys import fold  # points up\n" + upward.read_text(encoding="utf-8"), encoding="utf-8")
    proc = _lint(tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "BROKEN" in proc.stdout and "extractors.txt -> nlp.keys" in proc.stdout
