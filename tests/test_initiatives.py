"""Initiatives, one test per kind of title the domain writes (issue: lists, kinds, "các" before a
name, boundaries, junk, tables). Sentences are written here in the domain's forms; they are not
quotations of any evaluation text."""
from __future__ import annotations

import io

import pytest

from nlp.extract import extract
from extractors.reader import read_bytes


def titles(text: str, name: str = "example.txt") -> list[str]:
    x = extract(read_bytes(text.encode("utf-8"), name))
    return [s.value["title"] for s in x.spans["initiatives"] if not s.value["repeat"]]


# --- lists ----------------------------------------------------------------------------------

def test_every_quoted_item_of_a_list_after_its_kind():
    assert titles("Năm 2024, phường triển khai các mô hình: “Tổ tự quản” (tại khu phố 1), “Cà phê pháp luật” "
                  "(tại khu phố 3), “Chợ văn minh”.") == [
        "Mô hình Tổ tự quản", "Mô hình Cà phê pháp luật", "Mô hình Chợ văn minh"]


def test_two_quoted_titles_joined_by_va():
    assert titles("Xã ra mắt mô hình “Một cửa thân thiện” và “Ngày thứ Năm không giấy”.") == [
        "Mô hình Một cửa thân thiện", "Mô hình Ngày thứ Năm không giấy"]


def test_a_list_introduced_by_nhu_keeps_its_describing_words_out_of_the_titles():
    assert titles("Quận nhân rộng các mô hình hiệu quả như: “Tổ công nghệ số cộng đồng”, “Bình dân học vụ số”.") == [
        "Mô hình Tổ công nghệ số cộng đồng", "Mô hình Bình dân học vụ số"]


def test_a_capitalised_item_of_a_list_of_movements_shares_their_kind():
    got = titles("Các phong trào thi đua “Vì người nghèo”; phong trào thi đua xây dựng cơ quan “Văn hóa”; "
                 "Dân vận khéo; bảo đảm an toàn giao thông được duy trì.")
    assert got == ["Phong trào thi đua Vì người nghèo", "Phong trào thi đua xây dựng cơ quan Văn hóa",
                   "Phong trào thi đua Dân vận khéo"]


def test_a_quoted_title_along_with_a_known_one_is_of_the_same_kind():
    got = titles("Trung tâm khai trương mô hình “Xe phục vụ lưu động”. Xe “Xe phục vụ lưu động” là một trong hai "
                 "mô hình thí điểm, cùng với “Tổ hỗ trợ tại nhà”.")
    assert got == ["Mô hình Xe phục vụ lưu động", "Mô hình Tổ hỗ trợ tại nhà"]


def test_a_list_after_a_colon_inline_or_on_lines():
    assert titles("UBND quận triển khai 3 mô hình: Tổ hỗ trợ dịch vụ công; Cà phê pháp luật; Chợ văn minh.") == [
        "Mô hình Tổ hỗ trợ dịch vụ công", "Mô hình Cà phê pháp luật", "Mô hình Chợ văn minh"]
    assert titles("Năm 2024, xã có các sáng kiến tiêu biểu như sau:\n- Số hóa hồ sơ hộ tịch: giúp tra cứu nhanh.\n"
                  "- Tổ tư vấn pháp luật lưu động.\nII. KẾT QUẢ\n") == [
        "Sáng kiến Số hóa hồ sơ hộ tịch", "Sáng kiến Tổ tư vấn pháp luật lưu động"]


def test_quoted_titles_one_per_line_after_a_lead_in_share_its_kind():
    text = ("Năm 2025, UBND phường đăng ký thực hiện các sáng kiến sau:\n- “Sổ tay thủ tục hành chính bỏ túi”;\n"
            "+ “Tổ tình nguyện hướng dẫn nộp hồ sơ”;\n- “Góc đọc pháp luật tại nhà văn hóa”.\nIII. TỔ CHỨC THỰC HIỆN\n")
    assert titles(text) == ["Sáng kiến Sổ tay thủ tục hành chính bỏ túi", "Sáng kiến Tổ tình nguyện hướng dẫn nộp hồ sơ",
                            "Sáng kiến Góc đọc pháp luật tại nhà văn hóa"]


def test_quoted_titles_after_a_lead_in_that_describes_them_with_their_owners_between():
    text = ("Nhiều mô hình hay được người dân ghi nhận như: “Bưu điện văn hóa số” của UBND xã Tân Lập; "
            "“Tủ sách pháp luật lưu động” của UBND thị trấn Đồng Văn và “Ngày không hẹn” tại UBND xã Bình Minh.")
    assert titles(text) == ["Mô hình Bưu điện văn hóa số", "Mô hình Tủ sách pháp luật lưu động", "Mô hình Ngày không hẹn"]
    assert titles("Các giải pháp của huyện năm 2023 gồm: “Bản đồ số đất công”, “Phiếu hẹn điện tử” và "
                  "“Ki-ốt tra cứu hồ sơ”.") == [
        "Giải pháp Bản đồ số đất công", "Giải pháp Phiếu hẹn điện tử", "Giải pháp Ki-ốt tra cứu hồ sơ"]


def test_quoted_titles_right_after_a_plural_kind():
    assert titles("Phường duy trì các mô hình “Khu phố không rác”, “Tổ dân phố tự quản an ninh”.") == [
        "Mô hình Khu phố không rác", "Mô hình Tổ dân phố tự quản an ninh"]


def test_a_quoted_title_the_sentence_then_calls_a_kind():
    assert titles("“Chiều thứ Tư tiếp dân” là một trong 04 sáng kiến được huyện công nhận năm 2022.") == [
        "Chiều thứ Tư tiếp dân"]


