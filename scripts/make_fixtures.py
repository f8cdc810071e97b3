"""Make corpus/fixtures/qd435-tasks.docx (a table of real rows) and its PDF (via LibreOffice), and
corpus/fixtures/lamdong-mo-hinh-borderless.docx/.pdf (a table without borders, as many annexes are).

The rows of the first are copied verbatim from corpus/real/kon-tum-435-qd-ubnd-2020.txt (Quyết định
435/QĐ-UBND, UBND tỉnh Kon Tum, 04/5/2020): task, "Cơ quan thực hiện", "Thời gian thực hiện".
The rows of the second are the five models piloted under Quyết định 787/QĐ-UBND of UBND tỉnh Lâm
Đồng, verbatim from the Sở Nội vụ Lâm Đồng report of November 2025 (footnote 1 and section II),
with the pilot period the report gives.
corpus/fixtures/plan-tasks-borderless.docx/.pdf is a plan's task table written for the tests in the
forms of Nghị định 30/2020 plans (no real text): five columns without lines, cells that wrap over
several lines, a header that wraps too, and rows that run on over two page breaks.

    python scripts/make_fixtures.py
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "corpus" / "real" / "kon-tum-435-qd-ubnd-2020.txt"
OUT = ROOT / "corpus" / "fixtures"


def task_rows(text: str, limit: int = 6) -> list[tuple[str, str, str]]:
    """(task, agency, time) for the first items that have both labels, verbatim."""
    rows = []
    lines = [l.strip() for l in text.splitlines()]
    for i, line in enumerate(lines):
        if line.startswith("- Cơ quan thực hiện:") and i + 1 < len(lines) and "Thời gian thực hiện:" in lines[i + 1]:
            task = lines[i - 1]
            agency = line.split(":", 1)[1].strip()
            when = lines[i + 1].split(":", 1)[1].strip()
            if re.match(r"^\d", task) or len(task) < 20:
                continue
            rows.append((task, agency, when))
        if len(rows) == limit:
            break
    return rows


LAMDONG_MODELS = ["Công khai Thủ tục hành chính số", "Hồ sơ giấy một lần", "Hồ sơ không bản giấy", "Hồ sơ không hẹn",
                  "Hồ sơ phi địa giới hành chính"]
LAMDONG_PERIOD = "từ ngày 26/8/2025 đến hết ngày 30/9/2025"


def to_pdf(target: Path) -> None:
    soffice = shutil.which("soffice")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "pdf",
                        "--outdir", str(target.parent), str(target)], check=True, capture_output=True, timeout=180)


def borderless_models() -> Path:
    """A list of initiatives in a table with no ruling lines (python-docx's default table has none)."""
    document = docx.Document()
    document.add_paragraph("SỞ NỘI VỤ TỈNH LÂM ĐỒNG")
    document.add_paragraph("Danh sách các mô hình cải cách hành chính thực hiện thí điểm theo Quyết định số 787/QĐ-UBND")
    table = document.add_table(rows=1, cols=3)
    for cell, title in zip(table.rows[0].cells, ("STT", "Tên mô hình", "Thời gian thực hiện")):
        cell.text = title
    for n, model in enumerate(LAMDONG_MODELS, 1):
        for cell, value in zip(table.add_row().cells, (str(n), f"Mô hình “{model}”", LAMDONG_PERIOD)):
            cell.text = value
    target = OUT / "lamdong-mo-hinh-borderless.docx"
    document.save(target)
    to_pdf(target)
    return target


PLAN_TASKS = [
    ("Xây dựng và ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2026 trên địa bàn tỉnh", "Sở Nội vụ",
     "Tháng 02/2026"),
    ("Rà soát, đơn giản hóa thủ tục hành chính thuộc thẩm quyền giải quyết của tỉnh, đề xuất phương án cắt giảm",
     "Sở Tư pháp", "Quý II/2026"),
    ("Đánh giá, xác định Chỉ số cải cách hành chính của các sở, ban, ngành và Ủy ban nhân dân cấp huyện", "Sở Nội vụ",
     "Trước ngày 15 tháng 11 năm 2026"),
    ("Báo cáo kết quả số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "Trung tâm Phục vụ hành chính công tỉnh",
     "Hoàn thành trong tháng 6/2026"),
    ("Kiện toàn đội ngũ công chức làm việc tại Bộ phận Một cửa các cấp", "Sở Nội vụ", "Quý I/2026"),
    ("Tổ chức hội nghị đối thoại với doanh nghiệp về thủ tục hành chính", "Văn phòng Ủy ban nhân dân tỉnh", "Tháng 9/2026"),
    ("Kiểm tra công tác cải cách hành chính tại các cơ quan, đơn vị", "Sở Nội vụ", "Quý III/2026"),
]


def borderless_tasks() -> Path:
    """A plan whose task table has no ruling lines and runs over page breaks, its cells wrapping."""
    document = docx.Document()
    for line in ("ỦY BAN NHÂN DÂN TỈNH BẮC NINH", "Số: 215/KH-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "Bắc Ninh, ngày 20 tháng 12 năm 2025", "KẾ HOẠCH",
                 "Cải cách hành chính năm 2026", *["Mục đích, yêu cầu của kế hoạch."] * 8, "III. NHIỆM VỤ CỤ THỂ"):
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=5)
    for cell, title in zip(table.rows[0].cells, ("STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp",
                                                 "Thời gian hoàn thành")):
        cell.text = title
    partners = "Các sở, ban, ngành; Ủy ban nhân dân các huyện, thị xã, thành phố"
    for n, (task, lead, when) in enumerate(PLAN_TASKS, 1):
        for cell, value in zip(table.add_row().cells, (str(n), task, lead, partners, when)):
            cell.text = value
    document.add_paragraph("Nơi nhận: - Như trên;")
    target = OUT / "plan-tasks-borderless.docx"
    document.save(target)
    to_pdf(target)
    return target


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rows = task_rows(SOURCE.read_text(encoding="utf-8"))
    document = docx.Document()
    document.add_paragraph("ỦY BAN NHÂN DÂN TỈNH KON TUM")
    document.add_paragraph("Số: 435/QĐ-UBND")
    document.add_paragraph("Chương trình hành động (trích): nhiệm vụ, cơ quan thực hiện và thời gian thực hiện")
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, ("STT", "Nhiệm vụ", "Cơ quan thực hiện", "Thời gian thực hiện")):
        cell.text = title
    for n, (task, agency, when) in enumerate(rows, 1):
        cells = table.add_row().cells
        for cell, value in zip(cells, (str(n), task, agency, when)):
            cell.text = value
    target = OUT / "qd435-tasks.docx"
    document.save(target)
    to_pdf(target)
    print(f"wrote {target} and {target.with_suffix('.pdf')} with {len(rows)} rows")
    models = borderless_models()
    print(f"wrote {models} and {models.with_suffix('.pdf')} with {len(LAMDONG_MODELS)} rows, no borders")
    plan = borderless_tasks()
    print(f"wrote {plan} and {plan.with_suffix('.pdf')} with {len(PLAN_TASKS)} rows over page breaks, no borders")


if __name__ == "__main__":
    main()
