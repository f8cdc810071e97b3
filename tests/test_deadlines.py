"""Deadlines as Vietnamese plans write them: task tables, plan items, prose, recurring and relative.

Every input here is written for the test in the forms of Nghị định 30/2020 plans and their
annexes (task tables headed "Thời gian hoàn thành" / "Thời gian thực hiện" / "Tiến độ"),
not copied from any evaluation text.
"""
from __future__ import annotations

import io

import pytest

from nlp.base import Home
from nlp.extract import extract
from extractors.reader import read_bytes

HEADER = ("ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\nSố: 215/KH-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
          "Độc lập - Tự do - Hạnh phúc\nBắc Ninh, ngày 20 tháng 12 năm 2025\nKẾ HOẠCH\n{subject}\n")


def plan(body: str, subject: str = "Cải cách hành chính năm 2026"):
    text = HEADER.format(subject=subject) + body
    return extract(read_bytes(text.encode("utf-8"), "plan.txt"))


def news(body: str):
    return extract(read_bytes(body.encode("utf-8"), "news.txt"))


def deadlines(x) -> list[dict]:
    return [{**s.value, "text": s.text, "confidence": s.confidence, "source": s.source} for s in x.spans["deadlines"]]


def dates(x) -> list[str | None]:
    return [d["date"] for d in deadlines(x)]


# --- task tables --------------------------------------------------------------------------------

PIPE_TABLE = (
    "STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành\n"
    "1 | Xây dựng Kế hoạch tuyên truyền cải cách hành chính | Sở Nội vụ | Các sở, ban, ngành | Tháng 02/2026\n"
    "2 | Đánh giá Chỉ số cải cách hành chính các sở, ngành | Sở Nội vụ | Sở Tài chính | Quý IV/2026\n"
    "3 | Rà soát, đơn giản hóa thủ tục hành chính | Sở Tư pháp | Các sở, ngành | Quý II, III/2026\n"
    "4 | Kiểm tra công tác cải cách hành chính | Sở Nội vụ | Các cơ quan | Thường xuyên\n"
    "5 | Tổng kết công tác năm | Văn phòng Ủy ban nhân dân tỉnh | Sở Nội vụ | Năm 2026\n"
    "6 | Báo cáo sơ kết 6 tháng | Sở Nội vụ | Các cơ quan | Trước 15/6\n"
)


def test_a_table_saved_as_text_with_tabs_is_a_task_table():
    tabbed = PIPE_TABLE.replace(" | ", "\t")
    got = deadlines(plan(tabbed))
    assert [d["date"] for d in got] == ["2026-02-28", "2026-12-31", "2026-09-30", "2026-12-31", "2026-06-15"]
    assert all(d["where"] == "table" for d in got)
    assert got[1]["task"] == "Đánh giá Chỉ số cải cách hành chính các sở, ngành"
    assert got[1]["responsible"] == "Sở Nội vụ Tỉnh Bắc Ninh"


def test_a_pdf_task_table_without_lines_keeps_each_deadline_with_its_task_over_page_breaks():
    from conftest import FIXTURES
    from extractors.reader import read_document

    got = deadlines(extract(read_document(FIXTURES / "plan-tasks-borderless.pdf")))
    assert [d["date"] for d in got] == ["2026-02-28", "2026-06-30", "2026-11-15", "2026-06-30", "2026-03-31",
                                        "2026-09-30", "2026-09-30"]
    assert all(d["where"] == "table" for d in got)
    # a task cell cut by the page break is joined whole; each row keeps its lead unit
    assert got[2]["task"] == ("Đánh giá, xác định Chỉ số cải cách hành chính của các sở, ban, ngành và Ủy ban nhân dân "
                              "cấp huyện")
    assert [d["responsible"] for d in got[:4]] == ["Sở Nội vụ Tỉnh Bắc Ninh", "Sở Tư pháp Tỉnh Bắc Ninh",
                                                   "Sở Nội vụ Tỉnh Bắc Ninh", "Trung tâm Phục vụ hành chính công Tỉnh Bắc Ninh"]


