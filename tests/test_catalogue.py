"""The catalogue: ingest, identity, search, filters, show, export, review decisions that survive re-runs."""
from __future__ import annotations

import json

import pytest

from conftest import CORPUS, DEV, REAL, run_cchc
from pipeline import query as q
from pipeline.ingest import ingest_path, iter_files
from pipeline.query import counts

DAN_VAN = ("Năm 2018, UBND Quận Gò Vấp triển khai mô hình Dân vận khéo theo Kế hoạch số 4776/KH-UBND "
           "ngày 12/3/2018. Các phường đăng ký trước ngày 31/3/2018.\n")  # the domain notes' example, as a test input


def ingest_all(db, paths):
    return [ingest_path(db, p) for p in iter_files(paths)]


def test_ingesting_twice_changes_nothing(db):
    paths = [CORPUS / "real", CORPUS / "dev"]
    first = ingest_all(db, paths)
    assert {r.status for r in first} == {"new"}
    after_first = counts(db)
    second = ingest_all(db, paths)
    assert {r.status for r in second} == {"unchanged"}
    assert counts(db) == after_first
    assert after_first["documents"] == len(REAL) + len(DEV)


def test_a_number_cited_by_several_documents_is_one_directive(db):
    ingest_all(db, [CORPUS / "real" / "kon-tum-435-qd-ubnd-2020.txt", CORPUS / "fixtures"])
    rows = [r for r in q.directives(db) if r["number"] == "37-CT/TW"]
    # The decision, and the task table as DOCX and as its PDF print: one document with two files.
    assert len(rows) == 1 and rows[0]["cited_by"] == 2
    own = [r for r in q.directives(db) if r["number"] == "435/QĐ-UBND"]
    assert len(own) == 1 and own[0]["date"] == "2020-05-04" and own[0]["doc_type"] == "Quyết định"


def test_search_ignores_tones_and_d_stroke(db, tmp_path):
    text = tmp_path / "go-vap.txt"
    text.write_text(DAN_VAN, encoding="utf-8")
    ingest_all(db, [text, CORPUS / "dev"])
    found = q.initiatives(db, search="dan van")
    assert [r["title"] for r in found] == ["Mô hình Dân vận khéo"]
    assert found[0]["unit"] == "Ủy ban nhân dân Quận Gò Vấp" and found[0]["directive"] == "4776/KH-UBND"
    docs = q.documents(db, search="dang ky sang kien")
    assert any("hanoi-dang-ky" in d["path"] for d in docs)
    assert q.documents(db, search="1980/SNV-CCHC")  # a raw number is quoted, not an FTS syntax error
    assert q.documents(db, search='" OR * NEAR(') == []


def test_cli_query_json_finds_dan_van(tmp_path):
    text = tmp_path / "go-vap.txt"
    text.write_text(DAN_VAN, encoding="utf-8")
    db = tmp_path / "c.db"
    assert run_cchc("ingest", str(text), str(CORPUS / "dev"), "--db", str(db)).returncode == 0
    proc = run_cchc("query", "initiatives", "--search", "dan van", "--format", "json", "--db", str(db))
    rows = json.loads(proc.stdout)
    assert [r["title"] for r in rows] == ["Mô hình Dân vận khéo"]
    proc = run_cchc("query", "documents", "--search", "dang ky", "--format", "csv", "--db", str(db))
    assert "hanoi-dang-ky-sang-kien-2021.txt" in proc.stdout and proc.stdout.startswith("id,kind,format")


def test_unit_filter_matches_aliases_and_units_under_it(db, tmp_path):
    text = tmp_path / "go-vap.txt"
    text.write_text(DAN_VAN, encoding="utf-8")
    ingest_all(db, [text, CORPUS / "dev"])
    assert [r["title"] for r in q.initiatives(db, unit="UBND Quận Gò Vấp")] == ["Mô hình Dân vận khéo"]
    under_city = {r["canonical"] for r in q.units(db, under="Ủy ban nhân dân Thành phố Hồ Chí Minh")}
    assert {"Ủy ban nhân dân Quận 6", "Ủy ban nhân dân Quận Gò Vấp", "Sở Nội vụ Thành phố Hồ Chí Minh"} <= under_city
    assert [r["title"] for r in q.initiatives(db, unit="TP.HCM")] == []  # alias not known: no guess


def test_deadline_filters(db):
    ingest_all(db, [CORPUS / "dev"])
    assert [r["date"] for r in q.deadlines(db, due_after="2021-08-01")] == ["2021-11-30"]
    assert [r["date"] for r in q.deadlines(db, due_before="2021-08-01")] == ["2021-07-31"]
    assert len(q.deadlines(db, overdue=True, today="2021-08-01")) == 1
    assert q.deadlines(db, unit="các cơ quan")  # responsible as written


