"""Speed and scale: the text size cap, the fast text hygiene path, parallel inbox and crawl, Dask."""
from __future__ import annotations

import os
import subprocess

import pytest

from conftest import CCHC, ROOT


def _official_text(kilobytes: int) -> bytes:
    paragraph = ("Ủy ban nhân dân Quận 6 ban hành Kế hoạch số 123/KH-UBND ngày 05/3/2021 về việc "
                 "triển khai mô hình “Dân vận khéo” trong cải cách hành chính.\n").encode()
    return paragraph * (kilobytes * 1024 // len(paragraph) + 1)


def test_text_over_the_size_cap_is_refused_in_one_line_and_recorded(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(_official_text(300))
    small = tmp_path / "small.txt"
    small.write_bytes(_official_text(2))
    env = {**os.environ, "CCHC_MAX_TEXT_BYTES": str(200 * 1024)}
    proc = subprocess.run([*CCHC, "ingest", str(big), str(small), "--db", str(tmp_path / "c.db"), "--workers", "1"],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    assert proc.returncode == 1  # one file failed; the batch went on
    failed = [line for line in proc.stderr.splitlines() if "failed:" in line]
    assert len(failed) == 1 and "over the 0.2 MB cap for one text" in failed[0], proc.stderr
    from pipeline.catalogue import connect

    db = connect(tmp_path / "c.db")
    assert db.execute("SELECT path, code FROM failures").fetchall() == [(str(big), "too-large")]
    assert db.execute("SELECT path FROM documents").fetchall() == [(str(small),)]


def test_the_text_read_out_of_any_format_is_capped(tmp_path, monkeypatch):
    import io

    import docx

    from extractors import limits
    from extractors.errors import ReadError
    from extractors.reader import read_bytes

    d = docx.Document()
    for line in _official_text(128).decode().splitlines():
        d.add_paragraph(line)
    buffer = io.BytesIO()
    d.save(buffer)
    monkeypatch.setattr(limits, "MAX_TEXT_BYTES", 64 * 1024)
    assert len(buffer.getvalue()) < 64 * 1024  # the file is small; its text is not
    with pytest.raises(ReadError, match="text of the DOCX is .* over the") as caught:
        read_bytes(buffer.getvalue(), "long.docx")
    assert caught.value.code == "too-large"


def test_clean_block_still_removes_invisible_characters_and_odd_spaces():
    from extractors.text_hygiene import clean_block

    assert clean_block("Quy\u200bết\u00a0định\tsố 12/QĐ\ufffe84\u00ad") == "Quyết định số 12/QĐ-84"
    assert clean_block("Quyết định số 12") == "Quyết định số 12"
