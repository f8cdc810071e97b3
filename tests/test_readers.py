"""Each reader on the real files, with must-contain / must-not-contain snippets."""
from __future__ import annotations

import unicodedata

import pytest

from conftest import CORPUS, FIXTURES
from extractors.reader import detect_format, read_bytes, read_document
from nlp.extract import extract

REAL = CORPUS / "real"


def test_txt_utf8_flattened_header():
    doc = read_document(REAL / "kon-tum-435-qd-ubnd-2020.txt")
    assert doc.format == "txt"
    assert "Số: 435/QĐ-UBND Kon Tum, ngày 04 tháng 5 năm 2020" in doc.text
    assert unicodedata.is_normalized("NFC", doc.text)
    assert doc.sha256 and len(doc.sha256) == 64


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: letters with ^, ˘, ' precomposed, tone marks combining."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
        out.append(base + tones)
    return "".join(out).encode("cp1258", errors="strict")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "cp1258"])
def test_txt_encodings_decode_to_the_same_text(encoding):
    original = (REAL / "kon-tum-435-qd-ubnd-2020.txt").read_text(encoding="utf-8")
    original = original.replace("–", "-").replace("“", '"').replace("”", '"')  # outside cp1258
    data = to_cp1258(original) if encoding == "cp1258" else original.encode(encoding)
    doc = read_bytes(data, "x.txt")
    assert "Quyết định 435/QĐ-UBND" in doc.text
    assert "Ủy ban nhân dân tỉnh Kon Tum" in doc.text
    assert unicodedata.is_normalized("NFC", doc.text)


def test_txt_page_chrome_is_removed():
    doc = read_document(CORPUS / "dev" / "q6-nhan-rong-sang-kien-2020.txt")
    for chrome in ("Skip Ribbon Commands", "Skip to main content", "Số lượt người xem", "Bản in", "Quay lại"):
        assert chrome not in doc.text
    assert "Văn bản số 1119/UBND-NV" in doc.text
    assert "KHÁNH HÀ" in doc.text


def test_html_article_and_metadata():
    doc = read_document(REAL / "vbpl-thuoc-tinh-101-2015-qh13.html")
    assert doc.format == "html"
    assert "101/2015/QH13" in doc.text and "27/11/2015" in doc.text
    for chrome in ("Lên đầu trang", "Sơ đồ", "Trang chủ", "This div, which you should delete"):
        assert chrome not in doc.text
    assert doc.title and "101/2015/QH13" in doc.title
    assert doc.tables and any("Số ký hiệu" in c.text for row in doc.tables[0].rows for c in row)


ARTICLE = ("<p>Ủy ban nhân dân huyện tổ chức hội nghị triển khai kế hoạch cải cách hành chính năm 2021, "
           "giao các phòng chuyên môn rà soát thủ tục hành chính và báo cáo kết quả về Phòng Nội vụ.</p>") * 3


@pytest.mark.parametrize("date_line, expected", [
    ('<div class="article-date">Thứ sáu, 20/08/2021 | 14:35 GMT+7</div>', "2021-08-20"),
    ('<p class="post-meta">Ngày đăng: 05-3-2021 08:45 · Lượt xem: 120</p>', "2021-03-05"),
    ('<div class="summary">Thứ sáu, 20/08/2021</div>', None),  # not named as a date line
])
def test_html_date_line_under_the_headline(date_line, expected):
    html = (f'<html><body><div class="top-date">Thứ hai, 30/08/2021 | 07:00 GMT+7</div><h1>Huyện triển khai cải cách hành '
            f'chính năm 2021</h1>{date_line}<div class="content">{ARTICLE}</div></body></html>')
    assert read_bytes(html.encode(), "page.html").published == expected  # never the top bar's today-date


def test_html_date_line_under_a_headline_set_in_a_lower_heading():
    # no <h1>: the headline is the <h2> the page's <title> repeats, not a sidebar box's title
    html = ('<html><head><title>Huyện triển khai cải cách hành chính năm 2021 - Cổng thông tin</title></head><body>'
            '<div class="box"><h3>LIÊN KẾT</h3><div class="ngay">Thứ hai, 30/08/2021</div></div>'
            '<h2>Huyện triển khai cải cách hành chính năm 2021</h2><div class="ngay">Thứ sáu, 20/08/2021 - 10:05</div>'
            f'<div class="noidung">{ARTICLE}</div></body></html>')
    assert read_bytes(html.encode(), "page.html").published == "2021-08-20"