def test_a_lead_in_that_counts_something_else_or_quotes_a_judgement_lists_no_titles():
    assert titles("Cuộc thi gồm 2 vòng: “Tìm hiểu”, “Hùng biện” và “Chung kết”.") == []
    assert titles("Mô hình được nhiều người dân nhận xét như: “Nhanh gọn, đúng hẹn”.") == []


def test_a_colon_after_a_kind_that_lists_something_else_lists_no_titles():
    assert titles("Hội thi gồm 3 phần: Chào hỏi; trả lời câu hỏi; tiểu phẩm.") == []
    assert titles("Kết quả đăng ký các sáng kiến: Sở Tư pháp 3 sáng kiến, Sở Nội vụ 2 sáng kiến.") == []


# --- kinds ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text,title", [
    ("UBND huyện tổ chức hội thi “Cán bộ, công chức cấp xã giỏi” năm 2024.", "Hội thi Cán bộ, công chức cấp xã giỏi"),
    ("Quận tổ chức Cuộc thi tìm hiểu pháp luật về cải cách hành chính năm 2023, thu hút 5.000 lượt người tham gia.",
     "Cuộc thi tìm hiểu pháp luật về cải cách hành chính năm 2023"),
    ("Ngày 5/3, Huyện đoàn ra quân chiến dịch thanh niên tình nguyện hè năm 2024.",
     "Chiến dịch thanh niên tình nguyện hè năm 2024"),
    ("Các cơ quan hưởng ứng đợt thi đua cao điểm 100 ngày đêm về cải cách hành chính.",
     "Đợt thi đua cao điểm 100 ngày đêm về cải cách hành chính"),
    ("Thành phố phát động phong trào thi đua “Chung sức xây dựng đô thị văn minh”.",
     "Phong trào thi đua Chung sức xây dựng đô thị văn minh"),
    ("Sở Nội vụ đề xuất nhóm giải pháp nâng cao Chỉ số hài lòng của người dân năm 2024.",
     "Nhóm giải pháp nâng cao Chỉ số hài lòng của người dân năm 2024"),
    ("Xã triển khai thí điểm “Ngày thứ Bảy vì dân” tại Trung tâm Phục vụ hành chính công.", "Ngày thứ Bảy vì dân"),
    ("Tên sáng kiến: Số hóa sổ hộ tịch tại bộ phận một cửa xã.\nPHẦN MỞ ĐẦU", "Số hóa sổ hộ tịch tại bộ phận một cửa xã"),
    ("Kết quả nổi bật năm nay (tên mô hình: Tổ hỗ trợ dịch vụ công tại khu dân cư).",
     "Tổ hỗ trợ dịch vụ công tại khu dân cư"),
    ("Công an tỉnh đẩy mạnh thực hiện Đề án 06 trên địa bàn.", "Đề án 06"),
    ("Công an huyện tiếp tục triển khai Đề án 06/CP, tập trung làm sạch dữ liệu.", "Đề án 06/CP"),
    ("Tên sáng kiến, giải pháp: Phần mềm nhắc hẹn trả kết quả.", "Phần mềm nhắc hẹn trả kết quả"),
    ("Tỉnh đoàn ra quân 120 đội hình sinh viên “Tiếp sức mùa thi”.", "Đội hình sinh viên Tiếp sức mùa thi"),
    ("Hội Nông dân mở các lớp “Nông dân dùng dịch vụ công trực tuyến” tại 12 xã.",
     "Lớp Nông dân dùng dịch vụ công trực tuyến"),
    ("Chi đoàn khánh thành công trình thanh niên “Ngõ xóm sáng đèn” năm 2025.", "Công trình thanh niên Ngõ xóm sáng đèn"),
    ("Thành đoàn khởi động “Tháng Thanh niên” năm 2025 với chủ đề chuyển đổi số.", "Tháng Thanh niên"),
    ("Đoàn phường duy trì “Chủ nhật hỗ trợ dịch vụ công” tại nhà văn hóa khu phố.", "Chủ nhật hỗ trợ dịch vụ công"),
])
def test_kinds_of_initiative(text, title):
    assert titles(text) == [title]


def test_cac_before_a_name_names_it_and_before_nothing_is_generic():
    assert titles("Hội Phụ nữ xây dựng các mô hình Dân vận khéo ở khu dân cư.") == ["Mô hình Dân vận khéo"]
    assert titles("Các sáng kiến, giải pháp, cách làm hay trong công tác CCHC được nhân rộng.") == []
    assert titles("Đơn vị đăng ký tối thiểu 2 sáng kiến năm 2021.") == []


# --- boundaries -----------------------------------------------------------------------------

def test_a_title_goes_on_through_commas_and_cua_while_the_name_does():
    assert titles("UBND tỉnh triển khai Đề án đo lường sự hài lòng của người dân, doanh nghiệp đối với sự phục vụ "
                  "của cơ quan hành chính nhà nước.") == [
        "Đề án đo lường sự hài lòng của người dân, doanh nghiệp đối với sự phục vụ của cơ quan hành chính nhà nước"]


def test_a_title_stops_where_the_sentence_goes_on_about_it():
    assert titles("Đề án sắp xếp tổ chức bộ máy trình cấp có thẩm quyền xem xét.") == ["Đề án sắp xếp tổ chức bộ máy"]
    assert titles("Huyện triển khai Chương trình chuyển đổi số cấp xã được người dân đồng tình.") == [
        "Chương trình chuyển đổi số cấp xã"]
    assert titles("Sở thực hiện Chương trình nâng cao năng lực số của UBND tỉnh từ năm 2022.") == [
        "Chương trình nâng cao năng lực số"]
    assert titles("Phong trào thi đua cần được triển khai sâu rộng.") == []


