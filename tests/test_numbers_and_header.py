"""Document numbers in every form, and the document's own number and date (never a guess).

Sentences and headers are written for the test in the forms of Vietnamese official texts
(Nghị định 30/2020 layout, the numbering of older and Party documents, news pages).
"""
from __future__ import annotations

import pytest

from nlp.extract import extract
from extractors.reader import read_bytes


def run(text: str):
    return extract(read_bytes(text.encode("utf-8"), "example.txt"))


def numbers(text: str) -> list[str]:
    return [s.value["number"] for s in run(text).spans["references"]]


@pytest.mark.parametrize("text,number", [
    ("Thực hiện Quyết định số 15/QĐ/UB ngày 12/3/1996 của Ủy ban nhân dân tỉnh.", "15/QĐ/UB"),
    ("Theo Công văn số 7/NN/UBTH của Ủy ban nhân dân thị xã.", "7/NN/UBTH"),
    ("Căn cứ Quyết định số 12QĐ/TCCB ngày 05/01/1995.", "12QĐ/TCCB"),
    ("Thực hiện Văn bản số581/SNV-CCHC của Sở Nội vụ.", "581/SNV-CCHC"),
    ("Căn cứ Nghị quyết số 12/2016/UBTVQH14 của Ủy ban Thường vụ Quốc hội.", "12/2016/UBTVQH14"),
    ("Căn cứ Nghị định 64/CP của Chính phủ về cải cách hành chính.", "64/CP"),
    ("Thực hiện Kế hoạch số 7/BCĐ.CCHC của Ban Chỉ đạo cải cách hành chính.", "7/BCĐ.CCHC"),
    ("Căn cứ Nghị quyết số 66.1/2025/NQ-CP của Chính phủ.", "66.1/2025/NQ-CP"),
    ("Căn cứ Quyết định số 435/QĐUBND của Ủy ban nhân dân tỉnh.", "435/QĐ-UBND"),  # a PDF lost the hyphen
    ("Căn cứ Quyết định số 30/2018/QĐUBND của Ủy ban nhân dân thành phố.", "30/2018/QĐ-UBND"),
    ("Căn cứ Nghị định số 15/2020/NĐ-CP2 của Chính phủ.", "15/2020/NĐ-CP"),  # a footnote mark glued to it
    ("Căn cứ Luật số 54/2017/QH14 của Quốc hội.", "54/2017/QH14"),  # a legislature's digits stay
    ("Thực hiện Nghị quyết số 35-2019/NQ-CP của Chính phủ.", "35-2019/NQ-CP"),  # the year after a hyphen
    ("Theo Quyết định số 08-2005/QĐ-UB của Ủy ban nhân dân tỉnh.", "08-2005/QĐ-UB"),
])
def test_number_forms(text, number):
    assert numbers(text) == [number]


@pytest.mark.parametrize("text", [
    "Trụ sở tại số 12/A3 đường Lê Lợi, phường Bến Thành.",
    "Địa chỉ số 45/12B Nguyễn Trãi.",
    "Hồ sơ lập theo Mẫu số 03/ABC/XYZ ban hành kèm theo Thông tư.",
    "Giấy phép số 548/TN/GP/ĐK của Sở.",
])
def test_not_document_numbers(text):
    assert numbers(text) == []


def test_one_number_written_two_ways_is_one_reference():
    got = numbers("Căn cứ Quyết định số 12/QĐ-TCCB ngày 05/01/1995; theo Quyết định 12QĐ/TCCB nêu trên. "
                  "Xét tờ trình số 177/TTr.STC ngày 15-5-2009; theo Tờ trình 177/TTr ngày 15-5-2009.")
    assert got == ["12/QĐ-TCCB", "12/QĐ-TCCB", "177/TTr.STC", "177/TTr.STC"]


def test_a_news_lede_dates_the_number_it_reports():
    x = run("(21:01 | 17/03/2021)\nNgày 11/03/2021, UBND tỉnh đã ban hành Kế hoạch số 47/KH-UBND về "
            "thực hiện công tác thông tin, tuyên truyền cải cách hành chính năm 2021.")
    (ref,) = x.spans["references"]
    assert (ref.value["number"], ref.value["date"], ref.value["date_from"]) == ("47/KH-UBND", "2021-03-11", "before the number")
    assert (x.header["kind"], x.header["date"]) == ("news", "2021-03-17")  # news about a plan is news


@pytest.mark.parametrize("who", ["UBND Quận 10", "Ủy ban nhân dân Phường 7"])
def test_a_numbered_district_or_ward_between_the_day_and_the_number_still_dates_it(who):
    x = run(f"(08:15 | 12/04/2019)\nNgày 05/4/2019, {who} đã ban hành Kế hoạch số 210/KH-UBND về "
            "đăng ký sáng kiến cải cách hành chính năm 2019.")
    (ref,) = x.spans["references"]
    assert (ref.value["number"], ref.value["date"], ref.value["date_from"]) == ("210/KH-UBND", "2019-04-05", "before the number")