def test_html_date_line_above_a_headline_the_title_does_not_repeat_with_the_month_as_a_word():
    # the <title> is the site's name; the date line sits right above the <h2> headline, the month in words
    html = ('<html><head><title>Trang chủ - Trung tâm Phục vụ hành chính công tỉnh</title></head><body>'
            '<div id="topbar">Đăng nhập | Hỏi đáp</div><div class="content">'
            '<div class="newsdate">Thứ Hai, 12 Tháng Mười Một 2019 | 08:15</div>'
            '<h2>Huyện triển khai cải cách hành chính năm 2019</h2>'
            f'{ARTICLE * 3}</div></body></html>')  # long enough that the article extraction drops the date line
    doc = read_bytes(html.encode(), "page.html")
    assert doc.text.index("12 Tháng Mười Một 2019") < doc.text.index("Ủy ban nhân dân huyện")  # above the article
    assert extract(doc).header["date"] == "2019-11-12"


def test_html_without_article_falls_back_and_says_so():
    html = "<html><head><title>Trang tin</title></head><body><nav>Trang chủ</nav><p>Ngắn.</p></body></html>"
    doc = read_bytes(html.encode(), "page.html")
    assert "Ngắn." in doc.text
    assert any("BeautifulSoup" in w for w in doc.warnings)


def test_html_lead_paragraph_is_part_of_the_article():
    # a portal's lead (sapo) in its own block, before a long enough body: the article extraction leaves it out
    body = "".join(f"<p>Đoạn {i}: Sở Nội vụ hướng dẫn các cơ quan, đơn vị đăng ký sáng kiến cải cách hành chính, gửi bản "
                   "đăng ký đúng hạn để tổng hợp, trình Hội đồng xem xét, đánh giá và công nhận theo quy chế của tỉnh.</p>"
                   for i in range(6))
    html = ("<html><head><title>Tin tức</title></head><body><nav><ul><li><a href='/'>Trang chủ</a></li></ul></nav>"
            "<div class='content'><div class='path'>Trang chủ / Tin tức</div>"
            "<h1>Đăng ký sáng kiến cải cách hành chính năm 2022</h1><div class='date'>(09:12 | 09/03/2022)</div>"
            "<div class='sapo'><strong>Ngày 05/3/2022, Sở Nội vụ ban hành Công văn số 312/SNV-CCHC về việc đăng ký "
            f"sáng kiến cải cách hành chính năm 2022.</strong></div>{body}</div></body></html>")
    lines = read_bytes(html.encode(), "page.html").text.split("\n")
    lead = [i for i, line in enumerate(lines) if "312/SNV-CCHC" in line]
    assert len(lead) == 1 and lines[0].startswith("Đăng ký sáng kiến") and lead[0] < next(
        i for i, line in enumerate(lines) if line.startswith("Đoạn 0"))


def test_html_declared_legacy_charset():
    text = "<html><head><meta charset='windows-1258'><title>T</title></head><body><p>Hà Nội kêu gọi đăng ký sáng kiến cải cách hành chính năm 2021 trong các sở, ban, ngành và quận, huyện, thị xã.</p></body></html>"
    doc = read_bytes(to_cp1258(text), "legacy.html")
    assert "đăng ký sáng kiến" in doc.text


def test_docx_nfd_becomes_nfc():
    raw = (REAL / "an-le-18-2018.docx")
    doc = read_document(raw)
    assert doc.format == "docx"
    assert unicodedata.is_normalized("NFC", doc.text)
    assert "Án lệ số 18/2018/AL" in doc.text


def test_docx_table_rows_and_cells():
    doc = read_document(FIXTURES / "qd435-tasks.docx")
    table = doc.tables[0]
    assert [c.text for c in table.rows[0]] == ["STT", "Nhiệm vụ", "Cơ quan thực hiện", "Thời gian thực hiện"]
    assert len(table.rows) == 7
    for row in table.rows:
        for cell in row:
            assert doc.text[cell.start:cell.end] == cell.text
    assert "hoàn thành trong quý II/2020" in table.rows[1][3].text


def test_pdf_text_pages_and_nfc():
    doc = read_document(REAL / "an-le-27-2019.pdf")
    assert doc.format == "pdf" and doc.pages == 6
    assert unicodedata.is_normalized("NFC", doc.text)
    assert "Quyết định số 293/QĐ-CA" in doc.text
    assert {b.page for b in doc.blocks} == set(range(1, 7))
    assert "\r" not in doc.text


def test_pdf_table_from_ruled_page():
    doc = read_document(FIXTURES / "qd435-tasks.pdf")
    header = doc.tables[0].rows[0]
    assert [c.text for c in header] == ["STT", "Nhiệm vụ", "Cơ quan thực hiện", "Thời gian thực hiện"]
    assert doc.tables[0].page == 1
    assert "STT Nhiệm vụ" not in doc.text  # table text appears once, as rows
    first = doc.tables[0].rows[1]
    assert first[0].text == "1" and first[1].text.startswith("Tuyên truyền nâng cao nhận thức")


