"""OCR of scans made from the real corpus PDFs (rendered at 300 dpi: what a scanner makes of a printout).

Tesseract takes 1.5-11 s a page here, so the suite OCRs two full pages (a prose page and a
ruled table) and a few page headers; the CER over every corpus PDF is ``scripts/ocr_cer.py``.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw

from conftest import CORPUS, FIXTURES, run_cchc

AN_LE_28 = CORPUS / "real" / "an-le-28-2019.pdf"
AN_LE_27 = CORPUS / "real" / "an-le-27-2019.pdf"
TABLE_PDF = FIXTURES / "qd435-tasks.pdf"


@pytest.fixture(scope="module")
def page_one() -> Image.Image:
    from pipeline.ocr_eval import render_pages

    return render_pages(AN_LE_28, pages=[1])[0]


@pytest.fixture(scope="module")
def header(page_one) -> Image.Image:
    """The top of page 1: the title with the precedent's number and the date it was adopted."""
    return page_one.crop((0, 0, page_one.width, page_one.height // 5))


@pytest.fixture(scope="module")
def scanned_page_one(tmp_path_factory, page_one) -> tuple[Path, dict]:
    from pipeline.ocr_eval import save_scan

    path = save_scan([page_one], tmp_path_factory.mktemp("scan") / "an-le-28-p1.pdf")
    proc = run_cchc("extract", str(path), "--json")
    assert proc.returncode == 0, proc.stderr
    return path, json.loads(proc.stdout)


# --- a scanned page, end to end --------------------------------------------------------------

def test_scanned_page_reads_within_two_percent_cer_with_number_and_date(scanned_page_one):
    from extractors.reader import read_document
    from pipeline.ocr_eval import cer, text_layer

    path, out = scanned_page_one
    assert out["source"]["ocr_pages"] == [1]
    assert out["document"]["number"] == "28/2019/AL"
    assert out["document"]["date"] == "2019-08-22"
    assert 0.8 < out["source"]["ocr_confidence"] <= 1
    assert out["source"]["text_quality"] > 0.9
    text = read_document(path).text
    assert cer(text, text_layer(AN_LE_28)[1]) <= 0.02
    numbers = {r["number"] for r in out["references"]}
    assert {"293/QĐ-CA", "16/2018/HS-GĐT"} <= numbers


def test_every_span_from_an_ocr_page_goes_to_review(scanned_page_one):
    from nlp.extract import OCR_CONFIDENCE_FACTOR
    from pipeline.settings import REVIEW_THRESHOLD

    _, out = scanned_page_one
    spans = [s for field in ("references", "deadlines", "units", "initiatives") for s in out[field]]
    assert spans
    assert all(s["confidence"] <= OCR_CONFIDENCE_FACTOR < REVIEW_THRESHOLD for s in spans)
    from dataclasses import replace

    from extractors.reader import read_document
    from nlp.extract import extract

    path, _ = scanned_page_one
    doc = read_document(path)
    as_ocr, as_text = extract(doc).all_spans(), extract(replace(doc, ocr_pages=[])).all_spans()
    assert [(s.field, s.start, s.end) for s in as_ocr] == [(s.field, s.start, s.end) for s in as_text]
    assert [s.confidence for s in as_ocr] == [round(s.confidence * OCR_CONFIDENCE_FACTOR, 3) for s in as_text]


def test_born_digital_documents_carry_text_quality_and_no_ocr():
    proc = run_cchc("extract", str(AN_LE_28), "--json")
    source = json.loads(proc.stdout)["source"]
    assert source["ocr_pages"] == [] and source["ocr_confidence"] is None
    assert source["text_quality"] > 0.95


# --- mixed PDFs: only pages without a text layer -----------------------------------------------

@pytest.fixture(scope="module")
def mixed_pdf(tmp_path_factory) -> Path:
    """Page 1 born-digital (an-le-27), page 2 a scan of the ruled table of Quyết định 435."""
    from pipeline.ocr_eval import render_pages, save_scan

    folder = tmp_path_factory.mktemp("mixed")
    scan = save_scan(render_pages(TABLE_PDF, pages=[1]), folder / "table-scan.pdf")
    out = pdfium.PdfDocument.new()
    born, scanned = pdfium.PdfDocument(str(AN_LE_27)), pdfium.PdfDocument(str(scan))
    out.import_pages(born, [0])
    out.import_pages(scanned, [0])
    path = folder / "mixed.pdf"
    out.save(str(path))
    for pdf in (out, born, scanned):
        pdf.close()
    return path


def test_mixed_pdf_ocrs_only_the_scanned_page_and_reads_its_table_by_cells(mixed_pdf):
    from extractors.reader import read_document

    doc = read_document(mixed_pdf)
    assert doc.ocr_pages == [2]
    assert doc.pages == 2
    page_one = "\n".join(doc.block_text(b) for b in doc.blocks if b.page == 1)
    assert "Án lệ số 27/2019/AL" in page_one
    tables = [t for t in doc.tables if t.page == 2]
    assert len(tables) == 1
    rows = [[c.text for c in row] for row in tables[0].rows]
    assert rows[0] == ["STT", "Nhiệm vụ", "Cơ quan thực hiện", "Thời gian thực hiện"]
    first = rows[1]
    assert first[0] == "1" and first[1].startswith("Tuyên truyền nâng cao nhận thức")
    assert first[2] == "Các sở, ban, ngành; Ủy ban nhân dân các huyện, thành phố."
    assert "37-CT/TW" in first[3] and first[3].endswith("trong quý II/2020.")


def test_no_ocr_reads_the_text_pages_and_says_which_were_left(mixed_pdf, tmp_path, page_one):
    from pipeline.ocr_eval import save_scan

    proc = run_cchc("extract", str(mixed_pdf), "--json", "--no-ocr")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["source"]["ocr_pages"] == []
    assert "page 2 has no text layer and was not read: OCR is off" in out["source"]["warnings"]
    scan = save_scan([page_one], tmp_path / "scan.pdf")
    proc = run_cchc("extract", str(scan), "--no-ocr")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "scanned PDF" in proc.stderr and "OCR is off" in proc.stderr
    env_off = {**os.environ, "CCHC_OCR": "0"}
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "cchc", "text", str(scan)], capture_output=True, text=True, env=env_off)
    assert proc.returncode == 2 and "OCR is off" in proc.stderr


