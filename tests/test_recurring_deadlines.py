"""Recurring deadlines in the catalogue: the rule is stored, the next due date is computed from today."""
from __future__ import annotations

import json

import pytest

from conftest import run_cchc
from nlp import recurrence
from pipeline import query as q
from pipeline.ingest import ingest_path

YEARLY_PLAN = ("ỦY BAN NHÂN DÂN\nTỈNH KON TUM\nSố: 88/KH-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
               "Kon Tum, ngày 10 tháng 01 năm 2024\nKẾ HOẠCH\nThực hiện công tác cải cách hành chính\n"
               "Sở Nội vụ tổng hợp, báo cáo Ủy ban nhân dân tỉnh trước ngày 30/11 hằng năm.\n"
               "Các sở gửi báo cáo về Sở Nội vụ trước ngày 15 hằng tháng.\n"
               "Sở Tư pháp hoàn thành việc rà soát trước ngày 31/3/2024.\n")


@pytest.mark.parametrize("rule,today,due", [
    ("FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=30", "2026-07-01", "2026-11-30"),
    ("FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=30", "2026-11-30", "2026-11-30"),  # due today is not yet past
    ("FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=30", "2026-12-01", "2027-11-30"),
    ("FREQ=MONTHLY;BYMONTHDAY=31", "2026-02-10", "2026-02-28"),  # a day the month lacks: its last day
    ("FREQ=MONTHLY;BYMONTHDAY=15", "2026-12-20", "2027-01-15"),
    ("FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=15", "2026-06-16", "2026-09-15"),
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "2027-03-01", "2028-02-29"),
])
def test_next_due(rule, today, due):
    assert recurrence.next_due(rule, today) == due


def test_rules_read_back_and_foreign_rules_give_nothing():
    assert recurrence.describe(recurrence.yearly(30, 11)) == "every year on 30/11"
    assert recurrence.describe(recurrence.quarterly(15)) == "day 15 of the last month of every quarter"
    assert recurrence.next_due("FREQ=WEEKLY;BYDAY=FR", "2026-01-01") is None
    assert recurrence.next_due(None, "2026-01-01") is None


@pytest.fixture
def plan_db(db, tmp_path):
    path = tmp_path / "ke-hoach.txt"
    path.write_text(YEARLY_PLAN, encoding="utf-8")
    assert ingest_path(db, path).status == "new"
    return db, tmp_path


def test_a_recurring_deadline_keeps_its_rule_in_the_catalogue(plan_db):
    db, _ = plan_db
    rows = db.execute("SELECT date, rule, recurring, resolution FROM deadlines ORDER BY start").fetchall()
    assert rows == [(None, "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=30", "every year on 30/11", "recurring"),
                    (None, "FREQ=MONTHLY;BYMONTHDAY=15", "day 15 of every month", "recurring"),
                    ("2024-03-31", None, None, "day")]


def test_upcoming_lists_show_a_recurring_deadline_at_its_next_due_date(plan_db):
    db, _ = plan_db
    upcoming = q.deadlines(db, due_after="2026-07-01", today="2026-07-01")
    assert [(r["due"], r["rule"] is not None) for r in upcoming] == [("2026-07-15", True), ("2026-11-30", True)]
    assert upcoming[1]["responsible_unit"] == "Sở Nội vụ Tỉnh Kon Tum"
    window = q.deadlines(db, due_after="2026-08-01", due_before="2026-08-31", today="2026-07-01")
    assert [r["due"] for r in window] == ["2026-08-15"]  # the monthly rule's first day in the window
    assert [r["due"] for r in q.deadlines(db, overdue=True, today="2026-07-01")] == ["2024-03-31"]
    assert [r["due"] for r in q.deadlines(db, unit="Sở Nội vụ", today="2026-07-01")] == ["2026-11-30"]


def test_summary_shows_the_next_due_date_of_a_yearly_deadline(plan_db):
    _, tmp_path = plan_db
    proc = run_cchc("summary", "--db", str(tmp_path / "catalogue.db"), "--today", "2026-12-01")
    assert proc.returncode == 0, proc.stderr
    assert "các hạn chót chưa xong gần nhất (từ 2026-12-01):" in proc.stdout
    assert "2027-11-30 (hằng năm vào ngày 30/11)" in proc.stdout
    assert "2026-12-15 (ngày 15 hằng tháng)" in proc.stdout
    proc = run_cchc("query", "deadlines", "--db", str(tmp_path / "catalogue.db"), "--today", "01/12/2026",
                    "--due-after", "2026-12-01", "--format", "json")
    rows = json.loads(proc.stdout)
    assert [(r["due"], r["date"], r["rule"]) for r in rows] == [
        ("2026-12-15", None, "FREQ=MONTHLY;BYMONTHDAY=15"), ("2027-11-30", None, "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=30")]
    due_soon = run_cchc("query", "deadlines", "--db", str(tmp_path / "catalogue.db"), "--today", "2026-12-01",
                        "--due-within", "30", "--format", "json")
    assert [r["due"] for r in json.loads(due_soon.stdout)] == ["2026-12-15"]


def test_a_catalogue_of_schema_5_is_migrated_with_its_recurring_rows(tmp_path):
    from conftest import catalogue_at_version
    from pipeline import catalogue

    path = tmp_path / "old.db"
    old = catalogue_at_version(path, 5)
    old["documents"].insert({"id": 1, "sha256": "x", "path": "old.txt", "text": ""})
    for i, (day, recurring, resolved) in enumerate([(None, "day 30/11 of every năm", None),
                                                    (None, "day 15 of every tháng", None),
                                                    ("2020-06-30", None, "last day of the quarter"),
                                                    ("2020-06-15", None, None)]):
        old["deadlines"].insert({"date": day, "recurring": recurring, "resolved": resolved, "document_id": 1,
                                 "start": i, "end": i + 1})
    old.conn.close()

    db = catalogue.connect(path)
    assert catalogue.schema_version(db) == catalogue.SCHEMA_VERSION == 9  # v9: the crawl's retry back-off
    rows = db.execute("SELECT rule, recurring, resolution FROM deadlines ORDER BY start").fetchall()
    assert rows == [("FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=30", "every year on 30/11", "recurring"),
                    ("FREQ=MONTHLY;BYMONTHDAY=15", "day 15 of every month", "recurring"),
                    (None, None, "quarter_end"), (None, None, "day")]
    assert [r["due"] for r in q.deadlines(db, due_after="2026-11-01", today="2026-11-01")] == ["2026-11-15", "2026-11-30"]
