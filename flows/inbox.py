"""The inbox folder: catalogue dropped files and move them to processed/ or failed/."""
from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from pipeline.catalogue import connect
from pipeline.inbox import SETTLE_SECONDS, process_inbox
from pipeline.parallel import default_workers
from pipeline.rawstore import RawStore


# NO_CACHE: a task's result is never reused, and Prefect does not try to hash its arguments.
@task(cache_policy=NO_CACHE)
def inbox_pass_task(db_path: str, raw_root: str, inbox: str, settle_seconds: float, workers: int) -> list[dict]:
    """One pass: files read here, extracted in ``workers`` guarded processes, written and moved by this one."""
    return [{"name": o.name, "outcome": o.outcome, "moved_to": o.moved_to, "reason": o.reason}
            for o in process_inbox(connect(db_path), RawStore(raw_root), Path(inbox), settle_seconds, workers)]


@flow(name="cchc-inbox")
def inbox_flow(inbox: str = "inbox", db_path: str = "output/catalogue.db", raw_root: str = "output/raw",
               settle_seconds: float = SETTLE_SECONDS, workers: int | None = None) -> list[dict]:
    """Extraction is CPU-bound: a process pool, one worker per core unless ``workers`` says."""
    logger = get_run_logger()
    results = inbox_pass_task(db_path, raw_root, inbox, settle_seconds, workers or default_workers())
    for r in results:
        logger.warning("inbox: %s %s%s", r["outcome"], r["name"], f" ({r['reason']})" if r["reason"] else "")
    return results