def test_a_wrapped_line_does_not_end_a_title():
    text = ("Ủy ban nhân dân tỉnh tiếp tục thực hiện Chương trình tổng thể cải cách hành chính nhà\n"
            "nước giai đoạn 2021 - 2030 trên địa bàn.\n")
    assert titles(text) == ["Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030 trên địa bàn"]
    quoted = ("Căn cứ Quyết định số 99/QĐ-BNV của Bộ trưởng Bộ Nội vụ phê duyệt Đề án\n“Nâng cao năng lực số của đội ngũ "
              "công chức giai đoạn\n2021-2025”;\n")
    assert titles(quoted) == ["Đề án Nâng cao năng lực số của đội ngũ công chức giai đoạn 2021-2025"]


def test_a_quote_open_at_a_line_that_stops_on_a_comma_runs_to_its_closing_mark():
    text = ("Căn cứ Quyết định số 12/QĐ-BNV của Bộ Nội vụ phê duyệt Đề án “Đo lường sự hài lòng của người dân, tổ chức,\n"
            "Doanh nghiệp đối với dịch vụ công giai đoạn 2023 - 2030”;\n")
    assert titles(text) == ["Đề án Đo lường sự hài lòng của người dân, tổ chức, Doanh nghiệp đối với dịch vụ công "
                            "giai đoạn 2023 - 2030"]


def test_a_full_title_runs_through_its_commas_to_the_short_name_in_parentheses():
    text = ("Bộ triển khai Đề án số hóa hồ sơ hộ tịch, lưu trữ và khai thác dữ liệu điện tử phục vụ người dân giai đoạn "
            "2024 - 2026, định hướng đến năm 2030 (Đề án 15) tại các địa phương.")
    assert titles(text) == [
        "Đề án số hóa hồ sơ hộ tịch, lưu trữ và khai thác dữ liệu điện tử phục vụ người dân giai đoạn 2024 - 2026, "
        "định hướng đến năm 2030", "Đề án 15"]


def test_a_title_goes_on_after_its_closing_quote_until_the_sentence_does():
    assert titles("Hội triển khai mô hình “Chi hội 4 không” vận động hội viên nộp hồ sơ trực tuyến.") == [
        "Mô hình Chi hội 4 không vận động hội viên nộp hồ sơ trực tuyến"]
    assert titles("Mô hình “Tổ số cộng đồng” bước đầu phát huy hiệu quả.") == ["Mô hình Tổ số cộng đồng"]
    assert titles("Xã ra mắt mô hình “Chợ không tiền mặt” gắn với chuyển đổi số.") == ["Mô hình Chợ không tiền mặt"]


# --- junk -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Chương trình này được triển khai tại 14 phường.",
    "Đơn vị thực hiện theo quy định tại Đề án và phù hợp với tình hình thực tế.",
    "Các đơn vị tích cực tham gia Đợt thi đua với tinh thần quyết tâm cao.",
    "Mô hình hướng đến việc đưa dịch vụ công đến gần người dân.",
    "Thực hiện Chương trình số 51-CTr/TU của Tỉnh ủy.",
    "Áp dụng giải pháp Sở Nội vụ đề xuất năm 2021.",
    "Nội dung sáng kiến, giải pháp tập trung vào các hạn chế của ngành.",
    "Chuyển từ “quản lý” sang “phục vụ” người dân.",
    "Thực hiện Chương trình hành động số 08-CTr/HU ngày 10/3/2022 của Huyện ủy về chuyển đổi số.",
    "Triển khai Chương trình hành động 30-CTr/TU của Tỉnh ủy trên địa bàn.",
    "Đơn vị gửi hồ sơ đề nghị công nhận sáng kiến gửi Hội đồng Sáng kiến tỉnh trước khi xét.",
    "Sở phối hợp tổ chức Cuộc thi trực tuyến trên Cổng thông tin điện tử tỉnh.",
    "Nhân rộng mô hình ra các xã, thị trấn trong huyện.",
    "Về việc công nhận Sáng kiến cải cách hành chính năm 2019 cho các tập thể, cá nhân.",
    "Giao nhiệm vụ tổ chức Cuộc thi Sở Tư pháp chủ trì.",
])
def test_generic_openings_back_references_units_and_documents_are_not_titles(text):
    assert titles(text) == []


def test_tasks_assigned_to_units_under_a_list_heading_are_not_initiatives():
    text = ("II. DANH MỤC SÁNG KIẾN ĐĂNG KÝ NĂM 2025\nNăm 2025, xã đăng ký 02 sáng kiến (chi tiết tại Phụ lục).\n"
            "III. TỔ CHỨC THỰC HIỆN\n1. Công chức Văn phòng - Thống kê: Theo dõi, tổng hợp; báo cáo UBND xã.\n"
            "2. Phòng Văn hóa - Xã hội: Tuyên truyền kết quả thực hiện sáng kiến.\n"
            "3. Các bộ phận có sáng kiến đã đăng ký chủ động thực hiện.\n")
    assert titles(text) == []


def test_straight_and_single_quotes():
    assert titles("Thành đoàn phát động Chiến dịch 'Thanh niên đồng hành cùng chính quyền số' trong tháng 12.") == [
        "Chiến dịch Thanh niên đồng hành cùng chính quyền số"]
    assert titles('Phường ra mắt mô hình "Alo! Bộ phận một cửa nghe!" nhằm hỗ trợ người dân.') == [
        "Mô hình Alo! Bộ phận một cửa nghe!"]


# --- tables and annex lists -----------------------------------------------------------------

