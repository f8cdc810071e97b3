"""`cchc extract` on every real file: contract JSON, NFC, spans that index `cchc text`; bad input: one line."""
from __future__ import annotations

import io
import random
import unicodedata
import zipfile

import pytest

from conftest import DEV, FIXTURES, REAL, extract_json, run_cchc

SPAN_LISTS = ("references", "dates", "deadlines", "units", "initiatives")


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


@pytest.mark.parametrize("path", REAL + DEV + sorted(FIXTURES.glob("*.docx")) + sorted(FIXTURES.glob("*.pdf")),
                         ids=lambda p: p.name)
def test_extract_contract_on_real_files(path):
    out = extract_json(path)
    text = run_cchc("text", str(path)).stdout[:-1]  # click.echo adds one newline
    assert out["schema"] == "cchc.extract/1"
    assert out["source"]["sha256"] and out["source"]["format"] in {"html", "pdf", "docx", "txt", "doc"}
    assert out["document"]["kind"] in {"news", "official"}
    assert out["document"]["text_chars"] == len(text)
    for s in _strings(out):
        assert unicodedata.is_normalized("NFC", s)
    for key in SPAN_LISTS:
        for item in out[key]:
            assert 0 <= item["start"] < item["end"] <= len(text)
            if "text" in item:
                assert text[item["start"]:item["end"]] == item["text"], (key, item)
            if "confidence" in item:
                assert 0.0 <= item["confidence"] <= 1.0
            if item.get("date"):
                assert len(item["date"]) == 10 and item["date"][4] == "-"


def test_nfd_inputs_come_out_nfc():
    for name in ("an-le-27-2019.pdf", "an-le-18-2018.docx"):
        path = next(p for p in REAL if p.name == name)
        raw = path.read_bytes()
        out = extract_json(path)
        assert out["document"]["number"] in {"27/2019/AL", "18/2018/AL"}
        assert raw  # the files are NFD inside (see corpus/SOURCES.md); the output is NFC (checked above)


def _bad_files(tmp_path):
    rnd = random.Random(7)
    files = {}
    files["empty.txt"] = b""
    files["blank.pdf"] = b"   \n"
    for ext in ("pdf", "docx", "doc", "html", "txt"):
        files[f"random.{ext}"] = bytes(rnd.randrange(256) for _ in range(3000))
    real_pdf = next(p for p in REAL if p.suffix == ".pdf").read_bytes()
    files["truncated.pdf"] = real_pdf[: len(real_pdf) // 3]
    files["not-a-zip.docx"] = b"PK\x03\x04 this is not really a zip archive" + bytes(200)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("../../evil.txt", "x")
    files["traversal.docx"] = buffer.getvalue()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("content.xml", "<x/>")
    files["other-zip.docx"] = buffer.getvalue()
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return files


def test_bad_inputs_give_one_line_and_no_traceback(tmp_path):
    files = _bad_files(tmp_path)
    files["encrypted.pdf"] = (FIXTURES.parent / "bad" / "encrypted.pdf").read_bytes()
    (tmp_path / "encrypted.pdf").write_bytes(files["encrypted.pdf"])
    expected = {"empty.txt": "empty", "blank.pdf": "empty", "truncated.pdf": "truncated", "not-a-zip.docx": "not a zip",
                "traversal.docx": "unsafe member", "other-zip.docx": "not a DOCX", "encrypted.pdf": "encrypted",
                "random.pdf": "not a PDF", "random.docx": "not a DOCX", "random.doc": "not a DOC"}
    for name in files:
        proc = run_cchc("extract", str(tmp_path / name), "--json")
        assert proc.returncode != 0, name
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1, (name, proc.stderr)
        assert "Traceback" not in proc.stderr
        assert name in lines[0]
        if name in expected:
            assert expected[name].lower() in lines[0].lower(), (name, lines[0])
        assert proc.stdout == ""


def test_pdf_without_text_or_page_images_says_there_is_nothing_to_ocr(tmp_path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    pdf.new_page(595, 842)
    target = tmp_path / "scan.pdf"
    pdf.save(str(target))
    proc = run_cchc("extract", str(target), "--json")
    assert proc.returncode != 0
    assert "no text layer" in proc.stderr and "no page image to OCR" in proc.stderr


def test_zip_bomb_is_refused(tmp_path, monkeypatch):
    from extractors import limits
    from extractors.errors import ReadError
    from extractors.reader import read_document

    monkeypatch.setattr(limits, "MAX_DOCX_UNCOMPRESSED_BYTES", 5 * 2**20)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\x00" * (20 * 2**20))
    target = tmp_path / "bomb.docx"
    target.write_bytes(buffer.getvalue())
    assert target.stat().st_size < 100_000
    with pytest.raises(ReadError, match="zip bomb"):
        read_document(target)


def test_file_over_the_size_cap_is_refused(tmp_path):
    target = tmp_path / "big.txt"
    target.write_bytes(b"a" * 5000)
    proc = __import__("subprocess").run(
        [*__import__("conftest").CCHC, "extract", str(target)], capture_output=True, text=True,
        env={**__import__("os").environ, "CCHC_MAX_FILE_BYTES": "1000"}, cwd=__import__("conftest").ROOT)
    assert proc.returncode != 0 and "over the" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_text_command_prints_normalised_text():
    path = next(p for p in REAL if p.name == "an-le-27-2019.pdf")
    proc = run_cchc("text", str(path))
    assert proc.returncode == 0
    assert unicodedata.is_normalized("NFC", proc.stdout)
    assert "Án lệ số 27/2019/AL" in proc.stdout
