"""Office-ready: the Excel report, deadlines that can be done, one document with many files, a consistent
command line, the catalogue migrated from the previous schema."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest

from conftest import CORPUS, run_cchc
from pipeline import query as q
from pipeline.ingest import ingest_path, iter_files

GO_VAP = ("Năm 2018, UBND Quận Gò Vấp triển khai mô hình Dân vận khéo theo Kế hoạch số 4776/KH-UBND "
          "ngày 12/3/2018. Phòng Nội vụ quận đăng ký sáng kiến trước ngày 31/3/2018.\n")


def ingest_all(db, paths):
    return [ingest_path(db, p) for p in iter_files(paths)]


@pytest.fixture
def go_vap(tmp_path):
    path = tmp_path / "go-vap.txt"
    path.write_text(GO_VAP, encoding="utf-8")
    return path


# --- the Excel report ---------------------------------------------------------------------------

def test_xlsx_report_names_dates_filters_and_no_formula(db, tmp_path, go_vap):
    from openpyxl import load_workbook

    from pipeline.export import export
    from pipeline.review import decide

    ingest_all(db, [go_vap, CORPUS / "dev"])
    mention = db.execute("SELECT m.id FROM mentions m JOIN initiatives i ON i.id = m.entity_id "
                         "WHERE m.entity = 'initiative' AND i.title = 'Mô hình Dân vận khéo'").fetchone()[0]
    decide(db, mention, "corrected", {"title": "=1+1"}, reviewer="tester")  # a reviewer types a formula
    target = export(db, "xlsx", tmp_path / "bao-cao.xlsx", today="2018-03-01")
    book = load_workbook(target)
    assert book.sheetnames == ["Tổng hợp", "Sáng kiến", "Hạn chót", "Văn bản chỉ đạo", "Đơn vị", "Tài liệu"]

    sheet = book["Sáng kiến"]
    headers = [c.value for c in sheet[1]]
    assert headers == ["Tên", "Loại", "Đơn vị", "Năm", "Văn bản chỉ đạo", "Nguồn"]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    formula = rows["=1+1"]
    assert formula[0].data_type == "s"  # text, not a formula
    assert formula[2].value == "Ủy ban nhân dân Quận Gò Vấp" and formula[4].value == "4776/KH-UBND"  # names, not ids
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:F{sheet.max_row}"
    assert sheet.column_dimensions["C"].width > len("Ủy ban nhân dân Quận Gò Vấp")  # fits the longest name

    deadlines = book["Hạn chót"]
    assert [c.value for c in deadlines[1]][:3] == ["Ngày", "Nhiệm vụ", "Đơn vị chủ trì"]
    due = [r for r in deadlines.iter_rows(min_row=2) if r[0].value == datetime(2018, 3, 31)]
    assert due and due[0][0].is_date and due[0][0].number_format == "DD/MM/YYYY"
    assert due[0][2].value == "Phòng Nội vụ Quận Gò Vấp"  # the responsible unit, linked to the units table
    assert due[0][5].value == "chưa xong"
    assert deadlines.auto_filter.ref.startswith("A1:I")

    summary = book["Tổng hợp"]
    cells = [c.value for row in summary.iter_rows() for c in row if c.value is not None]
    assert "Sáng kiến theo đơn vị và năm" in cells and "Ủy ban nhân dân Quận Gò Vấp" in cells
    assert "Hạn chót chưa xong trong 90 ngày tới" in cells
    coming = [r for r in summary.iter_rows() if r[1].value == datetime(2018, 3, 31)]
    assert coming and coming[0][2].value == 30  # days left from the report's day

    directives = book["Văn bản chỉ đạo"]
    issued = {r[0].value: r[3].value for r in directives.iter_rows(min_row=2)}
    assert issued["4776/KH-UBND"] == datetime(2018, 3, 12)


def test_csv_export_neutralises_formula_prefixes(db, tmp_path, go_vap):
    from pipeline.export import csv_safe, export
    from pipeline.review import decide

    assert [csv_safe(v) for v in ("=1+1", "+84 90", "-2", "@SUM(A1)", "\t=x", "\r=x", "Sở Nội vụ", 5, None)] == \
        ["'=1+1", "'+84 90", "'-2", "'@SUM(A1)", "'\t=x", "'\r=x", "Sở Nội vụ", 5, None]
    ingest_all(db, [go_vap])
    mention = db.execute("SELECT id FROM mentions WHERE entity = 'initiative'").fetchone()[0]
    decide(db, mention, "corrected", {"title": "@SUM(1+1)*cmd|' /C calc'!A0"}, reviewer="tester")
    folder = export(db, "csv", tmp_path / "csv")
    text = (folder / "initiatives.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "Tên,Loại,Đơn vị,Năm,Văn bản chỉ đạo,Nguồn"
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0] == "'@SUM(1+1)*cmd|' /C calc'!A0"


def test_cli_csv_output_is_safe(tmp_path, go_vap):
    db_path = tmp_path / "c.db"
    assert run_cchc("ingest", str(go_vap), "--db", str(db_path)).returncode == 0
    listed = json.loads(run_cchc("review", "list", "--db", str(db_path), "--threshold", "1", "--format",
                                 "json").stdout)
    mention = next(r["id"] for r in listed if r["entity"] == "initiative")
    assert run_cchc("review", "correct", str(mention), "--set", "title=-1+2", "--db", str(db_path)).returncode == 0
    out = run_cchc("query", "initiatives", "--format", "csv", "--db", str(db_path)).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["title"] for r in rows] == ["'-1+2"]


# --- deadlines with a life ----------------------------------------------------------------------

def test_deadline_done_and_reopened_with_who_and_when(tmp_path, go_vap, monkeypatch):
    from pipeline import ingest as ingest_mod
    from pipeline.catalogue import connect

    db_path = tmp_path / "c.db"
    assert run_cchc("ingest", str(go_vap), str(CORPUS / "dev"), "--db", str(db_path)).returncode == 0
    rows = json.loads(run_cchc("query", "deadlines", "--due-within", "30", "--today", "01/03/2018", "--format", "json",
                               "--db", str(db_path)).stdout)
    assert [r["date"] for r in rows] == ["2018-03-31"] and rows[0]["responsible_unit"] == "Phòng Nội vụ Quận Gò Vấp"
    deadline = rows[0]["id"]
    overdue = json.loads(run_cchc("query", "deadlines", "--overdue", "--today", "2018-04-01", "--format", "json",
                                  "--db", str(db_path)).stdout)
    assert deadline in [r["id"] for r in overdue]

    done = run_cchc("deadline", "done", str(deadline), "--by", "Nguyễn Văn A", "--db", str(db_path))
    assert done.returncode == 0 and "Nguyễn Văn A" in done.stdout and "đánh dấu xong" in done.stdout
    for args in (["--due-within", "30", "--today", "2018-03-01"], ["--overdue", "--today", "2018-04-01"]):
        listed = json.loads(run_cchc("query", "deadlines", *args, "--format", "json", "--db", str(db_path)).stdout)
        assert deadline not in [r["id"] for r in listed]  # done: neither coming nor late
    again = run_cchc("deadline", "done", str(deadline), "--db", str(db_path))
    assert again.returncode == 1 and "đã xong từ trước" in again.stderr and len(again.stderr.splitlines()) == 1

    # A new extractor version re-extracts the document: the mark stays.
    monkeypatch.setattr(ingest_mod, "EXTRACTOR_VERSION", "next-version")
    db = connect(db_path)
    assert ingest_path(db, go_vap).status == "updated"
    state = db.execute("SELECT status, done_by, done_at FROM deadlines WHERE date = '2018-03-31'").fetchone()
    assert state[0] == "done" and state[1] == "Nguyễn Văn A" and state[2]
    new_id = db.execute("SELECT id FROM deadlines WHERE date = '2018-03-31'").fetchone()[0]

    reopened = run_cchc("deadline", "reopen", str(new_id), "--by", "Trần Thị B", "--db", str(db_path))
    assert reopened.returncode == 0
    shown = run_cchc("show", "deadline", str(new_id), "--db", str(db_path)).stdout
    assert "Nguyễn Văn A" in shown and "Trần Thị B" in shown and "mở lại" in shown
    assert json.loads(run_cchc("query", "deadlines", "--status", "open", "--format", "json", "--db",
                               str(db_path)).stdout)
    missing = run_cchc("deadline", "done", "99999", "--db", str(db_path))
    assert missing.returncode == 1 and "99999" in missing.stderr


# --- one document, many files -------------------------------------------------------------------

def test_same_text_tolerates_layout_but_not_another_number():
    from pipeline.same_text import SAME_TEXT_JACCARD, jaccard, shingles, text_key

    text = (CORPUS / "real" / "kon-tum-435-qd-ubnd-2020.txt").read_text(encoding="utf-8")
    words = text.split()
    rewrapped = "\n".join(" ".join(words[i:i + 9]) for i in range(0, len(words), 9))  # other line breaks
    assert text_key(rewrapped) == text_key(text)
    paged = "\n".join(" ".join(words[i:i + 400]) + f"\nTrang {n + 1}\n" for n, i in enumerate(range(0, len(words), 400)))
    assert text_key(paged) != text_key(text) and jaccard(shingles(paged), shingles(text)) >= SAME_TEXT_JACCARD
    half = " ".join(words[: len(words) // 2])
    assert jaccard(shingles(half), shingles(text)) < SAME_TEXT_JACCARD  # a part is not the whole


def test_near_identical_texts_with_different_numbers_stay_two_documents(db, tmp_path):
    body = ("Điều 1. Giao Phòng Nội vụ chủ trì, phối hợp với các cơ quan, đơn vị triển khai thực hiện Kế hoạch "
            "cải cách hành chính năm 2024 trên địa bàn; báo cáo kết quả về Ủy ban nhân dân quận trước ngày "
            "15/12/2024. Điều 2. Chánh Văn phòng, Trưởng Phòng Nội vụ và các đơn vị liên quan chịu trách nhiệm "
            "thi hành Quyết định này.\n")
    for number in ("101", "102"):
        (tmp_path / f"qd-{number}.txt").write_text(
            f"ỦY BAN NHÂN DÂN QUẬN 6\nSố: {number}/QĐ-UBND\nQuận 6, ngày 02 tháng 4 năm 2024\n"
            f"QUYẾT ĐỊNH\nVề việc giao nhiệm vụ\n{body}", encoding="utf-8")
    results = ingest_all(db, [tmp_path])
    assert [r.status for r in results] == ["new", "new"]
    assert db["documents"].count == 2


def test_same_text_in_two_encodings_is_one_document(db, tmp_path, go_vap):
    (tmp_path / "go-vap-utf16.txt").write_bytes(GO_VAP.encode("utf-16"))
    first, second = ingest_all(db, [go_vap, tmp_path / "go-vap-utf16.txt"])
    assert (first.status, second.status) == ("new", "same") and second.same_as == str(go_vap)
    assert db["documents"].count == 1 and db["files"].count == 2
    assert db["deadlines"].count == 1 and [r["title"] for r in q.initiatives(db)] == ["Mô hình Dân vận khéo"]
    assert ingest_all(db, [tmp_path / "go-vap-utf16.txt"])[0].status == "unchanged"


@pytest.mark.slow
def test_txt_docx_pdf_of_one_decision_are_one_document_with_three_files(tmp_path):
    """The real decision as TXT, and as DOCX and PDF made from it by LibreOffice (other layout, page breaks)."""
    import shutil
    import subprocess

    from pipeline.catalogue import connect

    assert shutil.which("soffice"), "LibreOffice is installed by scripts/setup.sh"
    source = CORPUS / "real" / "kon-tum-435-qd-ubnd-2020.txt"
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(source, folder / "qd-435.txt")
    profile = f"-env:UserInstallation=file://{tmp_path}/lo-profile"
    for target in ("docx:MS Word 2007 XML", "pdf:writer_pdf_Export"):
        subprocess.run(["soffice", profile, "--headless", "--infilter=Text (encoded):UTF8,LF,,,", "--convert-to", target,
                        "--outdir", str(tmp_path / "out"), str(folder / "qd-435.txt")], check=True, capture_output=True,
                       timeout=180)
    shutil.copy(tmp_path / "out" / "qd-435.docx", folder / "qd-435.docx")
    shutil.copy(tmp_path / "out" / "qd-435.pdf", folder / "qd-435.pdf")

    alone = tmp_path / "alone.db"
    assert run_cchc("ingest", str(folder / "qd-435.txt"), "--db", str(alone)).returncode == 0
    db_path = tmp_path / "c.db"
    proc = run_cchc("ingest", str(folder), "--db", str(db_path), "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("cùng văn bản với") == 2, proc.stdout
    db, reference = connect(db_path), connect(alone)
    assert db["documents"].count == 1 and db["files"].count == 3
    assert {r[0] for r in db.execute("SELECT format FROM files")} == {"txt", "docx", "pdf"}
    for table in ("deadlines", "initiatives", "directives"):  # appear once, as from the one file
        assert db[table].count == reference[table].count > 0, table


# --- a consistent command line ------------------------------------------------------------------

READ_COMMANDS = (["summary"], ["query", "initiatives"], ["query", "deadlines", "--overdue"], ["show", "initiative", "1"],
                 ["export", "--format", "xlsx"], ["review", "list"], ["deadline", "done", "1"])


@pytest.mark.parametrize("args", READ_COMMANDS, ids=lambda a: " ".join(a))
def test_read_commands_refuse_a_missing_catalogue_and_create_nothing(tmp_path, args):
    target = tmp_path / "nowhere" / "c.db"
    proc = run_cchc(*args, "--db", str(target), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "không có danh mục" in proc.stderr and str(target) in proc.stderr and "Traceback" not in proc.stderr
    assert not target.exists() and not target.parent.exists()


def test_db_after_the_subcommand_dates_both_ways_and_bad_values(tmp_path, go_vap):
    db_path = str(tmp_path / "c.db")
    assert run_cchc("ingest", str(go_vap), str(CORPUS / "dev"), "--db", db_path).returncode == 0
    before = run_cchc("review", "--db", db_path, "--threshold", "1", "list", "--format", "json").stdout
    after = run_cchc("review", "list", "--threshold", "1", "--format", "json", "--db", db_path).stdout
    assert json.loads(before) == json.loads(after) != []

    iso = run_cchc("query", "deadlines", "--due-after", "2021-07-01", "--format", "json", "--db", db_path).stdout
    vietnamese = run_cchc("query", "deadlines", "--due-after", "01/07/2021", "--format", "json", "--db", db_path).stdout
    assert json.loads(iso) == json.loads(vietnamese) != []
    impossible = run_cchc("query", "deadlines", "--due-after", "31/02/2021", "--db", db_path)
    assert impossible.returncode == 2 and "31/02/2021" in impossible.stderr and "Traceback" not in impossible.stderr

    level = run_cchc("query", "units", "--level", "foo", "--db", db_path)
    assert level.returncode == 2 and "central, province, district, commune" in level.stderr
    kind = run_cchc("query", "initiatives", "--kind", "phép màu", "--db", db_path)
    assert kind.returncode == 2 and "mô hình" in kind.stderr and "sáng kiến" in kind.stderr

    units = json.loads(run_cchc("review", "list", "--threshold", "1", "--format", "json", "--db", db_path).stdout)
    unit = next(r["id"] for r in units if r["entity"] == "unit")
    bad = run_cchc("review", "correct", str(unit), "--set", "level=foo", "--db", db_path)
    assert bad.returncode == 2 and "level" in bad.stderr and "central, province, district, commune" in bad.stderr
    deadline = next(r["id"] for r in units if r["entity"] == "deadline") if any(
        r["entity"] == "deadline" for r in units) else None
    if deadline is not None:
        day = run_cchc("review", "correct", str(deadline), "--set", "date=30/02/2021", "--db", db_path)
        assert day.returncode == 2 and "30/02/2021" in day.stderr
    good = run_cchc("review", "correct", str(unit), "--set", "level=District", "--db", db_path)
    assert good.returncode == 0


def test_search_folds_i_and_y_as_well_as_tones(db, go_vap):
    from pipeline.catalogue import search_fold

    assert search_fold("Đăng ký Quy định công ty Mỹ Tho lý do") == "dang ki qui dinh cong ti mi tho li do"
    assert search_fold("Ủy ban tuyên truyền, thủy lợi, tay") == "uy ban tuyen truyen, thuy loi, tay"  # other syllables
    ingest_all(db, [go_vap, CORPUS / "dev"])
    for spelled in ("dang ki", "đăng kí", "dang ky", "ĐĂNG KÝ"):
        assert any("hanoi-dang-ky" in d["path"] for d in q.documents(db, search=spelled)), spelled


def test_every_command_has_help_with_an_example():
    from click import Group

    from cchc.cli import cli

    def walk(command, path):
        yield path, command
        if isinstance(command, Group):
            for name, sub in command.commands.items():
                yield from walk(sub, path + [name])

    for path, command in walk(cli, []):
        proc = run_cchc(*path, "--help")
        assert proc.returncode == 0, path
        if not isinstance(command, Group) or path in ([], ["review"]):
            assert "Ví dụ: cchc" in proc.stdout, path


# --- the catalogue of the previous schema -------------------------------------------------------

def test_a_version_3_catalogue_is_migrated(tmp_path):
    from conftest import catalogue_at_version
    from pipeline import catalogue

    path = tmp_path / "old.db"
    old = catalogue_at_version(path, 3)
    doc = old["documents"].insert({"sha256": "ab" * 32, "path": "old.txt", "format": "txt", "kind": "official",
                                   "text": GO_VAP, "ingested_at": "2024-01-01T00:00:00+00:00",
                                   "search_text": "stale"}).last_pk
    old["deadlines"].insert({"date": "2018-03-31", "task": "đăng ký", "document_id": doc, "start": 1, "end": 2})
    old.conn.close()

    db = catalogue.connect(path)
    assert catalogue.schema_version(db) == catalogue.SCHEMA_VERSION
    assert db.execute("SELECT document_id, sha256, path FROM files").fetchall() == [(doc, "ab" * 32, "old.txt")]
    assert db.execute("SELECT status FROM deadlines").fetchone()[0] == "open"
    assert db.execute("SELECT COUNT(*) FROM sketches WHERE document_id = ?", [doc]).fetchone()[0] > 0
    assert q.documents(db, search="dang ki")  # search text refolded (i/y)


def test_english_on_request_vietnamese_by_default(tmp_path):
    import os
    import subprocess

    from conftest import CCHC, ROOT

    def helptext(**env):
        base = {k: v for k, v in os.environ.items() if k not in ("CCHC_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
        return subprocess.run([*CCHC, "summary", "--help"], capture_output=True, text=True, cwd=ROOT,
                              env={**base, **env}).stdout

    assert "Cách dùng:" in helptext() and "Ví dụ:" in helptext(LANG="C.UTF-8")
    assert "Usage:" in helptext(CCHC_LANG="en") and "Example:" in helptext(CCHC_LANG="en")
    assert "Usage:" in helptext(LANG="en_US.UTF-8")
    assert "Cách dùng:" in helptext(LANG="en_US.UTF-8", CCHC_LANG="vi")
    assert "Cách dùng:" in helptext(LANGUAGE="vi:en", LANG="en_US.UTF-8")
    proc = subprocess.run([*CCHC, "summary", "--db", str(tmp_path / "x.db")], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "CCHC_LANG": "en"})
    assert proc.returncode == 1 and "no catalogue at" in proc.stderr


def test_summary_day_is_a_date(tmp_path):
    proc = run_cchc("summary", "--today", "2021-13-01", "--db", str(tmp_path / "c.db"))
    assert proc.returncode == 2 and "2021-13-01" in proc.stderr and not (tmp_path / "c.db").exists()