def test_two_column_tab_layout_is_no_table():
    # the header's and the signature's two columns are written with a tab; they are not a task table
    text = ("UBND TỈNH BẮC NINH\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ NỘI VỤ\tĐộc lập - Tự do - Hạnh phúc\n"
            "Số: 12/SNV-CCHC\tBắc Ninh, ngày 05 tháng 01 năm 2026\n")
    doc = read_bytes(text.encode("utf-8"), "letter.txt")
    assert doc.tables == [] and "|" not in doc.text


@pytest.mark.parametrize("header", ["Thời gian hoàn thành theo kế hoạch", "Thời hạn hoàn thành (dự kiến)",
                                    "Tiến độ thực hiện được giao"])
def test_a_due_column_with_its_qualifier_is_a_due_column(header):
    table = ("STT | Nhiệm vụ | Đơn vị thực hiện | " + header + "\n"
             "1 | Số hóa hồ sơ thủ tục hành chính | Trung tâm Phục vụ hành chính công | Quý III/2026\n"
             "2 | Niêm yết thủ tục hành chính | Văn phòng Ủy ban nhân dân tỉnh | Tháng 5/2026\n")
    assert dates(plan(table)) == ["2026-09-30", "2026-05-31"]


def test_when_the_work_was_actually_done_is_no_due_column():
    table = ("STT | Nhiệm vụ | Đơn vị thực hiện | Thời gian hoàn thành thực tế\n"
             "1 | Số hóa hồ sơ thủ tục hành chính | Trung tâm Phục vụ hành chính công | Tháng 9/2026\n"
             "2 | Niêm yết thủ tục hành chính | Văn phòng Ủy ban nhân dân tỉnh | Tháng 5/2026\n")
    assert dates(plan(table)) == []


def test_a_report_lists_its_plans_deadlines_even_when_past():
    # a December report: the due column says what each date is, though the dates are behind it
    report = HEADER.replace("KẾ HOẠCH", "BÁO CÁO").format(subject="Kết quả cải cách hành chính năm 2025") + (
        "STT | Nhiệm vụ | Đơn vị thực hiện | Thời gian hoàn thành theo kế hoạch | Kết quả\n"
        "1 | Niêm yết thủ tục hành chính | Văn phòng Ủy ban nhân dân tỉnh | Trước 15/7/2025 | Hoàn thành ngày 10/7/2025\n"
        "2 | Số hóa hồ sơ | Trung tâm Phục vụ hành chính công | 30/9/2025 | Hoàn thành\n"
        "Nhà đất đã bố trí sử dụng trước ngày 01/7/1991 không xem xét lại.\n")
    got = dates(extract(read_bytes(report.encode("utf-8"), "report.txt")))
    assert got == ["2025-07-15", "2025-09-30"]  # not the result's day, nor a cut-off in the past in prose


def test_a_month_or_quarter_alone_in_a_completion_column_is_the_last_day_of_the_period():
    got = deadlines(plan(PIPE_TABLE))
    assert [d["date"] for d in got] == ["2026-02-28", "2026-12-31", "2026-09-30", "2026-12-31", "2026-06-15"]
    assert [d["resolution"] for d in got] == ["month_end", "quarter_end", "quarter_end", "year_end", "day"]
    assert all(d["where"] == "table" for d in got)
    first = got[0]
    assert first["task"] == "Xây dựng Kế hoạch tuyên truyền cải cách hành chính"
    assert first["responsible"] == "Sở Nội vụ Tỉnh Bắc Ninh" and first["responsible_units"] == ["Sở Nội vụ Tỉnh Bắc Ninh"]
    assert got[4]["year_from"] == "the plan's year"  # "Trước 15/6" in the 2026 plan
    # a year alone is a weaker reading than a month or a quarter, and the inferred year weaker still
    assert got[3]["confidence"] < got[4]["confidence"] < got[1]["confidence"]


