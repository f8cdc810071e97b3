"""Register the deployments with a running Prefect server and run them (``prefect.serve``).

Run as a child of ``cchc serve`` with ``PREFECT_API_URL`` pointing at that server:

    python -m flows.deployments --db output/catalogue.db --inbox inbox --inbox-every 60 --crawl-cron "0 6 * * *"

The catalogue, raw store, inbox and source list are fixed here, when the deployments start, and
are not parameters of the deployed flows: whoever can start a run through the API cannot point the
inbox at another folder or the crawl at another catalogue. The flows read them from environment
variables this process sets (each flow run is a child process of this one).
"""
from __future__ import annotations

import argparse
import os
from datetime import timedelta
from pathlib import Path

from prefect import flow, serve
from prefect.schedules import Cron, Interval

from flows.crawl import crawl_flow
from flows.inbox import inbox_flow
from flows.reprocess import reprocess_flow

TIMEZONE = "Asia/Ho_Chi_Minh"
# The environment variables that carry the fixed paths to the flow runs.
FIXED = {"db": "CCHC_SERVE_DB", "raw": "CCHC_SERVE_RAW", "inbox": "CCHC_SERVE_INBOX",
         "sources": "CCHC_SERVE_SOURCES", "settle": "CCHC_SERVE_SETTLE"}


def _fixed(name: str) -> str:
    return os.environ[FIXED[name]]


@flow(name="cchc-crawl")
def scheduled_crawl() -> dict:
    """The crawl of the sources fixed when the deployments started."""
    return crawl_flow.fn(db_path=_fixed("db"), sources_path=_fixed("sources"), raw_root=_fixed("raw"))


@flow(name="cchc-inbox")
def scheduled_inbox() -> list[dict]:
    """One pass over the inbox fixed when the deployments started."""
    return inbox_flow.fn(inbox=_fixed("inbox"), db_path=_fixed("db"), raw_root=_fixed("raw"),
                         settle_seconds=float(_fixed("settle")))


@flow(name="cchc-reprocess")
def scheduled_reprocess(everything: bool = False) -> dict:
    """Re-extraction of the catalogue fixed when the deployments started (all documents with ``everything``)."""
    return reprocess_flow.fn(db_path=_fixed("db"), raw_root=_fixed("raw"), everything=everything)


def fix_paths(args: argparse.Namespace) -> None:
    for name, variable in FIXED.items():
        value = getattr(args, name)
        os.environ[variable] = str(Path(value).resolve()) if name != "settle" else str(value)


def build(args: argparse.Namespace) -> list:
    fix_paths(args)
    return [
        scheduled_crawl.to_deployment(name="crawl", schedules=[Cron(args.crawl_cron, timezone=TIMEZONE)]),
        scheduled_inbox.to_deployment(name="inbox",
                                      schedules=[Interval(timedelta(seconds=args.inbox_every), timezone=TIMEZONE)]),
        scheduled_reprocess.to_deployment(name="reprocess"),
    ]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", default="output/catalogue.db")
    ap.add_argument("--raw", default="output/raw")
    ap.add_argument("--inbox", default="inbox")
    ap.add_argument("--sources", default="corpus/sources.toml")
    ap.add_argument("--inbox-every", type=float, default=60.0)
    ap.add_argument("--settle", type=float, default=2.0)
    ap.add_argument("--crawl-cron", default="0 6 * * *")
    args = ap.parse_args(argv)
    serve(*build(args), print_starting_message=False)


if __name__ == "__main__":
    main()