def _docx(header: tuple[str, ...], rows: list[tuple[str, ...]], caption: str = "") -> bytes:
    from docx import Document as Docx

    d = Docx()
    if caption:
        d.add_paragraph(caption)
    t = d.add_table(rows=1, cols=len(header))
    for c, h in zip(t.rows[0].cells, header):
        c.text = h
    for row in rows:
        for c, v in zip(t.add_row().cells, row):
            c.text = v
    buffer = io.BytesIO()
    d.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("header,caption,kind", [
    (("STT", "Tên mô hình", "Đơn vị thực hiện", "Thời gian thực hiện"), "", "mô hình"),
    (("STT", "Tên giải pháp", "Đơn vị thực hiện", "Thời gian thực hiện"), "", "giải pháp"),
    (("TT", "Tên đề án", "Cơ quan chủ trì", "Thời gian hoàn thành"), "", "đề án"),
    (("STT", "Nội dung", "Đơn vị thực hiện", "Thời gian"), "DANH MỤC MÔ HÌNH CẢI CÁCH HÀNH CHÍNH NĂM 2024", "mô hình"),
])
def test_table_rows_under_a_title_column_named_otherwise(header, caption, kind):
    data = _docx(header, [("1", "Số hóa hồ sơ một cửa", "UBND Phường 5", "Năm 2024"),
                          ("2", "Tổ tư vấn thủ tục hành chính", "UBND Phường 7", "Quý III/2024")], caption)
    x = extract(read_bytes(data, "form.docx"))
    got = [(s.value["title"], s.value["kind"], s.value["unit"], s.value["year"]) for s in x.spans["initiatives"]]
    assert got == [("Số hóa hồ sơ một cửa", kind, "UBND Phường 5", 2024),
                   ("Tổ tư vấn thủ tục hành chính", kind, "UBND Phường 7", 2024)]


def test_rows_of_a_table_flattened_to_spaces_end_at_their_unit_or_period():
    text = ("PHỤ LỤC\nDANH MỤC MÔ HÌNH CẢI CÁCH HÀNH CHÍNH NĂM 2025\n"
            "STT Tên sáng kiến, mô hình Đơn vị thực hiện Thời gian thực hiện Ghi chú\n"
            "1 Sổ hộ tịch điện tử tra cứu trực tuyến UBND xã Hòa Bình Quý II/2025\n"
            "2 Ki-ốt tự phục vụ tại Bộ phận Một cửa huyện Văn phòng HĐND và UBND huyện Năm 2025 Đăng ký cấp tỉnh\n"
            "3 Bản tin hành chính công cho cán bộ cấp xã Phòng Tư pháp Tháng 4 - 12/2025\n"
            "Nơi nhận:\n")
    x = extract(read_bytes(text.encode("utf-8"), "annex.txt"))
    got = [(s.value["title"], s.value["unit"], s.value["year"]) for s in x.spans["initiatives"]]
    assert got == [("Sổ hộ tịch điện tử tra cứu trực tuyến", "UBND xã Hòa Bình", 2025),
                   ("Ki-ốt tự phục vụ tại Bộ phận Một cửa huyện", "Văn phòng HĐND và UBND huyện", 2025),
                   ("Bản tin hành chính công cho cán bộ cấp xã", "Phòng Tư pháp", 2025)]


def test_a_pipe_table_with_a_title_column_and_a_flat_task_table():
    pipe = ("STT | Tên sáng kiến/mô hình | Đơn vị thực hiện | Thời gian\n"
            "1 | Phiếu hẹn trả kết quả qua Zalo | UBND phường 2 | Năm 2025\n"
            "2 | Báo cáo kết quả thực hiện | UBND phường 3 | Quý IV/2025\n")
    assert titles(pipe) == ["Phiếu hẹn trả kết quả qua Zalo"]
    flat = ("IV. PHÂN CÔNG THỰC HIỆN\nSTT Nội dung công việc Cơ quan chủ trì Cơ quan phối hợp Thời gian hoàn thành\n"
            "1 Xây dựng thể lệ, phát động Hội thi Phòng Nội vụ Huyện đoàn Tháng 5/2025\n"
            "2 Khảo sát nội bộ, đề xuất giải pháp | Phòng Nội vụ | Tháng 6/2025\n")
    assert titles(flat) == []


def test_a_table_after_prose_that_names_a_kind_is_not_a_list_of_initiatives():
    text = ("3. Thí điểm mô hình “Bảng tên điện tử có mã QR” tại UBND phường 1 từ tháng 5/2025.\n"
            "| STT | Nội dung | Đơn vị chủ trì | Thời gian |\n| 1 | Sơ kết 6 tháng thực hiện | Phòng Nội vụ | Tháng 8/2025 |\n"
            "| 2 | Tổng kết, khen thưởng | Phòng Nội vụ | Tháng 12/2025 |\n")
    assert titles(text) == ["Mô hình Bảng tên điện tử có mã QR"]


def test_a_content_column_of_a_task_table_is_not_a_list_of_initiatives():
    data = _docx(("STT", "Nội dung", "Cơ quan thực hiện", "Thời gian"), [("1", "Rà soát thủ tục hành chính", "Sở Tư pháp", "Quý I")],
                 "Phụ lục: nhiệm vụ trọng tâm năm 2024")
    assert extract(read_bytes(data, "tasks.docx")).spans["initiatives"] == []


def test_an_annex_list_numbered_1_2():
    text = ("PHỤ LỤC\nDANH MỤC CÁC SÁNG KIẾN CẢI CÁCH HÀNH CHÍNH ĐƯỢC CÔNG NHẬN NĂM 2024\n"
            "1. Số hóa kết quả giải quyết thủ tục hành chính tại cấp xã.\n"
            "2. Tổ công nghệ số cộng đồng hỗ trợ người cao tuổi.\n"
            "Nơi nhận:\n")
    assert titles(text) == ["Số hóa kết quả giải quyết thủ tục hành chính tại cấp xã",
                            "Tổ công nghệ số cộng đồng hỗ trợ người cao tuổi"]