def test_a_year_under_an_execution_column_is_when_work_is_done_not_a_deadline():
    table = ("STT | Nội dung | Đơn vị thực hiện | Thời gian thực hiện\n"
             "1 | Tuyên truyền cải cách hành chính | Sở Thông tin và Truyền thông | Năm 2026\n"
             "2 | Khảo sát sự hài lòng của người dân | Sở Nội vụ | Quý III/2026\n")
    got = deadlines(plan(table))
    assert [(d["date"], d["task"]) for d in got] == [("2026-09-30", "Khảo sát sự hài lòng của người dân")]


def test_a_day_under_a_bare_time_column_is_an_agenda_not_a_deadline():
    table = ("STT | Nội dung | Thời gian | Địa điểm\n"
             "1 | Khai mạc Hội thi | 8h00 ngày 15/7/2026 | Hội trường tỉnh\n"
             "2 | Tổng hợp bài dự thi gửi Ban Tổ chức | Tháng 8/2026 | Sở Nội vụ\n")
    assert dates(plan(table)) == ["2026-08-31"]


def test_a_table_written_with_bar_lines_reads_like_any_table():
    """Markdown crawls of the legal portals write one cell a block between lines holding only '|';
    the numbering cell is lost (read as a page number) and the header glued to the title before it."""
    cells = [["PHỤ LỤC NHIỆM VỤ", "STT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Tiến độ"],
             ["Số hóa kết quả giải quyết thủ tục hành chính", "Sở Nội vụ", "Các sở, ngành", "Tháng 6/2026"],
             ["Hoàn thiện cơ sở dữ liệu\ncán bộ, công chức", "Sở Nội vụ", "Sở Tài chính", "Quí IV-2026"]]
    text = "|\n" + "|\n|\n".join("".join(f"{c}\n|\n" for c in row) for row in cells) + "|\n"
    got = deadlines(plan(text))
    assert [(d["date"], d["task"]) for d in got] == [
        ("2026-06-30", "Số hóa kết quả giải quyết thủ tục hành chính"),
        ("2026-12-31", "Hoàn thiện cơ sở dữ liệu cán bộ, công chức")]


def test_a_docx_task_table_with_a_row_continued_over_a_page():
    from docx import Document as Docx

    d = Docx()
    d.add_paragraph("ỦY BAN NHÂN DÂN TỈNH BẮC NINH")
    d.add_paragraph("Bắc Ninh, ngày 20 tháng 12 năm 2025")
    t = d.add_table(rows=1, cols=4)
    for c, h in zip(t.rows[0].cells, ("TT", "Nội dung công việc", "Cơ quan chủ trì", "Tiến độ")):
        c.text = h
    for row in (("1", "Công bố danh mục thủ tục hành chính", "Sở Tư pháp chủ trì, phối hợp với Sở Nội vụ",
                 "Hoàn thành trong tháng 3/2026"),
                ("", "được sửa đổi, bổ sung trong năm", "", "")):
        for c, v in zip(t.add_row().cells, row):
            c.text = v
    buffer = io.BytesIO()
    d.save(buffer)
    (got,) = deadlines(extract(read_bytes(buffer.getvalue(), "plan.docx")))
    assert got["date"] == "2026-03-31" and got["text"] == "Hoàn thành trong tháng 3/2026"
    assert got["task"] == "Công bố danh mục thủ tục hành chính được sửa đổi, bổ sung trong năm"
    assert got["responsible"] == "Sở Tư pháp Tỉnh Bắc Ninh"  # the unit before "chủ trì" leads
    assert got["responsible_units"] == ["Sở Tư pháp Tỉnh Bắc Ninh", "Sở Nội vụ Tỉnh Bắc Ninh"]


# --- plan items and prose -----------------------------------------------------------------------

