"""Field extraction on the forms of the domain notes (../shared/docs/domain.md).

Sentences here are the notes' own examples, not documents; real documents are in corpus/.
"""
from __future__ import annotations

import pytest

from nlp.base import Home
from nlp.extract import extract
from extractors.reader import read_bytes


def run(text: str, home: Home | None = None):
    return extract(read_bytes(text.encode("utf-8"), "example.txt"), home)


def values(x, field, key=None):
    return [s.value[key] if key else s.value for s in x.spans[field]]


@pytest.mark.parametrize("text,number,doc_type", [
    ("Thực hiện Kế hoạch số 1018/KH-UBND ngày 05 tháng 4 năm 2022 của Ủy ban nhân dân Thành phố.", "1018/KH-UBND", "Kế hoạch"),
    ("Theo văn bản số 1980/SNV-CCHC của Sở Nội vụ.", "1980/SNV-CCHC", "Văn bản"),
    ("Căn cứ Nghị quyết số 03/2018/NQ-HĐND của HĐND Thành phố.", "03/2018/NQ-HĐND", "Nghị quyết"),
    ("Căn cứ Quyết định số 93/2007/QĐ-TTg của Thủ tướng Chính phủ.", "93/2007/QĐ-TTg", "Quyết định"),
    ("Căn cứ Luật số 54/2017/QH14 của Quốc hội.", "54/2017/QH14", "Luật"),
    ("Thực hiện Kế hoạch số 119- KH/TU của Ban Thường vụ Tỉnh ủy.", "119-KH/TU", "Kế hoạch"),
    ("Căn cứ Quyết định số 3767/QÐ-UBND của UBND quận.", "3767/QĐ-UBND", "Quyết định"),
    ("Xét Tờ trình số 33/TTr-SLĐTBXH của Sở.", "33/TTr-SLĐTBXH", "Tờ trình"),
])
def test_reference_forms(text, number, doc_type):
    x = run(text)
    assert values(x, "references", "number") == [number]
    assert values(x, "references", "doc_type") == [doc_type]


@pytest.mark.parametrize("text", [
    "Thông tư số 21/2017/TT- đang dự thảo.",
    "Thống kê truy cập: 2 1 9 8 4 0 8 0 7 lượt, 1 2/3 4.",
    "Điện thoại: 028.3829.1234, ngày 12/7/2021.",
])
def test_fragments_and_counters_are_not_references(text):
    assert values(run(text), "references") == []


def test_reference_date_follows_number():
    x = run("Sở Nội vụ ban hành Văn bản số 1980/SNV-CCHC ngày 12/7/2021 về việc đăng ký sáng kiến.")
    assert values(x, "references", "date") == ["2021-07-12"]


@pytest.mark.parametrize("text,iso", [
    ("ngày 05 tháng 4 năm 2022", "2022-04-05"), ("ngày 23.10.2018", "2018-10-23"), ("ngày 12/7/2021", "2021-07-12"),
    ("ngày 29/12/2020", "2020-12-29"), ("Thứ 5, Ngày 28/05/2020, 09:50", "2020-05-28"),
    ("19 Tháng Mười 2017 1:55:00 CH", "2017-10-19"), ("ngày 16-7-2018", "2018-07-16"),
])
def test_day_dates(text, iso):
    from nlp.dates import find_dates
    from nlp.keys import match_view

    found = find_dates(match_view(f"Tin: {text}."))
    assert [d.date for d in found] == [iso]


@pytest.mark.parametrize("text,precision,end", [
    ("năm 2021", "year", "2021-12-31"), ("tháng 6/2021", "month", "2021-06-30"),
    ("Quý III/2021", "quarter", "2021-09-30"), ("giai đoạn 2016-2020", "range", "2020-12-31"),
])
def test_periods(text, precision, end):
    from nlp.dates import find_dates
    from nlp.keys import match_view

    (d,) = find_dates(match_view(text))
    assert (d.precision, d.date, d.period_end) == (precision, None, end)


def test_deadlines_with_task_and_responsible():
    x = run("Văn bản của Sở Nội vụ nêu rõ, các cơ quan, đơn vị gửi bản đăng ký sáng kiến về Sở Nội vụ trước ngày "
            "31/7/2021; báo cáo kết quả thực hiện sáng kiến trước ngày 30/11/2021.")
    got = [(v["date"], v["task"], v["responsible"]) for v in values(x, "deadlines")]
    assert got[0] == ("2021-07-31", "gửi bản đăng ký sáng kiến về Sở Nội vụ", "các cơ quan, đơn vị")
    assert got[1][0] == "2021-11-30" and got[1][1].startswith("báo cáo kết quả") and got[1][2] == "các cơ quan, đơn vị"