def test_a_borderless_pdf_table_is_read_as_a_table_and_its_rows_as_initiatives():
    from conftest import FIXTURES
    from extractors.reader import read_document

    x = extract(read_document(FIXTURES / "lamdong-mo-hinh-borderless.pdf"))
    assert [c.text for c in x.doc.tables[0].rows[0]] == ["STT", "Tên mô hình", "Thời gian thực hiện"]
    got = [(s.value["title"], s.value["year"], s.source) for s in x.spans["initiatives"]]
    assert got == [(f"Mô hình {m}", 2025, "initiatives.table") for m in (
        "Công khai Thủ tục hành chính số", "Hồ sơ giấy một lần", "Hồ sơ không bản giấy", "Hồ sơ không hẹn",
        "Hồ sơ phi địa giới hành chính")]


def test_a_catalogue_of_dev_texts_finds_the_dan_van_kheo_movement_by_a_search_without_tones(tmp_path):
    import json

    from conftest import CORPUS, run_cchc

    db = str(tmp_path / "catalogue.db")
    assert run_cchc("ingest", str(CORPUS / "dev"), str(CORPUS / "news"), "--db", db).returncode == 0
    proc = run_cchc("query", "initiatives", "--search", "dan van", "--format", "json", "--db", db)
    assert proc.returncode == 0, proc.stderr
    found = json.loads(proc.stdout)
    assert [(r["title"], r["kind"]) for r in found] == [("Phong trào thi đua Dân vận khéo", "phong trào thi đua")]


def test_the_evidence_of_an_initiative_is_its_sentence(db):
    from conftest import CORPUS
    from pipeline.ingest import ingest_path
    from pipeline.query import evidence, initiatives

    ingest_path(db, CORPUS / "news" / "hcm-tamthang-quay-giao-dich-so-2025.txt")
    row = next(r for r in initiatives(db) if r["title"] == "Mô hình Quầy giao dịch số")
    first = db.execute("SELECT id FROM mentions WHERE entity = 'initiative' AND entity_id = ? ORDER BY start",
                       [row["id"]]).fetchone()[0]
    e = evidence(db, first)
    assert e["before"] == "Cụ thể, "  # the sentence starts after the photo caption's line
    assert e["after"].startswith(" với chỉ tiêu 100% hồ sơ") and e["after"].endswith("trong năm 2025.")


# --- quoted names without a kind word, lists, tables and headings seen on unseen texts ------------

@pytest.mark.parametrize("text, title", [
    ("Xã Tân Hòa duy trì 05 “Tổ tư vấn dịch vụ công” với 30 thành viên.", "Tổ tư vấn dịch vụ công"),
    ("Hội Cựu chiến binh duy trì hiệu quả “Góc pháp luật cựu chiến binh” tại trụ sở ấp.", "Góc pháp luật cựu chiến binh"),
    ("Toàn huyện đã thành lập được 152 “Tổ công nghệ số cộng đồng”.", "Tổ công nghệ số cộng đồng"),
    ("Đoàn phường ra mắt “Điểm hỗ trợ nộp hồ sơ trực tuyến” tại nhà văn hóa khu 3.", "Điểm hỗ trợ nộp hồ sơ trực tuyến"),
    ("UBND huyện đưa vào hoạt động “Bộ phận Một cửa số” từ tháng 3.", "Bộ phận Một cửa số"),
    ("Tỉnh đoàn đề nghị phát huy vai trò của các “Đội hỗ trợ cài đặt ứng dụng” ở các thôn.", "Đội hỗ trợ cài đặt ứng dụng"),
    ("Phòng Tư pháp biên soạn cuốn “Cẩm nang thủ tục hộ tịch cho người cao tuổi” phát tới các thôn.",
     "Cẩm nang thủ tục hộ tịch cho người cao tuổi"),
    ("Phấn đấu xây dựng thị trấn trở thành “Thị trấn điểm về chuyển đổi số” của tỉnh.", "Thị trấn điểm về chuyển đổi số"),
])
def test_a_quoted_name_the_sentence_launches_or_keeps_is_an_initiative_without_a_kind_word(text, title):
    assert titles(text) == [title]


@pytest.mark.parametrize("text", [
    "Sở Nội vụ triển khai “Quy chế làm việc của Ban Chỉ đạo” đến các phòng.",  # a document's name
    "Huyện thành lập “Ban Chỉ đạo chuyển đổi số huyện” gồm 15 thành viên.",  # a unit
    "Chủ tịch UBND xã cho biết: “Chúng tôi sẽ duy trì việc tiếp dân vào thứ Bảy”.",  # someone speaking
    "Cán bộ thực hiện phương châm “Hỏi thăm, hướng dẫn, nhận hồ sơ” tại Bộ phận một cửa.",  # a motto
    "Huyện triển khai thực hiện “Năm dân vận chính quyền” trong toàn hệ thống.",  # the year's theme
    "Sở Nội vụ đã triển khai “Cổng thông tin điện tử Sở Nội vụ” phiên bản mới.",  # a unit's channel
])
def test_quoted_documents_units_speech_mottos_and_themes_are_not_launched_efforts(text):
    assert titles(text) == []


def test_a_list_opened_by_nhu_mixes_names_and_quotes_joined_by_va():
    assert titles("Huyện nhân rộng các mô hình tiêu biểu như Tổ hòa giải kiểu mẫu, Cà phê doanh nhân và "
                  "“Chợ không dùng tiền mặt”.") == [
        "Mô hình Tổ hòa giải kiểu mẫu", "Mô hình Cà phê doanh nhân", "Mô hình Chợ không dùng tiền mặt"]
    assert titles("Mô hình như Tổ tự quản rất hiệu quả.") == []  # one model described, no list