# --- images in the inbox -----------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".png", ".jpg", ".tiff"])
def test_images_are_read_by_ocr(tmp_path, header, suffix):
    from extractors.reader import read_document
    from nlp.extract import extract
    from pipeline.ocr_eval import save_scan

    frames = [header, header.rotate(0)] if suffix == ".tiff" else [header]
    path = save_scan(frames, tmp_path / f"header{suffix}")
    doc = read_document(path)
    assert doc.format == {".png": "png", ".jpg": "jpeg", ".tiff": "tiff"}[suffix]
    assert doc.ocr_pages == list(range(1, len(frames) + 1))
    header_fields = extract(doc).header
    assert (header_fields["number"], header_fields["date"]) == ("28/2019/AL", "2019-08-22")


def test_an_image_is_catalogued_with_its_ocr_record_and_its_fields_pending_review(db, tmp_path, header):
    from pipeline.ingest import ingest_path
    from pipeline.ocr_eval import save_scan
    from pipeline.review import pending
    from pipeline.settings import REVIEW_THRESHOLD

    path = save_scan([header], tmp_path / "an-le-28-header.png")
    result = ingest_path(db, path)
    assert result.status == "new", result.reason
    row = db.execute("SELECT format, number, ocr_pages, ocr_confidence, text_quality FROM documents").fetchone()
    assert row[0] == "png" and row[1] == "28/2019/AL"
    assert json.loads(row[2]) == [1] and 0.8 < row[3] <= 1 and row[4] > 0.9
    from pipeline.review import REVIEWABLE

    mentions = db.execute(f"SELECT count(*), max(confidence) FROM mentions WHERE entity IN "
                          f"({','.join('?' * len(REVIEWABLE))})", list(REVIEWABLE)).fetchone()
    assert mentions[0] > 0 and mentions[1] < REVIEW_THRESHOLD
    assert len(pending(db, REVIEW_THRESHOLD)) == mentions[0]  # every one of them waits for a person


def test_a_damaged_image_is_one_clear_line(tmp_path):
    path = tmp_path / "broken.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    proc = run_cchc("extract", str(path))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "image" in proc.stderr and "Traceback" not in proc.stderr


# --- limits -------------------------------------------------------------------------------------

def _live_tesseract_children() -> list[int]:
    live = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            content = stat.read_text()
        except OSError:
            continue
        name = content[content.index("(") + 1:content.rindex(")")]
        state, ppid = content[content.rindex(")") + 2:].split()[:2]
        if name == "tesseract" and int(ppid) == os.getpid() and state != "Z":
            live.append(int(stat.parent.name))
    return live


def test_a_page_over_its_timeout_is_reported_and_its_tesseract_killed(monkeypatch, page_one):
    from extractors import limits
    from extractors.ocr import ocr_pages

    monkeypatch.setattr(limits, "OCR_PAGE_TIMEOUT_SECONDS", 1)
    big = page_one.resize((page_one.width * 2, page_one.height * 2))  # a 600 dpi page: several seconds of OCR
    run = ocr_pages([1], lambda n: (big.copy(), 600))
    assert run.pages[0].items == [] and run.read == []
    assert run.warnings == ["page 1: OCR stopped after 1 s"]
    assert _live_tesseract_children() == []