def test_a_plan_item_with_labels_gives_the_item_as_task_and_the_labelled_unit():
    body = ("II. NHIỆM VỤ\n1. Cải cách thể chế\n"
            "1.1. Rà soát văn bản quy phạm pháp luật do Ủy ban nhân dân tỉnh ban hành\n"
            "- Cơ quan chủ trì: Sở Tư pháp.\n- Thời gian thực hiện: Quý I.\n")
    (got,) = deadlines(plan(body))
    assert (got["date"], got["resolution"], got["where"]) == ("2026-03-31", "quarter_end", "label")
    assert got["year_from"] == "the plan's year"
    assert got["task"] == "Rà soát văn bản quy phạm pháp luật do Ủy ban nhân dân tỉnh ban hành"
    assert got["responsible"] == "Sở Tư pháp Tỉnh Bắc Ninh"


@pytest.mark.parametrize("sentence,due", [
    ("Sở Tư pháp xây dựng kế hoạch kiểm soát thủ tục hành chính trong tháng 01/2026.", "2026-01-31"),
    ("Sở Nội vụ tổng hợp, trình Ủy ban nhân dân tỉnh trong quý I năm 2026.", "2026-03-31"),
    ("Các sở hoàn thành việc số hóa hồ sơ chậm nhất trong tháng 6/2026.", "2026-06-30"),
    ("Các sở gửi báo cáo về Sở Nội vụ trước 17 giờ 00 phút, ngày 25/3/2026.", "2026-03-25"),
    ("Sở Nội vụ tổng hợp, báo cáo Ủy ban nhân dân tỉnh trước 16h30\nngày 30/6/2026.", "2026-06-30"),
    ("Các huyện hoàn thành việc sắp xếp bộ phận một cửa trong 6 tháng đầu năm 2026.", "2026-06-30"),
    ("Hạn cuối nhận hồ sơ đề nghị khen thưởng là ngày 15/9/2026.", "2026-09-15"),
    ("Thời hạn nộp sáng kiến: đến hết ngày 31/10/2026.", "2026-10-31"),
    ("Các sở hoàn thành việc rà soát trước tháng 6/2026.", "2026-05-31"),  # before June begins
    ("Sở Nội vụ trình đề án trước quý III/2026.", "2026-06-30"),
])
def test_prose_deadline_forms(sentence, due):
    assert dates(plan(sentence)) == [due]


def test_a_month_without_its_year_takes_the_year_of_the_document_date():
    x = news("date 2025-10-17 UBND tỉnh chỉ đạo các sở rà soát hồ sơ.\n"
             "Kết quả thực hiện phải được hoàn thành trong tháng 10.")
    (got,) = deadlines(x)
    assert (got["date"], got["year_from"]) == ("2025-10-31", "the document date's year")
    assert "year from the document date's year" in got["resolved"]


def test_a_day_without_its_year_already_past_falls_in_the_next_year():
    x = news("date 2025-12-20 Sở Nội vụ đề nghị các đơn vị gửi báo cáo trước ngày 15/01.")
    assert [(d["date"], d["year_from"]) for d in deadlines(x)] == [("2026-01-15", "the year after the document date")]


def test_months_listed_apart_are_one_deadline_each():
    got = deadlines(plan("Các sở báo cáo kết quả thực hiện về Sở Nội vụ vào tháng 6 và tháng 12/2026."))
    assert [(d["date"], d["text"]) for d in got] == [("2026-06-30", "vào tháng 6"), ("2026-12-31", "tháng 12/2026")]