def test_deadline_forms():
    x = run("Mỗi cơ quan, đơn vị phải đăng ký 01 mô hình trước ngày 03 tháng 11 năm 2018. "
            "Các phòng hoàn thành trong tháng 6/2021. Nộp hồ sơ chậm nhất ngày 15/8/2021. "
            "Báo cáo trước ngày 15 hằng tháng.")
    deadlines = values(x, "deadlines")
    dates = [d["date"] for d in deadlines]
    assert dates[:3] == ["2018-11-03", "2021-06-30", "2021-08-15"]
    assert deadlines[0]["responsible"] == "Mỗi cơ quan, đơn vị" and deadlines[0]["task"].startswith("đăng ký 01 mô hình")
    assert deadlines[1]["resolved"] == "last day of the month"
    assert deadlines[3]["date"] is None and deadlines[3]["recurring"] == "day 15 of every month"
    assert deadlines[3]["rule"] == "FREQ=MONTHLY;BYMONTHDAY=15" and deadlines[3]["resolution"] == "recurring"


def test_relative_deadline_resolves_against_document_date():
    text = ("ỦY BAN NHÂN DÂN\nQUẬN GÒ VẤP\nSố: 3767/QĐ-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Gò Vấp, ngày 22 tháng 10 năm 2018\nQUYẾT ĐỊNH\nCác đơn vị báo cáo trong thời hạn 15 ngày kể từ ngày ký.")
    x = run(text)
    assert x.header["number"] == "3767/QĐ-UBND" and x.header["date"] == "2018-10-22"
    assert x.header["issuer"] == "Ủy ban nhân dân Quận Gò Vấp" and x.header["place"] == "Gò Vấp"
    (d,) = [v for v in values(x, "deadlines") if v["resolved"]]
    assert d["date"] == "2018-11-06" and "2018-10-22" in d["resolved"]


def test_a_past_cutoff_is_not_a_deadline():
    text = ("Số: 12/QĐ-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHà Nội, ngày 05 tháng 4 năm 2022\n"
            "Nhà đất Nhà nước đã quản lý trước ngày 01-7-1991.")
    assert values(run(text), "deadlines") == []


def test_units_resolve_context_and_skip_plurals():
    x = run("QUẬN GÒ VẤP TRIỂN KHAI MÔ HÌNH MỚI\nUBND Quận chỉ đạo Phòng Nội vụ quận Gò Vấp và UBND các phường. "
            "Ủy ban nhân dân 16 phường thực hiện; Sở Nội vụ TP.HCM hướng dẫn; UBND quận, huyện báo cáo Thủ tướng Chính phủ.")
    canon = {v["canonical"]: v["level"] for v in values(x, "units")}
    assert canon == {"Ủy ban nhân dân Quận Gò Vấp": "district", "Phòng Nội vụ Quận Gò Vấp": "district",
                     "Sở Nội vụ Thành phố Hồ Chí Minh": "province", "Thủ tướng Chính phủ": "central"}
    parents = {v["canonical"]: v["parent"] for v in values(x, "units")}
    assert parents["Ủy ban nhân dân Quận Gò Vấp"] == "Ủy ban nhân dân Thành phố Hồ Chí Minh"


def test_units_from_a_crawl_source_home():
    x = run("UBND Thành phố ban hành kế hoạch; Sở Nội vụ tổng hợp.", Home(province="Thành phố Hồ Chí Minh"))
    assert {v["canonical"] for v in values(x, "units")} == {"Ủy ban nhân dân Thành phố Hồ Chí Minh",
                                                             "Sở Nội vụ Thành phố Hồ Chí Minh"}


def test_e_government_is_not_the_government():
    assert values(run("Xây dựng Chính phủ điện tử, chính quyền số."), "units") == []


def test_initiatives_titles_and_generic_plurals():
    x = run("Năm 2018, UBND Quận Gò Vấp triển khai mô hình Dân vận khéo theo Kế hoạch số 4776/KH-UBND. "
            "Các đơn vị hưởng ứng “Đợt thi đua cao điểm về Cải cách hành chính”. "
            "Tiếp tục thực hiện Đề án “Tuyên truyền, phổ biến pháp luật cho người lao động”. "
            "Rà soát các sáng kiến trong công tác CCHC; đăng ký tối thiểu 2 sáng kiến, giải pháp, ý tưởng mới.")
    inits = {v["title"]: v for v in values(x, "initiatives")}
    assert set(inits) == {"Mô hình Dân vận khéo", "Đợt thi đua cao điểm về Cải cách hành chính",
                          "Đề án Tuyên truyền, phổ biến pháp luật cho người lao động"}
    dvk = inits["Mô hình Dân vận khéo"]
    assert (dvk["kind"], dvk["unit"], dvk["year"], dvk["directive"]) == (
        "mô hình", "Ủy ban nhân dân Quận Gò Vấp", 2018, "4776/KH-UBND")


