"""Re-run extraction over stored documents after the extractor changed; review decisions are kept."""
from __future__ import annotations

from prefect import flow, get_run_logger

from flows.ingest import reprocess_on_dask


@flow(name="cchc-reprocess")
def reprocess_flow(db_path: str = "output/catalogue.db", raw_root: str = "output/raw", everything: bool = False,
                   workers: int | None = None, dask_address: str | None = None) -> dict:
    """Extraction is CPU-bound: it runs on the Dask cluster at ``dask_address`` (``tcp://host:8786``),
    else on a local cluster of ``workers`` processes (one per core by default); this process writes."""
    result = reprocess_on_dask(db_path, raw_root, everything, dask_address, workers)
    get_run_logger().warning("reprocess: %d updated, %d missing", result["updated"], len(result["missing"]))
    return result
