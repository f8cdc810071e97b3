"""Re-run extraction over stored documents after the extractor changed; review decisions are kept."""
from __future__ import annotations

from prefect import flow, get_run_logger

from pipeline.catalogue import connect
from pipeline.parallel import default_workers
from pipeline.rawstore import RawStore
from pipeline.reprocess import reprocess


@flow(name="cchc-reprocess")
def reprocess_flow(db_path: str = "output/catalogue.db", raw_root: str = "output/raw", everything: bool = False,
                   workers: int | None = None) -> dict:
    """Extraction is CPU-bound: it runs in a process pool (one worker per core unless ``workers`` says)."""
    summary = reprocess(connect(db_path), RawStore(raw_root), everything, workers or default_workers())
    get_run_logger().warning("reprocess: %d updated, %d missing", summary.updated, len(summary.missing))
    return {"updated": summary.updated, "missing": summary.missing}
