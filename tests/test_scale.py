"""Speed and scale: the text size cap, the fast text hygiene path, parallel inbox and crawl, Dask."""
from __future__ import annotations

import os
import subprocess

import pytest

from conftest import CCHC, ROOT


def _official_text(kilobytes: int) -> bytes:
    paragraph = ("Ủy ban nhân dân Quận 6 ban hành Kế hoạch số 123/KH-UBND ngày 05/3/2021 về việc "
                 "triển khai mô hình “Dân vận khéo” trong cải cách hành chính.\n").encode()
    return paragraph * (kilobytes * 1024 // len(paragraph) + 1)


def test_text_over_the_size_cap_is_refused_in_one_line_and_recorded(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(_official_text(300))
    small = tmp_path / "small.txt"
    small.write_bytes(_official_text(2))
    env = {**os.environ, "CCHC_MAX_TEXT_BYTES": str(200 * 1024), "CCHC_LANG": "en"}
    proc = subprocess.run([*CCHC, "ingest", str(big), str(small), "--db", str(tmp_path / "c.db"), "--workers", "1"],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    assert proc.returncode == 1  # one file failed; the batch went on
    failed = [line for line in proc.stderr.splitlines() if "failed:" in line]
    assert len(failed) == 1 and "over the 0.2 MB cap for one text" in failed[0], proc.stderr
    from pipeline.catalogue import connect

    db = connect(tmp_path / "c.db")
    assert db.execute("SELECT path, code FROM failures").fetchall() == [(str(big), "too-large")]
    assert db.execute("SELECT path FROM documents").fetchall() == [(str(small),)]


def test_the_text_read_out_of_any_format_is_capped(tmp_path, monkeypatch):
    import io

    import docx

    from extractors import limits
    from extractors.errors import ReadError
    from extractors.reader import read_bytes

    d = docx.Document()
    for line in _official_text(128).decode().splitlines():
        d.add_paragraph(line)
    buffer = io.BytesIO()
    d.save(buffer)
    monkeypatch.setattr(limits, "MAX_TEXT_BYTES", 64 * 1024)
    assert len(buffer.getvalue()) < 64 * 1024  # the file is small; its text is not
    with pytest.raises(ReadError, match="text of the DOCX is .* over the") as caught:
        read_bytes(buffer.getvalue(), "long.docx")
    assert caught.value.code == "too-large"


def test_clean_block_still_removes_invisible_characters_and_odd_spaces():
    from extractors.text_hygiene import clean_block

    assert clean_block("Quy\u200bết\u00a0định\tsố 12/QĐ\ufffe84\u00ad") == "Quyết định số 12/QĐ-84"
    assert clean_block("Quyết định số 12") == "Quyết định số 12"


# --- search: the full-text index walks rows in result order -------------------------------------------

def _catalogue_with_documents(path, dated):
    from pipeline.catalogue import connect, search_text

    db = connect(path)
    for i, (date, words) in enumerate(dated, start=1):
        db["documents"].insert({"id": i, "sha256": f"s{i}", "path": f"d{i}.txt", "date": date, "text": words,
                                "search_text": search_text(words)})
    return db


DATED = [("2021-03-05", "Đăng ký sáng kiến"), (None, "đăng ký sáng kiến cải cách"), ("2023-01-01", "báo cáo"),
         ("2021-03-05", "Sáng kiến đăng ký năm 2021"), ("2019-12-31", "dang ky sang kien"), (None, "sáng kiến đăng ký"),
         ("2024-06-30", "Kế hoạch đăng ký sáng kiến")]


def test_document_search_is_newest_first_then_by_id_and_sorts_nothing(tmp_path):
    from pipeline import query as q

    db = _catalogue_with_documents(tmp_path / "c.db", DATED)
    got = [r["id"] for r in q.documents(db, search="dang ky sang kien")]
    assert got == [7, 1, 4, 5, 2, 6]  # 2024, 2021 (ids 1 then 4), 2019, then the undated by id
    assert [r["id"] for r in q.documents(db, search="dang ky sang kien", limit=2)] == [7, 1]
    plan = " ".join(r[3] for r in db.execute(
        "EXPLAIN QUERY PLAN SELECT doc.id FROM documents_fts JOIN documents doc ON doc.search_key = documents_fts.rowid "
        "WHERE documents_fts MATCH ? ORDER BY documents_fts.rowid DESC LIMIT 50", ['"dang"']))
    assert "TEMP B-TREE" not in plan and "documents_fts" in plan


def test_the_index_follows_a_document_whose_date_changes_or_that_is_deleted(tmp_path):
    from pipeline import query as q

    db = _catalogue_with_documents(tmp_path / "c.db", DATED)
    db["documents"].update(5, {"date": "2030-01-01"})
    assert [r["id"] for r in q.documents(db, search="dang ky sang kien")] == [5, 7, 1, 4, 2, 6]
    db["documents"].delete(7)
    assert [r["id"] for r in q.documents(db, search="dang ky sang kien")] == [5, 1, 4, 2, 6]
    assert db.execute("SELECT COUNT(*) FROM documents_fts WHERE documents_fts MATCH 'bao'").fetchone()[0] == 1


def test_initiative_search_pages_equal_the_full_sorted_list(tmp_path):
    """The page stops at the year of its last row; it must be exactly the head of the sorted matches."""
    from pipeline import query as q
    from pipeline.catalogue import connect, search_text

    db = connect(tmp_path / "c.db")
    db["documents"].insert({"id": 1, "sha256": "s", "path": "p", "text": "x", "search_text": "x"})
    titles = ["Mô hình Dân vận khéo", "Mô hình một cửa", "Phong trào thi đua", "Mô hình xanh", "Mô hình số hóa",
              "Mô hình An toàn", "Mô hình bình dân học vụ số"]
    for n in range(40):
        title = f"{titles[n % len(titles)]} {n}"
        year = None if n % 9 == 0 else 2015 + (n * 7) % 8
        db["initiatives"].insert({"id": n + 1, "title": title, "title_key": title.lower(), "year": year,
                                  "search_text": search_text(title)})
        db["mentions"].insert({"document_id": 1, "entity": "initiative", "entity_id": n + 1, "field": "initiative",
                               "start": n, "end": n + 1})
    everything = q.initiatives(db, search="mo hinh")
    assert len(everything) == sum(1 for n in range(40) if titles[n % len(titles)].startswith("Mô hình"))
    assert [r["year"] or 0 for r in everything] == sorted((r["year"] or 0 for r in everything), reverse=True)
    for limit in (1, 3, 5, 8, 13, 50):
        assert q.initiatives(db, search="mo hinh", limit=limit) == everything[:limit]
    assert q.initiatives(db, search="mo hinh", year=2016, limit=3) == [r for r in everything if r["year"] == 2016][:3]


def test_an_older_catalogue_is_migrated_and_searchable(tmp_path):
    from conftest import catalogue_at_version
    from pipeline import catalogue, query as q

    path = tmp_path / "old.db"
    old = catalogue_at_version(path, 3)
    old["documents"].insert({"id": 1, "sha256": "s", "path": "p", "date": "2020-01-02", "text": "Đăng ký sáng kiến",
                             "search_text": "Đăng ký sáng kiến dang ky sang kien"})
    old.conn.close()
    db = catalogue.connect(path)
    assert catalogue.schema_version(db) == catalogue.SCHEMA_VERSION
    assert [r["id"] for r in q.documents(db, search="đăng ký")] == [1]


def test_the_web_search_box_finds_documents_through_the_keyed_index(tmp_path):
    import asyncio

    from datasette.app import Datasette

    from cchc.web import metadata

    db = _catalogue_with_documents(tmp_path / "catalogue.db", DATED)
    db.conn.close()

    async def search() -> list[int]:
        ds = Datasette([str(tmp_path / "catalogue.db")], metadata=metadata("catalogue"))
        response = await ds.client.get("/catalogue/documents.json?_search=sang+kien&_shape=array")
        assert response.status_code == 200, response.text
        return sorted(r["id"] for r in response.json())

    assert asyncio.run(search()) == [1, 2, 4, 5, 6, 7]