@pytest.mark.parametrize("sentence", [
    "Phấn đấu đến năm 2030, 100% thủ tục hành chính được giải quyết trực tuyến.",
    "Đến hết năm 2027, tỷ lệ hồ sơ trực tuyến đạt 80%.",
    "Số liệu báo cáo tính đến ngày 15/12/2026.",
    "Quyết định này có hiệu lực đến hết ngày 31/12/2026.",
    "Hội nghị sơ kết được tổ chức vào ngày 15/7/2026 tại Hội trường tỉnh.",
    "Đồng ý tổ chức Hội nghị toàn quốc vào tháng 12/2026 tại Hà Nội.",
    "Kế hoạch thực hiện trong giai đoạn 2026-2030.",
    "Trong tháng 02/2026, Sở Nội vụ đã tiếp nhận 500 hồ sơ.",
    "Thời gian thực hiện: từ tháng 3/2026 đến tháng 6/2026.",
])
def test_not_deadlines(sentence):
    assert dates(plan(sentence)) == []


@pytest.mark.parametrize("sentence", [
    "2. Vòng chung kết: dự kiến tổ chức trong tháng 9/2026 tại Hội trường tỉnh.",
    "- Lễ phát động: tổ chức vào tháng 3/2026, mời đại diện các sở, ngành.",
])
def test_an_item_labelled_as_an_event_is_no_task(sentence):
    assert dates(plan(sentence)) == []


@pytest.mark.parametrize("sentence, expected", [
    ("Hồ sơ tiếp nhận trước ngày 01/3/2026 tiếp tục được giải quyết theo quy định cũ.", []),
    ("Các văn bản đã được ban hành trước ngày 15/02/2026 phải được rà soát lại.", []),
    ("Hồ sơ đăng ký gửi về Sở Nội vụ trước ngày 15/3/2026.", ["2026-03-15"]),
    ("Các đơn vị tiếp nhận hồ sơ và báo cáo trước ngày 20/3/2026.", ["2026-03-20"]),
])
def test_papers_named_by_when_they_were_received_or_issued_are_a_cut_off(sentence, expected):
    assert dates(plan(sentence)) == expected



def test_news_of_what_will_happen_is_no_deadline_news_of_an_instruction_is():
    assert dates(news("date 2025-10-01 Mô hình sẽ được triển khai vào tháng 12/2025 tại các phường.")) == []
    assert dates(news("date 2025-10-01 UBND tỉnh yêu cầu các sở xây dựng kế hoạch trong tháng 11/2025.")) == [
        "2025-11-30"]


def test_news_of_a_completion_still_ahead_of_the_page_is_a_deadline_after_it_a_result():
    lede = "date 2024-09-20 Theo Kế hoạch, huyện chọn hai xã làm điểm. "
    ahead = ("Các xã hoàn thành việc cải tạo Bộ phận tiếp nhận và trả kết quả, lắp đặt thiết bị và đưa vào vận "
             "hành một cửa liên thông trong quý IV/2024.")
    assert dates(news(lede + ahead)) == ["2024-12-31"]
    assert dates(news(lede + ahead.replace("quý IV/2024", "quý II/2024"))) == []  # what was done by June
    assert dates(news(lede + ahead.replace("hoàn thành việc cải tạo", "cải tạo"))) == []  # no completion word


def test_the_end_of_a_campaign_period_is_a_low_confidence_deadline():
    (got,) = deadlines(plan("Đợt thi đua được triển khai từ ngày 01/3/2026 đến hết ngày 30/4/2026."))
    assert got["date"] == "2026-04-30" and got["cue_kind"] == "period_end"
    assert got["confidence"] < 0.5  # under the review threshold: a person decides


# --- recurring and relative --------------------------------------------------------------------