def test_the_page_cap_leaves_later_pages_with_a_warning(monkeypatch, header):
    from extractors import limits
    from extractors.ocr import ocr_pages

    monkeypatch.setattr(limits, "OCR_MAX_PAGES", 1)
    small = header.crop((0, 0, header.width, header.height // 2))
    run = ocr_pages([1, 2, 3], lambda n: (small.copy(), 300))
    assert [p.page for p in run.pages] == [1]
    assert run.warnings == ["pages 2-3 were not OCR'd: over the cap of 1 pages (CCHC_OCR_MAX_PAGES)"]


# --- post-correction (sentences written for the test in the forms of official texts) ---------------

@pytest.mark.parametrize("read, meant", [
    ("Căn cứ Nghị quyết số 23/2003/QHII ngày 26-1 1-2003 của Quốc hội",
     "Căn cứ Nghị quyết số 23/2003/QH11 ngày 26-11-2003 của Quốc hội"),
    ("Nghị quyết số 755/2005/NQ-UBTVQHI1", "Nghị quyết số 755/2005/NQ-UBTVQH11"),
    ("theo Quyết định số 293/0Đ-CA ngày 09 tháng 9 năm 2019", "theo Quyết định số 293/QĐ-CA ngày 09 tháng 9 năm 2019"),
    ("áp dụng khoản I Điều 5 và Điều l của Luật", "áp dụng khoản 1 Điều 5 và Điều 1 của Luật"),
    ("năm 2O21 đã tổ chức 0I đợt", "năm 2021 đã tổ chức 01 đợt"),
    ("hồ sơ thuộc thâm quyền giải quyêt của Ủy ban nhân dân tỉnh", "hồ sơ thuộc thẩm quyền giải quyết của Ủy ban nhân dân tỉnh"),
    ("gửi báo cáo trước ngảy 15/12/2024", "gửi báo cáo trước ngày 15/12/2024"),
    ("Ấn lệ số 12/2020/AL được Hội động Thẩm phán thông qua", "Án lệ số 12/2020/AL được Hội đồng Thẩm phán thông qua"),
    ("ỦY BAN NHÂN DẢN TỈNH LÂM ĐỒNG", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"),
])
def test_post_correction_fixes_what_tesseract_gets_wrong(read, meant):
    from extractors.ocr_correct import correct

    assert correct(read)[0] == meant


@pytest.mark.parametrize("right", [
    "Ủy ban nhân dân tỉnh Kon Tum ban hành Kế hoạch số 12/KH-UBND ngày 05 tháng 3 năm 2021 về cải cách hành chính.",
    "Hỗ trợ tái định cư cho hộ gia đình bà Võ Thị Lan tại tỉnh Vĩnh Long.",
    "Phần I, Chương II, Mục I: thực hiện trong quý II/2020; HĐND, UBND, CCHC và TTHC giữ nguyên.",
    "Hòa giải ở cơ sở, hoà nhập cộng đồng, thủy lợi, thuỷ sản.",
    "Đơn vị có quan hệ công tác với cơ quan; tiêu chí thi đua; điều chỉnh phù hợp.",
    "Quận 6, quận Gò Vấp, Cổng dịch vụ công quốc gia, tỉnh Đắk Lắk.",
])
def test_post_correction_leaves_right_text_alone(right):
    from extractors.ocr_correct import correct

    assert correct(right) == (right, 0)


# --- measures ------------------------------------------------------------------------------------

def test_edit_distance_and_cer():
    from pipeline.ocr_eval import cer, edit_distance

    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance("", "abc") == edit_distance("abc", "") == 3
    assert edit_distance("đến", "đên") == 1  # NFC: one letter differs
    assert cer("Số  12/KH-UBND\n", "Số 12/KH-UBND") == 0
    assert cer("Sô 12/KH-UBND", "Số 12/KH-UBND") == pytest.approx(1 / 13)


def test_text_quality_tells_vietnamese_from_garbage():
    from extractors.vietnamese import syllable_share

    assert syllable_share("Ủy ban nhân dân thành phố Hà Nội tổ chức hội nghị") == 1.0
    assert syllable_share("Uû ban nh©n d©n thµnh phè Hµ Néi tæ chøc héi nghÞ") < 0.5  # TCVN3 left undecoded
    assert syllable_share("12/2020 - 15.3") is None


def test_ruled_tables_are_found_in_an_image_and_underlines_are_not():
    from extractors.ocr_layout import find_grids

    image = Image.new("L", (1200, 900), 255)
    draw = ImageDraw.Draw(image)
    for x in (100, 500, 1100):
        draw.line([(x, 200), (x, 800)], fill=0, width=3)
    for y in (200, 400, 800):
        draw.line([(100, y), (1100, y)], fill=0, width=3)
    draw.line([(100, 100), (900, 100)], fill=0, width=3)  # an underline above: not a table
    (grid,) = find_grids(np.asarray(image), 300)
    assert [abs(a - b) <= 4 for a, b in zip(grid.columns, (100, 500, 1100))] == [True] * 3
    assert len(grid.rows) == 3 and abs(grid.rows[1] - 400) <= 4
    assert grid.cell(300, 300) == (0, 0) and grid.cell(700, 600) == (1, 1) and grid.cell(300, 100) is None
    underline_only = Image.new("L", (1200, 900), 255)
    ImageDraw.Draw(underline_only).line([(100, 100), (900, 100)], fill=0, width=3)
    assert find_grids(np.asarray(underline_only), 300) == []


def test_post_correction_changes_nothing_in_a_born_digital_text():
    from extractors.ocr_correct import correct
    from extractors.reader import read_document

    text = read_document(CORPUS / "real" / "kon-tum-435-qd-ubnd-2020.txt").text
    assert correct(text) == (text, 0)