def test_failed_files_are_recorded_and_the_rest_kept(tmp_path):
    db = tmp_path / "c.db"
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    proc = run_cchc("ingest", str(bad), str(CORPUS / "dev"), "--db", str(db))
    assert proc.returncode == 1
    assert "broken.pdf" in proc.stderr and "2 mới" in proc.stdout
    from pipeline.catalogue import connect

    c = connect(db)
    assert counts(c)["documents"] == 2 and counts(c)["failures"] == 1


def test_show_directive_prints_evidence(tmp_path):
    db = tmp_path / "c.db"
    run_cchc("ingest", str(CORPUS / "dev"), "--db", str(db))
    proc = run_cchc("show", "directive", "1980/SNV-CCHC", "--db", str(db))
    assert proc.returncode == 0
    assert "2021-07-12" in proc.stdout and "hanoi-dang-ky-sang-kien-2021.txt" in proc.stdout
    assert "Sở Nội vụ Hà Nội vừa ban hành" in proc.stdout  # the evidence sentence
    proc = run_cchc("show", "unit", "UBND Quận 6", "--db", str(db))
    assert "Ủy ban nhân dân Quận 6" in proc.stdout and "Ủy ban nhân dân quận" in proc.stdout


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_export(db, tmp_path, fmt):
    from pipeline.export import export

    ingest_all(db, [CORPUS / "dev"])
    target = export(db, fmt, tmp_path / ("out" if fmt == "csv" else f"out.{fmt}"))
    if fmt == "csv":
        assert (target / "directives.csv").read_text(encoding="utf-8-sig").count("1980/SNV-CCHC") == 1
        assert (target / "directives.csv").read_text(encoding="utf-8-sig").startswith("Số hiệu,Loại văn bản")
    elif fmt == "json":
        data = json.loads(target.read_text(encoding="utf-8"))
        assert {d["number"] for d in data["directives"]} >= {"1980/SNV-CCHC", "5743/QĐ-UBND"}
    else:
        from openpyxl import load_workbook

        book = load_workbook(target, read_only=True)
        assert {"Sáng kiến", "Văn bản chỉ đạo", "Hạn chót", "Đơn vị"} <= set(book.sheetnames)
        numbers = [row[0] for row in book["Văn bản chỉ đạo"].iter_rows(min_row=2, values_only=True)]
        assert "1980/SNV-CCHC" in numbers


def test_review_decisions_survive_a_new_extractor_version(db, tmp_path, monkeypatch):
    from pipeline import ingest as ingest_mod
    from pipeline.review import decide, pending

    ingest_all(db, [CORPUS / "real" / "kon-tum-435-qd-ubnd-2020.txt"])
    deadline = db.execute("SELECT m.id FROM mentions m WHERE m.entity = 'deadline' ORDER BY m.start LIMIT 1").fetchone()[0]
    unit = db.execute("SELECT id FROM mentions WHERE entity = 'unit' ORDER BY start LIMIT 1").fetchone()[0]
    decide(db, deadline, "corrected", {"date": "2020-06-15"}, reviewer="tester")
    decide(db, unit, "rejected", reviewer="tester")
    assert db.execute("SELECT COUNT(*) FROM deadlines WHERE date = '2020-06-15'").fetchone()[0] == 1

    monkeypatch.setattr(ingest_mod, "EXTRACTOR_VERSION", "next-version")
    (result,) = ingest_all(db, [CORPUS / "real" / "kon-tum-435-qd-ubnd-2020.txt"])
    assert result.status == "updated"
    assert db.execute("SELECT COUNT(*) FROM deadlines WHERE date = '2020-06-15'").fetchone()[0] == 1
    assert db.execute("SELECT entity_id FROM mentions WHERE entity = 'unit' ORDER BY start LIMIT 1").fetchone()[0] is None
    reviews = db.execute("SELECT decision, reviewer FROM reviews ORDER BY id").fetchall()
    assert reviews == [("corrected", "tester"), ("rejected", "tester")]
    assert all(p["id"] not in (deadline, unit) for p in pending(db, 1.0))