def test_a_kind_said_after_a_list_of_quotes_is_every_items():
    assert titles("“Tổ tự quản khu phố”, “Chợ văn minh” và “Cà phê pháp luật” là những mô hình hiệu quả của phường.") == [
        "Tổ tự quản khu phố", "Chợ văn minh", "Cà phê pháp luật"]


def test_the_kind_word_of_a_units_name_opens_no_list():
    text = ("Năm 2023, nhiều giải pháp được Hội đồng thẩm định sáng kiến tỉnh đánh giá cao như: “Phiếu hẹn điện tử” "
            "của UBND huyện Đông Sơn; “Bản đồ số thủ tục đất đai” của Sở Tài nguyên và Môi trường.")
    assert titles(text) == ["Giải pháp Phiếu hẹn điện tử", "Giải pháp Bản đồ số thủ tục đất đai"]


def test_quoted_lines_of_a_bulleted_list_beside_an_initiative_share_its_kind():
    text = ("Hội đồng công nhận 12 sáng kiến, trong đó tiêu biểu là:\n"
            "* Sáng kiến “Nhắn tin hẹn trả kết quả” của UBND phường 4: người dân nhận tin nhắn khi có kết quả;\n"
            "* “Bảng tra cứu thủ tục bằng mã QR” tại Bộ phận một cửa quận;\n"
            "* “Tủ sách pháp luật tổ dân phố” của UBND phường 7, phát miễn phí.\n"
            "Trên đây là kết quả năm 2024.\n")
    assert titles(text) == ["Sáng kiến Nhắn tin hẹn trả kết quả", "Sáng kiến Bảng tra cứu thủ tục bằng mã QR",
                            "Sáng kiến Tủ sách pháp luật tổ dân phố"]


def test_a_list_on_lines_ends_at_a_numbered_heading_after_its_dashes():
    text = ("Kết quả triển khai các mô hình:\n- Mô hình “Tiếp nhận hồ sơ qua Zalo” tại xã An Khánh.\n"
            "- Mô hình “Ngày thứ Bảy phục vụ Nhân dân” tại Chi nhánh.\n3. Cải cách tổ chức bộ máy\nThực hiện sắp xếp.\n")
    assert titles(text) == ["Mô hình Tiếp nhận hồ sơ qua Zalo", "Mô hình Ngày thứ Bảy phục vụ Nhân dân"]


def test_rows_of_a_decision_recognising_initiatives_whatever_noun_opens_them():
    text = ("DANH SÁCH SÁNG KIẾN ĐƯỢC CÔNG NHẬN\nSTT | Tên sáng kiến | Tác giả | Đơn vị công tác\n"
            "1 | Phần mềm theo dõi hồ sơ trễ hạn | Nguyễn Văn An | Văn phòng HĐND và UBND\n"
            "2 | Chuyên mục “Hỏi đáp pháp luật” trên Đài truyền thanh | Lê Thị Cúc | Phòng Tư pháp\n"
            "3 | Số hóa sổ hộ tịch giai đoạn 2000 - 2015 | Trần Bình | UBND phường 1\n")
    assert titles(text) == ["Phần mềm theo dõi hồ sơ trễ hạn", "Chuyên mục Hỏi đáp pháp luật trên Đài truyền thanh",
                            "Số hóa sổ hộ tịch giai đoạn 2000 - 2015"]


def test_a_markdown_table_keeps_its_row_numbers_and_its_header_after_the_signature():
    cells = ["**Nơi nhận:**\n- Như Điều 3;\n- Lưu: VT.", "**KT. CHỦ TỊCH**\nNguyễn Văn B",
             "**PHỤ LỤC**\n**DANH MỤC SÁNG KIẾN NĂM 2024**", "**STT**", "**Tên sáng kiến**", "**Đơn vị thực hiện**"]
    rows = [("1", "Phần mềm nhắc việc cho cán bộ một cửa", "Sở Tư pháp"),
            ("2", "Hệ thống đánh giá sự hài lòng bằng máy tính bảng", "UBND thành phố")]
    text = "Điều 3. Quyết định có hiệu lực kể từ ngày ký.\n|\n" + "\n|\n".join(cells) + "\n|\n|\n"
    text += "".join("|\n" + "\n|\n".join(row) + "\n|\n|\n" for row in rows)
    doc = read_bytes(text.encode("utf-8"), "qd.txt")
    assert "\n1\n" in doc.text  # a row's number between bars is a cell, not a visitor counter
    assert titles(text) == ["Phần mềm nhắc việc cho cán bộ một cửa", "Hệ thống đánh giá sự hài lòng bằng máy tính bảng"]


@pytest.mark.parametrize("text", [
    "Điều 1. Công nhận 09 (chín) sáng kiến cấp cơ sở năm 2022 trong lĩnh vực cải cách hành chính của các tập thể.",
    "Giải pháp được Hội đồng sáng kiến phường đánh giá là sáng kiến cấp cơ sở năm 2025.",
    "Ủy ban Kiểm tra đưa nội dung này vào chương trình kiểm tra, giám sát năm 2018.",
    "- Tổ chức Cuộc thi trực tuyến, tổng hợp kết quả báo cáo UBND tỉnh.",
])
def test_category_headings_plans_of_work_and_back_references_are_not_initiatives(text):
    assert titles(text) == []


def test_a_title_named_in_the_document_bounds_a_later_mention_that_runs_into_a_generic_scope():
    text = ("Căn cứ Quyết định phê duyệt Đề án văn hóa công vụ;\n"
            "3 | Triển khai Đề án văn hóa công vụ trong các cơ quan hành chính huyện | Phòng Nội vụ | Thường xuyên\n")
    x = extract(read_bytes(text.encode("utf-8"), "kh.txt"))
    assert [s.value["title"] for s in x.spans["initiatives"]] == ["Đề án văn hóa công vụ"] * 2
    # a name after the preposition makes a programme of its own
    assert titles("Trọng tâm là Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021-2030 và Chương trình "
                  "tổng thể cải cách hành chính nhà nước giai đoạn 2021-2030 trong Quân đội nhân dân.")[-1].endswith(
        "trong Quân đội nhân dân")


