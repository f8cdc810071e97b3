"""Ingest and re-process with extraction on a Dask cluster; the catalogue is written by this process.

Extraction is CPU-bound and independent per file, so it spreads over a cluster: an existing one
(``dask_address="tcp://scheduler:8786"``) or, when none is given, a ``LocalCluster`` of one process
per core on this machine. SQLite has one writer: the flow's process writes each extraction as its
result comes back, in the order of the files, so the catalogue is the one a sequential run makes.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from prefect import flow, get_run_logger, task
from prefect_dask import DaskTaskRunner

from pipeline.catalogue import connect
from pipeline.ingest import IngestResult, already_catalogued, iter_files, write_results
from pipeline.parallel import default_workers, extract_bytes, read_and_extract
from pipeline.rawstore import RawStore
from pipeline.reprocess import reprocess


def dask_runner(address: str | None = None, workers: int | None = None) -> DaskTaskRunner:
    """The cluster at ``address``, else a LocalCluster: ``workers`` processes of one thread (extraction
    holds the GIL), no dashboard (no port to pick on a shared machine)."""
    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(cluster_class="distributed.LocalCluster",
                          cluster_kwargs={"n_workers": workers or default_workers(), "threads_per_worker": 1,
                                          "processes": True, "dashboard_address": None})


@task
def extract_file_task(path: str):
    return read_and_extract(path)


@task
def extract_bytes_task(item: tuple[bytes, str]):
    return extract_bytes(item)


def _in_order(futures) -> Iterator:
    for future in futures:  # the order of submission, whatever finished first
        yield future.result()


@flow(name="cchc-ingest-on-cluster")
def _ingest_on_cluster(paths: list[str], db_path: str, raw_root: str, force: bool) -> list[IngestResult]:
    db = connect(db_path)
    files = list(iter_files(paths))
    results: list[IngestResult] = []
    if not force:
        files, results = already_catalogued(db, files)
    futures = extract_file_task.map([str(f) for f in files])
    results.extend(write_results(db, _in_order(futures), RawStore(raw_root), force=force))
    return results


@flow(name="cchc-ingest")
def ingest_flow(paths: list[str], db_path: str = "output/catalogue.db", raw_root: str = "output/raw",
                force: bool = False, dask_address: str | None = None, workers: int | None = None) -> list[IngestResult]:
    """Catalogue files and folders, extracting on the Dask cluster at ``dask_address`` (else a local one)."""
    on_cluster = _ingest_on_cluster.with_options(task_runner=dask_runner(dask_address, workers))
    results = on_cluster(paths, db_path, raw_root, force)
    failed = [r for r in results if r.status == "failed"]
    get_run_logger().warning("ingest: %d files, %d failed", len(results), len(failed))
    return results


@flow(name="cchc-reprocess-on-cluster")
def _reprocess_on_cluster(db_path: str, raw_root: str, everything: bool) -> dict:
    def on_cluster(items: Iterable[tuple[bytes, str]]):
        return _in_order(extract_bytes_task.map(list(items)))

    summary = reprocess(connect(db_path), RawStore(raw_root), everything, extract=on_cluster)
    return {"updated": summary.updated, "missing": summary.missing}


def reprocess_on_dask(db_path: str, raw_root: str, everything: bool, dask_address: str | None,
                      workers: int | None) -> dict:
    """Re-extract stored documents on the Dask cluster at ``dask_address`` (else a local one)."""
    runner = dask_runner(dask_address, workers)
    return _reprocess_on_cluster.with_options(task_runner=runner)(db_path, raw_root, everything)