def test_review_cli_list_accept_correct_reject(tmp_path):
    db = tmp_path / "c.db"
    run_cchc("ingest", str(CORPUS / "real" / "an-le-27-2019.pdf"), "--db", str(db))
    # fitted confidences leave few of this text's extractions under 0.9: a stricter threshold lists enough
    listed = json.loads(run_cchc("review", "--db", str(db), "--threshold", "0.99", "list", "--format", "json").stdout)
    assert listed and listed == sorted(listed, key=lambda r: r["confidence"])
    first, second, third = (r["id"] for r in listed[:3])
    assert run_cchc("review", "--db", str(db), "accept", str(first)).returncode == 0
    assert run_cchc("review", "--db", str(db), "reject", str(second)).returncode == 0
    bad = run_cchc("review", "--db", str(db), "correct", str(third), "--set", "nonsense=1")
    assert bad.returncode == 2 and "cchc:" in bad.stderr and "Traceback" not in bad.stderr
    again = json.loads(run_cchc("review", "--db", str(db), "--threshold", "0.99", "list", "--format", "json").stdout)
    assert {first, second}.isdisjoint(r["id"] for r in again) and len(again) == len(listed) - 2


def test_schema_version_and_wal(tmp_path):
    from pipeline.catalogue import SCHEMA_VERSION, connect, schema_version

    db = connect(tmp_path / "c.db")
    assert schema_version(db) == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    connect(tmp_path / "c.db")  # opening again migrates nothing and fails nothing


def test_interactive_review_one_key_per_decision(tmp_path, runner):
    from pipeline.catalogue import connect
    from cchc.cli import cli
    from pipeline.review import pending

    db_path = tmp_path / "c.db"
    run_cchc("ingest", str(CORPUS / "real" / "an-le-27-2019.pdf"), "--db", str(db_path))
    queue = pending(connect(db_path), 0.99)
    assert len(queue) >= 4
    # a: accept the first, s: skip the second, r: reject the third, c + prompts: correct the fourth, q: quit
    fourth = queue[3]
    fields = {"unit": 3, "directive": 3, "deadline": 3, "initiative": 5}[fourth["entity"]]
    answers = "asr" + "c" + "Sửa bởi người duyệt\n" + "\n" * (fields - 1) + "q"
    result = runner.invoke(cli, ["review", "--db", str(db_path), "--threshold", "0.99"], input=answers)
    assert result.exit_code == 0, result.output
    assert "⟦" in result.output  # the span is marked in its context
    rows = dict(connect(db_path).execute("SELECT decision, COUNT(*) FROM reviews GROUP BY decision").fetchall())
    assert rows == {"accepted": 1, "rejected": 1, "corrected": 1}
    remaining = {r["id"] for r in pending(connect(db_path), 0.99)}
    assert queue[1]["id"] in remaining and not {queue[0]["id"], queue[2]["id"], fourth["id"]} & remaining


def test_units_carry_their_successor_after_1_july_2025(tmp_path):
    text = tmp_path / "ninh-thuan.txt"
    text.write_text("Năm 2020, UBND tỉnh Ninh Thuận và UBND Quận Gò Vấp, Thành phố Hồ Chí Minh triển khai "
                    "mô hình một cửa; UBND Phường Bến Nghé tham gia.\n", encoding="utf-8")
    db = tmp_path / "c.db"
    assert run_cchc("ingest", str(text), "--db", str(db)).returncode == 0
    proc = run_cchc("show", "unit", "UBND tỉnh Ninh Thuận", "--db", str(db))
    assert "từ ngày 1/7/2025: sáp nhập vào Ủy ban nhân dân Tỉnh Khánh Hòa" in proc.stdout
    proc = run_cchc("query", "units", "--current", "--format", "json", "--db", str(db))
    rows = {r["canonical"]: r for r in json.loads(proc.stdout)}
    assert rows["Ủy ban nhân dân Phường Bến Nghé"]["current"] == "Ủy ban nhân dân Phường Sài Gòn"
    gv = rows["Ủy ban nhân dân Quận Gò Vấp"]
    assert gv["since_2025"] == "abolished" and "Ủy ban nhân dân Phường Gò Vấp" in gv["current"]
    assert rows["Ủy ban nhân dân Tỉnh Ninh Thuận"]["current_province"] is None


def test_an_older_catalogue_is_migrated_to_carry_successors(tmp_path):
    from conftest import catalogue_at_version
    from pipeline.catalogue import SCHEMA_VERSION, connect, schema_version

    path = tmp_path / "old.db"
    old = catalogue_at_version(path, 3)
    old["units"].insert({"canonical": "Ủy ban nhân dân Quận 6", "canonical_key": "ủy ban nhân dân quận 6"})
    old.conn.close()
    db = connect(path)
    assert schema_version(db) == SCHEMA_VERSION
    row = db.execute("SELECT canonical, successor_status FROM units").fetchone()
    assert row == ("Ủy ban nhân dân Quận 6", None)