@pytest.mark.parametrize("sentence,rules", [
    ("Các sở gửi báo cáo về Sở Nội vụ trước ngày 15 hằng tháng.", ["FREQ=MONTHLY;BYMONTHDAY=15"]),
    ("Sở Nội vụ tổng hợp, báo cáo Bộ Nội vụ trước ngày 30/11 hằng năm.", ["FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=30"]),
    ("Định kỳ trước ngày 01/6 và 15/11 hằng năm, các sở báo cáo kết quả thực hiện.",
     ["FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=1", "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=15"]),
    ("Các cơ quan báo cáo kết quả hằng quý, trước ngày 15 của tháng cuối quý.",
     ["FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=15"]),
    ("Các huyện định kỳ hàng năm (trước ngày 20 tháng 12) báo cáo Ủy ban nhân dân tỉnh.",
     ["FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=20"]),
    ("Các sở báo cáo định kỳ 6 tháng (trước ngày 15/6) và định kỳ năm (trước ngày 15/12) về Sở Nội vụ.",
     ["FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=15", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=15"]),
])
def test_recurring_deadlines_keep_their_rule_and_no_date(sentence, rules):
    got = deadlines(plan(sentence))
    assert [d["rule"] for d in got] == rules
    assert all(d["date"] is None and d["resolution"] == "recurring" and d["task"] for d in got)
    assert len({(d["start"], d["end"]) if "start" in d else d["text"] for d in got}) == len(got)  # own words each


def test_a_report_due_on_a_day_of_the_plans_year_is_dated_not_recurring():
    assert dates(plan("Các sở gửi báo cáo sơ kết 6 tháng trước ngày 15/6 và báo cáo năm trước ngày 15/12/2026.")) == [
        "2026-06-15", "2026-12-15"]


def test_recurring_task_after_the_rule():
    (got,) = deadlines(plan("Các sở căn cứ nhiệm vụ được giao xây dựng kế hoạch; định kỳ trước ngày 15/11 hằng năm "
                            "báo cáo kết quả thực hiện về Sở Nội vụ để tổng hợp."))
    assert got["task"] == "báo cáo kết quả thực hiện về Sở Nội vụ để tổng hợp"
    assert got["responsible"] == "Các sở"


@pytest.mark.parametrize("sentence,due", [
    ("Trong thời hạn 15 ngày kể từ ngày ký ban hành Kế hoạch này, các sở xây dựng kế hoạch chi tiết.", "2026-01-04"),
    ("Các sở báo cáo trong vòng 05 ngày làm việc kể từ ngày ký.", "2025-12-26"),  # signed on a Saturday
    ("Các huyện hoàn thành việc rà soát trong thời hạn 03 tháng kể từ ngày ban hành.", "2026-03-20"),
])
def test_relative_deadlines_count_from_the_document_date(sentence, due):
    (got,) = deadlines(plan(sentence))
    assert (got["date"], got["resolution"]) == (due, "relative")
    assert "2025-12-20" in got["resolved"]


def test_a_news_page_relaying_a_relative_rule_gives_it_no_date():
    # the page's publication day is not the day the rule's own text was signed or issued
    (got,) = deadlines(news("Ngày đăng: 12/4/2024\nSở Tư pháp đề nghị các phòng công chứng công khai quy trình, "
                            "gửi báo cáo trong thời hạn 15 ngày kể từ ngày ký văn bản.\n"))
    assert (got["date"], got["resolution"]) == (None, "relative")
    assert got["relative"]["from"].startswith("ký văn bản")


def test_a_relative_deadline_from_the_signing_of_another_numbered_document_has_no_date():
    (got,) = deadlines(plan("Các huyện gửi báo cáo trong thời hạn 10 ngày kể từ ngày ký Quyết định số 125/QĐ-UBND "
                            "của Ủy ban nhân dân tỉnh."))
    assert got["date"] is None and got["relative"]["from"].startswith("ký Quyết định số 125/QĐ-UBND")


def test_a_relative_deadline_from_an_unknown_day_has_no_date():
    (got,) = deadlines(plan("Sở Nội vụ trả lời trong thời hạn 10 ngày làm việc kể từ ngày nhận được hồ sơ."))
    assert got["date"] is None and got["relative"]["from"].startswith("nhận được hồ sơ")


# --- task and responsible ----------------------------------------------------------------------

def test_a_long_task_is_cut_at_a_word_never_mid_word():
    long_task = "rà soát " + ", ".join(f"thủ tục hành chính lĩnh vực số {i}" for i in range(30))
    (got,) = deadlines(plan(f"Sở Tư pháp chủ trì {long_task} trước ngày 30/6/2026."))
    assert got["task"].endswith(" …") and len(got["task"]) <= 242
    words = set(long_task.replace(",", " ").split()) | {"chủ", "trì"}
    assert all(w in words for w in got["task"][:-2].replace(",", " ").split())


def test_the_responsible_unit_is_a_unit_of_the_catalogue():
    (got,) = deadlines(plan("Sở Nội vụ chủ trì, phối hợp với Sở Tài chính tổng hợp kết quả, báo cáo "
                            "Ủy ban nhân dân tỉnh trước ngày 15/12/2026."))
    assert got["responsible"] == "Sở Nội vụ Tỉnh Bắc Ninh"
    assert got["responsible_units"] == ["Sở Nội vụ Tỉnh Bắc Ninh", "Sở Tài chính Tỉnh Bắc Ninh"]
    assert got["responsible_text"].startswith("Sở Nội vụ chủ trì")


def test_the_sentence_before_lends_no_subject_to_a_deadline_without_one():
    """ "…; Trường hợp hồ sơ chưa được số hóa … . Kết quả phải được hoàn thành trong tháng 10.": the
    deadline's sentence names nobody, and the words before the previous sentence's verb are not a unit."""
    body = ("Trường hợp hồ sơ chưa được số hóa, các đơn vị cần thực hiện số hóa bổ sung ngay. "
            "Kết quả thực hiện phải được hoàn thành trước ngày 31/10/2026.\n")
    (got,) = deadlines(news(body))
    assert got["date"] == "2026-10-31" and got["responsible"] != "Trường hợp hồ sơ chưa được"


def test_consulting_people_is_a_task_with_its_month():
    """ "lấy ý kiến" (to consult) is a task's verb: the month after it, in an instruction a news page
    relays, is that task's deadline."""
    got = deadlines(news("Ngày 02/8/2025, UBND phường ra mắt trợ lý ảo. Ủy ban MTTQ Việt Nam phường được đề nghị "
                         "lấy ý kiến người dân về chất lượng trợ lý ảo trong tháng 10/2025.\n"))
    assert [d["date"] for d in got] == ["2025-10-31"]


def test_a_section_heading_names_who_owes_the_deadlines_under_it():
    body = "III. TỔ CHỨC THỰC HIỆN\n2.\nGiao Sở Nội vụ:\n- Tổng hợp, báo cáo Bộ Nội vụ trước ngày 10/12/2026.\n"
    (got,) = deadlines(plan(body))
    assert got["responsible"] == "Sở Nội vụ Tỉnh Bắc Ninh" and got["task"] == "Tổng hợp, báo cáo Bộ Nội vụ"


def test_every_deadline_says_how_it_was_read():
    x = plan(PIPE_TABLE + "Các sở gửi báo cáo trước ngày 15 hằng tháng.\n"
             "Các sở báo cáo trong thời hạn 15 ngày kể từ ngày ký.\n")
    for d in deadlines(x):
        assert d["resolution"] in {"day", "month_end", "quarter_end", "half_end", "year_end", "before_period",
                                   "relative", "recurring"}
        assert d["source"].startswith("deadlines.") and d["where"] in {"table", "label", "prose"} and d["cue_kind"]
    assert {d["resolution"] for d in deadlines(x)} >= {"month_end", "quarter_end", "day", "recurring", "relative"}


def test_a_crawl_source_home_resolves_the_responsible_unit():
    x = extract(read_bytes("Sở Nội vụ tổng hợp, báo cáo trước ngày 31/7/2021.".encode(), "n.txt"),
                Home(province="Thành phố Hà Nội"))
    assert deadlines(x)[0]["responsible"] == "Sở Nội vụ Thành phố Hà Nội"


# --- lists of days, a plan's timing part, a report's own period --------------------------------

def test_a_list_of_days_with_the_year_written_once_is_one_deadline_per_day():
    x = plan("- Các cơ quan gửi báo cáo định kỳ quý I, 6 tháng, quý III và năm về Sở Nội vụ "
             "trước ngày 10/3, 10/6, 10/9 và 10/12/2026.\n")
    got = deadlines(x)
    assert [d["date"] for d in got] == ["2026-03-10", "2026-06-10", "2026-09-10", "2026-12-10"]
    assert all(d["task"] and "báo cáo" in d["task"] for d in got)
    assert [d["text"] for d in got[1:]] == ["10/6", "10/9", "10/12/2026"]  # each day its own span


def test_a_list_of_full_days_shares_its_cue_and_a_list_without_year_under_every_year_stays_a_rule():
    assert dates(plan("Các sở gửi báo cáo về Sở Nội vụ trước ngày 15/6/2026 và 15/12/2026.\n")) == [
        "2026-06-15", "2026-12-15"]
    recurring = deadlines(plan("Các sở gửi báo cáo về Sở Nội vụ trước ngày 15/6 và 15/12 hằng năm.\n"))
    assert [d["date"] for d in recurring] == [None, None] and all(d["rule"] for d in recurring)
    assert dates(plan("Ngày 10/3, 10/6 và 10/9/2026, Sở Nội vụ tổ chức giao ban.\n")) == []  # no cue: no deadline


def test_items_of_a_plans_timing_part_are_due_at_the_end_of_their_period():
    body = ("II. NỘI DUNG\n1. Nội dung: rà soát việc giải quyết hồ sơ.\n- Đoàn làm việc: trong tháng 7/2026.\n"
            "III. THỜI GIAN, TIẾN ĐỘ\n- Các xã gửi báo cáo trước ngày 31/3/2026.\n"
            "- Giám sát trực tiếp: trong quý II/2026.\n- Khảo sát tại cơ sở: tháng 8/2026.\n"
            "IV. KINH PHÍ\n- Hội nghị tổng kết: trong tháng 12/2026.\n")
    got = deadlines(plan(body))
    assert [d["date"] for d in got] == ["2026-03-31", "2026-06-30", "2026-08-31"]  # not the items of II or IV
    assert got[2]["task"] == "Khảo sát tại cơ sở"


def test_a_reports_account_of_its_own_period_is_no_deadline():
    header = HEADER.replace("ngày 20 tháng 12 năm 2025", "ngày 20 tháng 3 năm 2026").replace("KẾ HOẠCH", "BÁO CÁO")
    body = ("Kết quả triển khai dịch vụ công trực tuyến trong Quý I/2026:\n- Tiếp nhận 500 hồ sơ.\n"
            "- Sở Nội vụ hoàn thành nâng cấp phần mềm trong tháng 5/2026.\n")
    x = extract(read_bytes((header.format(subject="Kết quả cải cách hành chính quý I năm 2026") + body).encode(), "r.txt"))
    assert dates(x) == ["2026-05-31"]
    # the same words opening an instruction are a task: its results are due
    assert dates(plan("- Kết quả rà soát gửi về Sở Nội vụ trong tháng 6/2026 để tổng hợp.\n")) == ["2026-06-30"]


def test_a_period_that_ends_on_the_issue_day_is_over_when_the_text_is_issued():
    header = HEADER.replace("ngày 20 tháng 12 năm 2025", "ngày 31 tháng 3 năm 2026").replace("KẾ HOẠCH", "BÁO CÁO")
    body = "Các phòng chuyên môn triển khai rà soát thủ tục hành chính trong Quý I/2026 theo kế hoạch.\n"
    x = extract(read_bytes((header.format(subject="Cải cách hành chính quý I năm 2026") + body).encode(), "r.txt"))
    assert dates(x) == []