def test_another_number_between_the_day_and_the_number_breaks_the_link():
    x = run("(08:15 | 12/04/2019)\nNgày 05/4/2019, theo Công văn 95/SNV, UBND huyện đã ban hành Kế hoạch số "
            "210/KH-UBND về cải cách hành chính.")
    dated = {r.value["number"]: r.value["date"] for r in x.spans["references"]}
    assert dated["210/KH-UBND"] is None


# --- the document's own number and date -------------------------------------------------------

SIGNED_COPY = ("UBND TỈNH LÂM ĐỒNG\nSỞ NỘI VỤ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
               "Số: /BC-SNV Lâm Đồng, ngày tháng 11 năm 2025\nBÁO CÁO\nTổng kết thực hiện Quyết định số "
               "787/QĐ-UBND ngày 21/8/2025 của Chủ tịch Ủy ban nhân dân tỉnh\n")


def test_a_signed_copy_with_number_and_day_left_blank_has_neither():
    x = run(SIGNED_COPY)
    assert x.header["kind"] == "official"
    assert x.header["number"] is None and x.header["date"] is None  # never the cited decision's date
    assert [s.value["date"] for s in x.spans["references"]] == ["2025-08-21"]


def test_a_garbled_header_date_gives_no_date():
    x = run("ỦY BAN NHÂN DÂN\nHUYỆN MỸ ĐỨC\nSố: 12/KH-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Mỹ Đức, ngày 3l tháng O2 năm 2O25\nKẾ HOẠCH\nThực hiện Kế hoạch số 5/KH-UBND ngày 10/01/2025 của UBND thành phố.\n")
    assert x.header["number"] == "12/KH-UBND" and x.header["date"] is None


def test_a_letter_titled_by_its_number_is_dated_by_the_date_after_it():
    x = run("Công văn số 1448/SNV-CCHC ngày 27/12/2016 V/v xin ý kiến vào dự thảo Kế hoạch tuyên truyền.\n\n"
            "Đăng ngày: 28/12/2016 14:38:11\n\nThực hiện Quyết định số 3490/QĐ-BNV ngày 10/10/2016 của Bộ Nội vụ.")
    assert (x.header["kind"], x.header["number"], x.header["date"]) == ("official", "1448/SNV-CCHC", "2016-12-27")
    assert x.header["date_source"] == "after the own number"


def test_a_footnote_digit_glued_to_the_own_number_is_not_part_of_it():
    x = run("Án lệ số 54/2022/AL1 về hiệu lực của hợp đồng\nĐược Hội đồng Thẩm phán Tòa án nhân dân tối cao "
            "thông qua ngày 17 tháng 10 năm 2022.")
    assert (x.header["number"], x.header["date"]) == ("54/2022/AL", "2022-10-17")


def test_an_annex_sent_alone_is_dated_and_numbered_by_the_decision_it_belongs_to():
    x = run("PHỤ LỤC\nDANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2024\n(Kèm theo Quyết định số 123/QĐ-UBND ngày "
            "05/3/2024 của Ủy ban nhân dân tỉnh)\nThực hiện Kế hoạch số 45/KH-UBND ngày 10/01/2024 của UBND tỉnh.")
    assert (x.header["kind"], x.header["number"], x.header["date"]) == ("official", "123/QĐ-UBND", "2024-03-05")
    assert [s.value["number"] for s in x.spans["references"]] == ["45/KH-UBND"]  # its own number is no citation


def test_a_court_precedent_is_dated_by_its_adoption_not_by_the_decision_publishing_it():
    x = run("TÒA ÁN NHÂN DÂN TỐI CAO\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHà Nội, ngày 06 tháng 11 năm 2018\n"
            "ÁN LỆ SỐ 18/2018/AL\nVề xác định giá trị tài sản\nĐược Hội đồng Thẩm phán Tòa án nhân dân tối cao "
            "thông qua ngày 17 tháng 10 năm 2018 và được công bố theo Quyết định số 269/QĐ-CA ngày 06/11/2018.")
    assert (x.header["number"], x.header["date"], x.header["date_source"]) == ("18/2018/AL", "2018-10-17", "adoption label")


@pytest.mark.parametrize("first_line,published", [
    (" date 2025-10-17 Phó Chủ tịch UBND tỉnh vừa ký văn bản gửi các sở, ngành.", "2025-10-17"),
    ("(21:01 | 17/03/2021)", "2021-03-17"),
    ("Thứ 5, Ngày 28/05/2020, 09:50", "2020-05-28"),
    (" date 2025-07 Thanh niên tình nguyện hỗ trợ người dân.", None),  # a month is not a publication day
    ("22 Tháng Chín 2019", "2019-09-22"),  # a day alone on its line, the month as a word
    ("| 03/12/2019 |", "2019-12-03"),
    ("Ngày 03/12/2019 Hội Nông dân xã tổ chức tập huấn.", None),  # a day inside a sentence dates an event
])
def test_news_publication_dates(first_line, published):
    x = run(first_line + "\nNgày 10/3, UBND phường tổ chức ra mắt mô hình mới.")
    assert (x.header["kind"], x.header["date"]) == ("news", published)


