"""The inbox folder: catalogue dropped files and move them to processed/ or failed/."""
from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task

from pipeline.catalogue import connect
from pipeline.inbox import SETTLE_SECONDS, process_file, waiting_files
from pipeline.rawstore import RawStore


@task
def process_file_task(db_path: str, raw_root: str, path: str, inbox: str) -> dict:
    outcome = process_file(connect(db_path), RawStore(raw_root), Path(path), Path(inbox))
    return {"name": outcome.name, "outcome": outcome.outcome, "moved_to": outcome.moved_to, "reason": outcome.reason}


@flow(name="cchc-inbox")
def inbox_flow(inbox: str = "inbox", db_path: str = "output/catalogue.db", raw_root: str = "output/raw",
               settle_seconds: float = SETTLE_SECONDS) -> list[dict]:
    logger = get_run_logger()
    results = [process_file_task(db_path, raw_root, str(p), inbox) for p in waiting_files(Path(inbox), settle_seconds)]
    for r in results:
        logger.warning("inbox: %s %s%s", r["outcome"], r["name"], f" ({r['reason']})" if r["reason"] else "")
    return results
