"""The ingest and re-process flows extract on a Dask cluster (a LocalCluster of 2 workers here) and
write exactly the catalogue a sequential run writes."""
from __future__ import annotations

import pytest

from conftest import CORPUS, FIXTURES

pytestmark = pytest.mark.slow  # a Prefect flow run and a Dask cluster start

TABLES = {
    "documents": "sha256, path, format, kind, title, number, doc_type, issuer, place, date, subject, signer, text, "
                 "pages, warnings, extractor_version, search_text, search_key",
    "mentions": "document_id, entity, entity_id, field, start, end, text, value, confidence, extractor_version, source",
    "units": "id, canonical, canonical_key, level, parent_id, search_text",
    "unit_aliases": "unit_id, alias, alias_key",
    "directives": "id, number, doc_type, issuer, issuer_unit_id, date, subject, document_id, search_text",
    "initiatives": "id, title, title_key, kind, unit_id, year, directive_id, search_text",
    "deadlines": "date, task, responsible, responsible_unit_id, directive_id, document_id, recurring, resolved, start, end",
    "failures": "path, code, reason",
}


def catalogue(db) -> dict[str, list[tuple]]:
    return {t: db.execute(f"SELECT {cols} FROM {t} ORDER BY 1, 2, 3").fetchall() for t, cols in TABLES.items()}


def test_ingest_on_a_local_dask_cluster_writes_the_sequential_catalogue(tmp_path):
    from flows.ingest import ingest_flow
    from pipeline.catalogue import connect
    from pipeline.ingest import iter_files, write_results
    from pipeline.parallel import extract_many
    from pipeline.rawstore import RawStore

    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 truncated")
    paths = [str(CORPUS / "real"), str(CORPUS / "dev"), str(FIXTURES), str(broken)]

    sequential = connect(tmp_path / "sequential.db")
    list(write_results(sequential, extract_many(iter_files(paths), 1), RawStore(tmp_path / "raw1")))

    results = ingest_flow(paths, db_path=str(tmp_path / "dask.db"), raw_root=str(tmp_path / "raw2"), workers=2)
    on_dask = connect(tmp_path / "dask.db")
    assert [r.status for r in results].count("failed") == 1
    expected = catalogue(sequential)
    assert len(expected["documents"]) >= 9 and expected["mentions"]
    assert catalogue(on_dask) == expected
    assert sorted(p.name for p in (tmp_path / "raw2").rglob("*.gz")) == sorted(p.name for p in (tmp_path / "raw1").rglob("*.gz"))


def test_reprocess_flow_on_a_local_dask_cluster(tmp_path):
    from flows.reprocess import reprocess_flow
    from pipeline.catalogue import connect
    from pipeline.ingest import iter_files, write_results
    from pipeline.parallel import extract_many
    from pipeline.rawstore import RawStore
    from nlp.extract import EXTRACTOR_VERSION

    db = connect(tmp_path / "c.db")
    list(write_results(db, extract_many(iter_files([CORPUS / "dev"]), 1), RawStore(tmp_path / "raw")))
    before = catalogue(db)
    db.execute("UPDATE documents SET extractor_version = 'old'")
    result = reprocess_flow(db_path=str(tmp_path / "c.db"), raw_root=str(tmp_path / "raw"), workers=2)
    assert result == {"updated": 2, "missing": []}
    assert {r[0] for r in db.execute("SELECT extractor_version FROM documents")} == {EXTRACTOR_VERSION}
    assert catalogue(db) == before