def test_a_page_clock_years_after_the_reported_event_is_not_the_articles_date():
    x = run("Thứ sáu 15/11/2024 00:23\nĐoàn Thanh niên Khối các cơ quan Trung ương\n\n"
            "Sáng ngày 24/7/2018 tại Hà Nội, Ban Thường vụ Đoàn Khối đã tổ chức Lễ phát động Cuộc thi.")
    assert x.header["date"] is None


def test_every_returned_date_says_how_it_was_resolved():
    from nlp.contract import to_contract

    out = to_contract(run(SIGNED_COPY.replace("Số: /BC-SNV", "Số: 12/BC-SNV").replace("ngày tháng", "ngày 02 tháng")
                          + "Các xã báo cáo trong quý IV/2025.\n"))
    assert (out["document"]["date"], out["document"]["date_resolution"], out["document"]["date_source"]) == (
        "2025-11-02", "day", "date line")
    assert [(r["date"], r["date_resolution"], r["date_from"]) for r in out["references"]] == [
        ("2025-08-21", "day", "after the number")]
    assert all(d["resolution"] for d in out["dates"])
    assert [(d["date"], d["resolution"]) for d in out["deadlines"]] == [("2025-12-31", "quarter_end")]


PARTY_HEADER = (
    "ĐẢNG BỘ TỈNH NGHỆ AN                     ĐẢNG CỘNG SẢN VIỆT NAM\n"
    "HUYỆN ỦY NAM ĐÀN                              ---------------\n"
    "        *                             Nam Đàn, ngày 12 tháng 4 năm 2019\n"
    "Số 27-KH/HU\n\n"
    "                              KẾ HOẠCH\n"
    "       triển khai phong trào dân vận khéo năm 2019\n"
    "Thực hiện Hướng dẫn số 08-HD/BDVTU ngày 02/3/2019 của Ban Dân vận Tỉnh ủy, Ban Thường vụ Huyện ủy ban hành "
    "kế hoạch.\n")


def test_a_party_documents_own_number_and_date_line():
    x = run(PARTY_HEADER)
    assert (x.header["kind"], x.header["number"], x.header["date"]) == ("official", "27-KH/HU", "2019-04-12")
    assert x.header["issuer"] == "Huyện ủy Nam Đàn"  # below its superior, the Đảng bộ tỉnh
    assert [s.value["number"] for s in x.spans["references"]] == ["08-HD/BDVTU"]  # its own number is no citation


@pytest.mark.parametrize("header,issuer", [
    # a two-column header flattened onto one line per row
    ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHUYỆN THANH CHƯƠNG Độc lập - Tự do - Hạnh phúc\n"
     "Số: 15/TB-UBND Thanh Chương, ngày 03 tháng 5 năm 2018\n", "Ủy ban nhân dân Huyện Thanh Chương"),
    # columns apart by a tab, the issuer below its superior's line
    ("UBND TỈNH NGHỆ AN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ NỘI VỤ\tĐộc lập - Tự do - Hạnh phúc\n"
     "Số: 212/SNV-CCHC\tNghệ An, ngày 03 tháng 5 năm 2018\n", "Sở Nội vụ Tỉnh Nghệ An"),
    # a table row: the superior, then the issuer, in one cell
    ("UBND HUYỆN NAM ĐÀN ỦY BAN NHÂN DÂN XÃ NAM ANH ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - "
     "Hạnh phúc\nSố: 09/KH-UBND | Nam Anh, ngày 03 tháng 5 năm 2018\n", "Ủy ban nhân dân Xã Nam Anh"),
])
def test_the_issuer_is_the_last_unit_of_the_headers_left_column(header, issuer):
    x = run(header + "KẾ HOẠCH\nvề cải cách hành chính\n")
    assert x.header["issuer"] == issuer
    assert not [s for s in x.spans["units"] if "Độc" in s.value["canonical"] or "Cộng" in s.value["canonical"]]


@pytest.mark.parametrize("date_line", ["_Cập nhật: 15/03/2016 - 08:30_ | Lượt xem: 120", "**Ngày đăng:** 15/03/2016",
                                       "Ngày đăng: **15/03/2016**"])
def test_a_markdown_crawls_links_do_not_push_the_date_line_out_of_reach(date_line):
    menu = "".join(f"* [Mục {i}](https://portal.example.gov.vn/chuyen-muc/muc-so-{i}-tin-tuc-su-kien)\n"
                   for i in range(12))
    x = run(menu + "# Huyện Nam Đàn ra mắt mô hình mới\n" + date_line + "\nChiều 12/3, UBND huyện Nam Đàn tổ chức hội nghị.")
    assert (x.header["kind"], x.header["date"]) == ("news", "2016-03-15")
