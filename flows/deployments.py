"""Register the deployments with a running Prefect server and run them (``prefect.serve``).

Run as a child of ``cchc serve`` with ``PREFECT_API_URL`` pointing at that server:

    python -m flows.deployments --db output/catalogue.db --inbox inbox --inbox-every 60 --crawl-cron "0 6 * * *"
"""
from __future__ import annotations

import argparse
from datetime import timedelta

from prefect import serve
from prefect.schedules import Cron, Interval

from flows.crawl import crawl_flow
from flows.inbox import inbox_flow
from flows.reprocess import reprocess_flow

TIMEZONE = "Asia/Ho_Chi_Minh"


def build(args: argparse.Namespace) -> list:
    common = {"db_path": args.db, "raw_root": args.raw}
    return [
        crawl_flow.to_deployment(name="crawl", schedules=[Cron(args.crawl_cron, timezone=TIMEZONE)],
                                 parameters={**common, "sources_path": args.sources}),
        inbox_flow.to_deployment(name="inbox", schedules=[Interval(timedelta(seconds=args.inbox_every), timezone=TIMEZONE)],
                                 parameters={**common, "inbox": args.inbox, "settle_seconds": args.settle}),
        reprocess_flow.to_deployment(name="reprocess", parameters=common),
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