def test_pdf_borderless_table_with_wrapped_cells_over_page_breaks():
    # no ruling lines, cells wrapping over lines (the header's too), rows running on over two page breaks
    doc = read_document(FIXTURES / "plan-tasks-borderless.pdf")
    header = doc.tables[0].rows[0]
    assert [c.text for c in header] == ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]
    rows = [row for table in doc.tables for row in table.rows[1:] if row[0].text]
    assert [row[0].text for row in rows] == [str(n) for n in range(1, 8)]
    assert {table.page for table in doc.tables} == {1, 2, 3}
    assert [row[4].text for row in rows[:4]] == ["Tháng 02/2026", "Quý II/2026", "Trước ngày 15 tháng 11 năm 2026",
                                                 "Hoàn thành trong tháng 6/2026"]


def test_doc_via_libreoffice():
    doc = read_document(REAL / "an-le-10-2016.doc")
    assert doc.format == "doc"
    assert "Án lệ số 10/2016/AL" in doc.text


def test_doc_without_libreoffice_names_the_program(monkeypatch):
    import extractors.doc as doc_reader
    from extractors.errors import ReadError

    monkeypatch.setattr(doc_reader, "soffice_path", lambda: None)
    with pytest.raises(ReadError, match="LibreOffice"):
        read_document(REAL / "an-le-10-2016.doc")


@pytest.mark.parametrize("name,expected", [
    ("an-le-27-2019.pdf", "pdf"), ("an-le-18-2018.docx", "docx"), ("an-le-10-2016.doc", "doc"),
    ("vbpl-thuoc-tinh-101-2015-qh13.html", "html"), ("kon-tum-435-qd-ubnd-2020.txt", "txt"),
])
def test_format_from_content_not_name(name, expected):
    data = (REAL / name).read_bytes()
    assert detect_format(data, "renamed.bin") == expected


def test_legacy_tcvn3_text_is_converted():
    from extractors.legacy_fonts import _legacy_tables

    original = "Cộng hòa xã hội chủ nghĩa Việt Nam. Ủy ban nhân dân tỉnh Kon Tum ban hành kế hoạch của các sở."
    table = _legacy_tables()[0]
    inverse = {v: chr(k) for k, v in table.items()}
    mojibake = "".join(inverse.get(ch, ch) for ch in original)
    assert mojibake != original
    doc = read_bytes(mojibake.encode("latin-1", errors="ignore"), "old.txt")
    assert "xã hội chủ nghĩa" in doc.text.lower()
    assert any("TCVN3" in w for w in doc.warnings)


def test_legacy_vni_text_is_converted():
    # VNI-Times spelling of "Cộng hòa xã hội chủ nghĩa Việt Nam ... của các sở và ngày"
    mojibake = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam. UÛy ban nhaân daân ban haønh keá hoaïch cuûa caùc sôû vaø ngaøy."
    doc = read_bytes(mojibake.encode("latin-1"), "vni.txt")
    assert "Cộng hòa xã hội chủ nghĩa Việt Nam" in doc.text
    assert "của các sở và ngày" in doc.text


def _docx_with_footnote(body: str, note: str) -> bytes:
    """A DOCX made by python-docx with a footnotes part added as Word writes it (separators included)."""
    import io
    import zipfile

    import docx

    buf = io.BytesIO()
    document = docx.Document()
    document.add_paragraph(body)
    document.save(buf)
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    notes = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {w}>'
             '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
             '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
             f'<w:footnote w:id="1"><w:p><w:r><w:t>{note}</w:t></w:r></w:p></w:footnote></w:footnotes>')
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
            elif item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdFn1" Type="http://schemas.openxmlformats.'
                                    b'org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>')
            dst.writestr(item, data)
        dst.writestr("word/footnotes.xml", notes.encode("utf-8"))
    return out.getvalue()


def test_docx_footnotes_are_read_with_their_offsets():
    from extractors.reader import read_bytes

    note = "Công văn số 1097/SKHCN-CĐS ngày 16/9/2025 của Sở Khoa học và Công nghệ."
    doc = read_bytes(_docx_with_footnote("Sở Nội vụ báo cáo kết quả thí điểm.", note), "bao-cao.docx")
    notes = [b for b in doc.blocks if b.kind == "footnote"]
    assert len(notes) == 1
    assert doc.text[notes[0].start:notes[0].end] == note
    assert doc.text.index("Sở Nội vụ") < notes[0].start
