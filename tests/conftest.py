from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
REAL = sorted(p for p in (CORPUS / "real").iterdir() if p.suffix in {".txt", ".pdf", ".docx", ".doc", ".html"})
DEV = sorted((CORPUS / "dev").glob("*.txt"))
FIXTURES = CORPUS / "fixtures"
CCHC = [sys.executable, "-m", "cchc"]
# The interface language is Vietnamese unless asked otherwise; the suite pins it so that a machine's
# locale (en_US on many) does not change what the tests read. Tests of English set CCHC_LANG=en.
os.environ["CCHC_LANG"] = "vi"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run_cchc(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """The real command in a child process: what a user's shell sees (exit status, stderr lines)."""
    return subprocess.run([*CCHC, *args], capture_output=True, text=True, cwd=cwd)


def extract_json(path: Path) -> dict:
    proc = run_cchc("extract", str(path), "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def catalogue_at_version(path: Path, version: int):
    """A catalogue file as an older release left it: the first `version` migrations, nothing after.
    Returns the sqlite_utils Database on an autocommit connection (close it before opening the
    file with `pipeline.catalogue.connect`, which migrates it)."""
    import sqlite3

    import sqlite_utils

    from pipeline.catalogue import MIGRATIONS

    old = sqlite_utils.Database(sqlite3.connect(path, isolation_level=None))
    old["meta"].create({"key": str, "value": str}, pk="key")
    for step in MIGRATIONS[:version]:
        step(old)
    old["meta"].insert({"key": "schema_version", "value": str(version)})
    return old


@pytest.fixture
def db(tmp_path):
    from pipeline.catalogue import connect

    return connect(tmp_path / "catalogue.db")