def test_initiatives_from_a_registration_table():
    from docx import Document as Docx
    import io

    d = Docx()
    t = d.add_table(rows=1, cols=4)
    for c, h in zip(t.rows[0].cells, ("STT", "Tên sáng kiến", "Đơn vị thực hiện", "Thời gian thực hiện")):
        c.text = h
    for row in (("1", "Số hóa hồ sơ một cửa", "UBND Phường 5", "Năm 2021"),
                ("2", "Tổ tư vấn thủ tục hành chính", "UBND Phường 7", "Quý III/2021")):
        for c, v in zip(t.add_row().cells, row):
            c.text = v
    buffer = io.BytesIO()
    d.save(buffer)
    x = extract(read_bytes(buffer.getvalue(), "form.docx"))
    got = [(v["title"], v.get("year")) for v in values(x, "initiatives")]
    assert got == [("Số hóa hồ sơ một cửa", 2021), ("Tổ tư vấn thủ tục hành chính", 2021)]


def test_header_of_a_real_flattened_decision():
    from conftest import CORPUS
    from extractors.reader import read_document

    x = extract(read_document(CORPUS / "real" / "kon-tum-435-qd-ubnd-2020.txt"))
    h = x.header
    assert (h["kind"], h["number"], h["doc_type"], h["date"], h["place"]) == (
        "official", "435/QĐ-UBND", "Quyết định", "2020-05-04", "Kon Tum")
    assert h["issuer"] == "Ủy ban nhân dân Tỉnh Kon Tum" and h["signer"] == "Nguyễn Hữu Tháp"
    assert h["subject"].startswith("BAN HÀNH CHƯƠNG TRÌNH HÀNH ĐỘNG")
    assert "435/QĐ-UBND" not in values(x, "references", "number")  # its own number is not a citation


def test_every_span_indexes_the_text():
    from conftest import CORPUS
    from extractors.reader import read_document

    paths = [p for p in (CORPUS / "real").iterdir() if p.suffix in (".txt", ".html", ".pdf", ".docx")]
    for path in paths + list((CORPUS / "dev").glob("*.txt")) + list((CORPUS / "fixtures").glob("*.[dp][od][cf]*")):
        x = extract(read_document(path))
        for span in x.all_spans():
            assert x.doc.text[span.start:span.end] == span.text
            assert 0 <= span.confidence <= 1


def test_deadlines_in_table_rows_take_task_and_agency_from_their_columns():
    from conftest import FIXTURES
    from extractors.reader import read_document

    x = extract(read_document(FIXTURES / "qd435-tasks.docx"))
    got = values(x, "deadlines")
    assert [v["date"] for v in got] == ["2020-06-30", "2020-06-30"]
    assert got[0]["task"].startswith("Tuyên truyền nâng cao nhận thức") and got[0]["responsible"].startswith("Các sở, ban, ngành")
    assert got[1]["task"].startswith("Rà soát, kiến nghị") and got[1]["responsible"].startswith("Sở Lao động")


def test_deadline_with_an_hour_and_a_news_date_with_a_time():
    assert values(run("Các đơn vị gửi báo cáo trước 17 giờ ngày 31/7/2021 về Sở Nội vụ."), "deadlines", "date") == ["2021-07-31"]
    x = run("Cập nhật lúc 10:30, ngày 12/5/2021\nTin cải cách hành chính của quận trong tháng này.")
    assert x.header["kind"] == "news" and x.header["date"] == "2021-05-12"


def test_a_unit_after_a_kind_word_is_not_a_title():
    assert values(run("Áp dụng giải pháp Sở Nội vụ đề xuất năm 2021."), "initiatives") == []


def test_spacy_component_puts_fields_in_doc_spans():
    import spacy

    import nlp.spacy_component  # noqa: F401 - registers the factory

    pipe = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    pipe.add_pipe("cchc_fields")
    doc = pipe("Sở Nội vụ Hà Nội ban hành Văn bản số 1980/SNV-CCHC ngày 12/7/2021, gửi trước ngày 31/7/2021.")
    assert [s.text for s in doc.spans["units"]] == ["Sở Nội vụ Hà Nội"]
    assert doc.spans["references"][0].text.startswith("Văn bản số 1980/SNV-CCHC")
    assert doc.user_data["cchc"]["deadlines"][0]["value"]["date"] == "2021-07-31"


def test_two_deadlines_in_one_clause_share_the_task():
    x = run("1. Các phòng, ban báo cáo kết quả về Phòng Nội vụ trước ngày 15/6/2020 và trước ngày 15/12/2020.")
    assert [(v["date"], v["task"], v["responsible"]) for v in values(x, "deadlines")] == [
        ("2020-06-15", "báo cáo kết quả về Phòng Nội vụ", "Các phòng, ban"),
        ("2020-12-15", "báo cáo kết quả về Phòng Nội vụ", "Các phòng, ban")]


def test_the_directive_of_an_initiative_is_the_number_nearest_before_it():
    x = run("Ủy ban nhân dân quận Gò Vấp căn cứ Quyết định số 3767/QĐ-UBND, ban hành Kế hoạch số 4776/KH-UBND "
            "về phát động “Đợt thi đua cao điểm về cải cách hành chính”.")
    assert values(x, "initiatives", "directive") == ["4776/KH-UBND"]
