"""The pages people read: the dashboard at ``/`` and one page per initiative, directive, unit, deadline
and document, each showing names, the evidence sentence with its span marked, and a link to the
source (the file as it was read, or its web address). Read-only: forms post to ``review_page``.
"""
from __future__ import annotations

from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pipeline import entities, report
from pipeline import query as q
from pipeline.review import pending_count

# Lists on the dashboard: enough to act on, short enough to read.
HOME_LIST = 12
# Media types a browser may show inline; anything else (HTML pages above all) is downloaded.
INLINE_TYPES = {"pdf": "application/pdf", "txt": "text/plain; charset=utf-8"}
DOWNLOAD_TYPES = {"html": "text/html; charset=utf-8", "docx": "application/vnd.openxmlformats-officedocument."
                  "wordprocessingml.document", "doc": "application/msword"}


def home(site, request: Request) -> Response:
    db = site.db()
    counts = q.counts(db)
    overdue = q.deadlines(db, overdue=True)
    horizons = {n: len(q.deadlines(db, due_within=n)) for n in report.HORIZONS}
    return site.render("home.html", request, counts=counts, overdue_count=len(overdue), horizons=horizons,
                       queue=pending_count(db, site.threshold), threshold=site.threshold,
                       upcoming=report.upcoming(db)[:HOME_LIST], overdue=list(reversed(overdue))[:HOME_LIST],
                       initiatives=q.initiatives(db, limit=HOME_LIST), dashboard_slug="cchc")


def _page(site, request: Request, template: str, page: dict[str, Any] | None, what: str) -> Response:
    if page is None:
        return site.render("missing.html", request, status=404, what=what, ident=request.path_params["ident"])
    return site.render(template, request, **page)


def initiative(site, request: Request) -> Response:
    return _page(site, request, "initiative.html", entities.initiative(site.db(), request.path_params["ident"]),
                 "initiative")


def directive(site, request: Request) -> Response:
    return _page(site, request, "directive.html", entities.directive(site.db(), request.path_params["ident"]),
                 "directive")


def unit(site, request: Request) -> Response:
    return _page(site, request, "unit.html", entities.unit(site.db(), request.path_params["ident"]), "unit")


def deadline(site, request: Request) -> Response:
    return _page(site, request, "deadline.html", entities.deadline(site.db(), request.path_params["ident"]),
                 "deadline")


def document(site, request: Request) -> Response:
    """The document's text, with the mention ``?m=ID`` marked and scrolled to."""
    db = site.db()
    page = entities.document(db, request.path_params["ident"])
    if page is None:
        return _page(site, request, "document.html", None, "document")
    text = page["document"]["text"] or ""
    parts = (text, "", "")
    mention = q.evidence(db, int(request.query_params["m"]), 0) if request.query_params.get("m", "").isdigit() else None
    if mention and mention["document_id"] == page["document"]["id"]:
        parts = (text[:mention["start"]], text[mention["start"]:mention["end"]], text[mention["end"]:])
    return site.render("document.html", request, parts=parts, mention=mention, **page)


def file(site, request: Request) -> Response:
    """A file of the catalogue as it was read. Never run in our origin: HTML and Word files are downloaded,
    and every answer forbids scripts (CSP sandbox) and type sniffing."""
    found = entities.file_bytes(site.db(), request.path_params["ident"], site.raw_root)
    if found is None:
        return site.render("missing.html", request, status=404, what="file", ident=request.path_params["ident"])
    row, data = found
    name = PurePath(row["path"]).name.replace('"', "")
    inline = row["format"] in INLINE_TYPES
    media = INLINE_TYPES.get(row["format"]) or DOWNLOAD_TYPES.get(row["format"], "application/octet-stream")
    headers = {"X-Content-Type-Options": "nosniff",
               "Content-Disposition": f"{'inline' if inline else 'attachment'}; filename*=UTF-8''{quote(name)}"}
    if row["format"] != "pdf":  # Chromium's PDF viewer does not run in a sandboxed document
        headers["Content-Security-Policy"] = "sandbox"
    return Response(data, media_type=media, headers=headers)


def routes(site) -> list[Route]:
    def bind(handler):
        def endpoint(request: Request) -> Response:  # plain function: Starlette runs it in a thread
            return handler(site, request)
        return endpoint

    return [
        Route("/", bind(home)),
        Route("/initiative/{ident:int}", bind(initiative)),
        Route("/directive/{ident:int}", bind(directive)),
        Route("/unit/{ident:int}", bind(unit)),
        Route("/deadline/{ident:int}", bind(deadline)),
        Route("/document/{ident:int}", bind(document)),
        Route("/file/{ident:int}", bind(file)),
    ]