def test_a_period_closes_a_title_before_a_comma_unless_its_outlook_follows():
    assert titles("Chính phủ ban hành Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2011 - 2020, "
                  "tỉnh đã triển khai kịp thời.") == [
        "Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2011 - 2020"]
    assert titles("Thủ tướng phê duyệt Chương trình Chuyển đổi số quốc gia đến năm 2025, định hướng đến năm 2030, "
                  "tỉnh đã ban hành kế hoạch.") == [
        "Chương trình Chuyển đổi số quốc gia đến năm 2025, định hướng đến năm 2030"]


def test_a_domain_topic_after_va_is_part_of_the_title():
    assert titles("Sở Nội vụ phát động Cuộc thi tìm hiểu chuyển đổi số và cải cách hành chính năm 2025.") == [
        "Cuộc thi tìm hiểu chuyển đổi số và cải cách hành chính năm 2025"]


def test_a_title_with_closed_syllables_is_tagged_as_it_is_spelt():
    # the matching view folds "hoạch" to "họach"; the tagger must still see "Kế hoạch" and stop before it
    assert titles("Thực hiện Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030 và Kế hoạch số "
                  "12/KH-UBND ngày 10/6/2021 của UBND tỉnh.") == [
        "Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030"]


def test_national_movements_named_bare_but_not_as_a_cited_documents_subject():
    assert titles("Gắn phong trào với việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh trong cán "
                  "bộ, đảng viên.") == ["học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"]
    assert titles("Thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị về đẩy mạnh học tập và làm theo tư "
                  "tưởng, đạo đức, phong cách Hồ Chí Minh.") == []


def test_a_kind_after_another_in_a_list_of_kinds_names_a_category():
    # "sáng kiến, giải pháp cải cách hành chính năm 2023": what is recognised, not a title of its own
    text = ("Ngày 15/3/2024, Chủ tịch UBND tỉnh Sơn La ký Quyết định số 88/QĐ-UBND về việc công nhận sáng kiến, "
            "giải pháp cải cách hành chính năm 2023 cho 9 sáng kiến của các sở, ngành tỉnh.")
    assert titles(text) == []


def test_quoted_and_zero_x_items_of_a_list_share_its_kind():
    got = titles('UBND xã Tân Phú triển khai mô hình "Một cửa thân thiện"; Cà phê pháp luật; '
                 '"Ấp văn hóa số"; Thủ tục không hẹn.')
    assert {"Ấp văn hóa số", "Thủ tục không hẹn"} <= {t.removeprefix("Mô hình ") for t in got}, got


def test_a_quoted_item_after_an_owner_in_a_list_shares_its_kind():
    got = titles('Hội nghị giới thiệu mô hình "Bến phà thân thiện" của UBND xã A; '
                 '"Góc tra cứu pháp luật" của Phòng Tư pháp huyện.')
    assert "Góc tra cứu pháp luật" in {t.removeprefix("Mô hình ") for t in got}, got


def test_a_negated_clause_is_still_no_list_item():
    got = titles('Huyện nhân rộng mô hình "Một cửa thân thiện"; Các xã không được thu thêm phí.')
    assert not [t for t in got if "không được" in t], got


@pytest.mark.parametrize("text,expected", [
    ('Phường tiếp tục nâng cấp ứng dụng "Phường số An Cựu" trên nền tảng di động.', "Ứng dụng Phường số An Cựu"),
    ("Trung tâm đưa vào sử dụng phần mềm “Tra cứu hồ sơ đất đai” từ tháng 3.", "Phần mềm Tra cứu hồ sơ đất đai"),
    ('Bưu điện huyện triển khai dịch vụ "Chuyển phát hồ sơ tận nhà" cho người dân.', "Dịch vụ Chuyển phát hồ sơ tận nhà"),
    ('Đề nghị các xã học tập cách làm "Sổ tay một cửa" của xã Phú Lâm.', "Cách làm Sổ tay một cửa"),
    ('3. Tuyên dương "Cán bộ trẻ tiêu biểu trong chuyển đổi số"', "Tuyên dương Cán bộ trẻ tiêu biểu trong chuyển đổi số"),
    ("Hội Phụ nữ xã duy trì Câu lạc bộ “Phụ nữ với pháp luật” với 40 thành viên.", "Câu lạc bộ Phụ nữ với pháp luật"),
    ("Đoàn phường ra mắt công trình “Ngõ phố sáng - xanh” tại tổ dân phố 3.", "Công trình Ngõ phố sáng - xanh"),
])
def test_an_ordinary_word_names_an_effort_right_before_its_quoted_name(text, expected):
    assert expected in titles(text)


def test_those_ordinary_words_are_no_kind_without_a_quote():
    assert titles("Xã tăng cường ứng dụng công nghệ thông tin và dịch vụ công trực tuyến mức độ 4.") == []
    assert titles("Câu lạc bộ thể thao của xã hoạt động tốt; công trình xây dựng trụ sở đã hoàn thành.") == []
    # a kind word inside the quote stays the item's own words, after a list's lead-in
    got = titles("Một số sáng kiến tiêu biểu:\n- “Ứng dụng ký số trên điện thoại trong giải quyết hồ sơ” của Sở Tư pháp;")
    assert [t for t in got if "Ứng dụng ký số trên điện thoại" in t], got


def test_an_award_named_earlier_and_then_its_board_or_a_heading_are_no_initiative():
    text = ("Sở Nội vụ (cơ quan thường trực Hội đồng xét chọn Giải thưởng) thông báo:\n"
            "- Hội đồng xét chọn Giải thưởng tổ chức chấm sơ khảo trong tháng 11/2025; Lễ trao Giải thưởng dự kiến "
            "tổ chức vào ngày 19/12/2025.\n"
            "4. Cơ cấu giải thưởng\n"
            "01 giải Nhất, 02 giải Nhì, 03 giải Ba và 05 giải Khuyến khích.\n")
    assert titles(text) == []


def test_examples_after_a_clause_describing_the_models():
    got = titles('Nhiều phường đã triển khai các mô hình đưa dịch vụ công đến gần dân như "Điểm hẹn hành chính" '
                 '(phường Tân Hưng), "Tổ hỗ trợ lưu động" (xã Bình Mỹ)... Sở sẽ tổng hợp đề xuất nhân rộng.')
    assert {"Điểm hẹn hành chính", "Tổ hỗ trợ lưu động"} <= {t.removeprefix("Mô hình ") for t in got}, got


def test_a_comma_before_a_repeated_head_goes_on_in_the_title():
    text = ("Bộ Tư pháp tiếp tục triển khai Đề án nâng cao chất lượng cơ chế một cửa, một cửa liên thông trong "
            "giải quyết thủ tục hành chính, bảo đảm tiến độ.")
    got = titles(text)
    assert [t for t in got if t.endswith("một cửa, một cửa liên thông trong giải quyết thủ tục hành chính")], got


def test_a_lower_case_title_owned_in_a_list_of_named_efforts_is_one():
    text = ("Các mô hình tiêu biểu gồm: mô hình “Hòa giải viên đồng hành” của TAND thành phố Bến Tre; "
            "giải pháp số hóa hồ sơ vụ án hôn nhân và gia đình của TAND huyện Mỏ Cày Nam.")
    assert "Giải pháp số hóa hồ sơ vụ án hôn nhân và gia đình" in titles(text)
    # no list of named efforts before it: a lower-case title with an owner names nothing in particular
    assert titles("Sở đã tổng kết; giải pháp nâng cao chất lượng của UBND huyện Mai Sơn được đánh giá cao.") == []


# --- the results of a contest ----------------------------------------------------------------

CONTEST_RESULTS = (
    "THÔNG BÁO\nKết quả Hội thi sáng kiến cải cách hành chính tỉnh Nam Định năm 2022\n"
    "1. Giải Nhất: \"Ứng dụng tra cứu hồ sơ đất đai trên điện thoại\" - UBND huyện Hải Hậu.\n"
    "2. Giải Nhì (02 giải):\n"
    "- Hộp thư góp ý điện tử tại bộ phận một cửa - Sở Tư pháp;\n"
    "- \"Ngày thứ Sáu không hẹn\" - UBND huyện Giao Thủy.\n"
    "3. Giải Khuyến khích: đơn vị của UBND huyện Xuân Trường.\n")


def test_the_winners_of_a_contest_are_titles_with_their_unit_after_a_dash():
    got = titles(CONTEST_RESULTS)
    assert "Ứng dụng tra cứu hồ sơ đất đai trên điện thoại" in got
    assert "Hộp thư góp ý điện tử tại bộ phận một cửa" in got and "Ngày thứ Sáu không hẹn" in got
    assert not any("Xuân Trường" in t or "Sở Tư pháp" in t for t in got)


def test_a_task_and_its_unit_after_a_dash_in_a_plan_is_no_title():
    plan = ("KẾ HOẠCH\nCải cách hành chính năm 2023\nII. NHIỆM VỤ\n"
            "- Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực đất đai - Sở Tài nguyên và Môi trường;\n"
            "- Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính - UBND các huyện.\n")
    assert titles(plan) == []


def test_a_programme_named_after_ve_is_what_a_text_is_about_not_a_generic_topic():
    """ "… về Chương trình tổng thể …": a capitalised kind and its name after "về" is that programme;
    "… về sáng kiến" stays a generic topic."""
    got = titles("Sau khi Chính phủ ban hành Nghị quyết số 30c/NQ-CP ngày 08/11/2011 về Chương trình tổng thể cải cách "
                 "hành chính nhà nước giai đoạn 2011 - 2020, Sở Nội vụ đã tham mưu xây dựng kế hoạch.")
    assert got == ["Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2011 - 2020"]
    assert titles("Hội nghị trao đổi kinh nghiệm về sáng kiến trong cải cách hành chính.") == []


def test_a_list_of_quotes_goes_on_when_an_owner_wraps_onto_the_next_line():
    text = ("Năm 2011, Ban Chỉ đạo ghi nhận các sáng kiến: \"Phiếu khảo sát ý kiến người dân\" của UBND huyện Duy\n"
            "Xuyên; \"Sổ tay hướng dẫn thủ tục bằng tranh\" của UBND huyện Tây Giang.")
    assert titles(text) == ["Sáng kiến Phiếu khảo sát ý kiến người dân", "Sáng kiến Sổ tay hướng dẫn thủ tục bằng tranh"]


def test_people_and_teams_who_won_a_quiz_are_no_titles():
    text = ("THÔNG BÁO\nKết quả Hội thi tìm hiểu cải cách hành chính năm 2022\n"
            "1. Giải Nhất: Nguyễn Thị Hồng Nhung - Sở Tư pháp.\n"
            "2. Giải Nhì: Ông Trần Văn Bình - UBND huyện Hải Hậu.\n"
            "3. Giải Ba (02 giải):\n- Đội thi phường Lộc Hạ - UBND thành phố Nam Định;\n"
            "- \"Một cửa thân thiện\" - UBND huyện Giao Thủy.\n")
    assert titles(text) == ["Hội thi tìm hiểu cải cách hành chính năm 2022", "Một cửa thân thiện"]
