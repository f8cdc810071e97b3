"""The review page (``/review``) and the forms that change data: review decisions on extractions and
deadlines marked done or reopened. Every change is a POST checked by the site's ``Guard``; the
reviewer's name comes from it too.
"""
from __future__ import annotations

import json
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from pipeline import report
from pipeline import query as q
from pipeline.deadline_status import DeadlineError, mark_done, reopen
from pipeline.i18n import _
from pipeline.review import EDITABLE, ReviewError, decide, pending

# Items on one page of the queue: the lowest confidences first.
QUEUE_PAGE = 200
# Deadlines offered for marking on the review page: open ones due within this many days, and overdue ones.
MARK_WITHIN_DAYS = 30
RECENTLY_DONE = 10


def review(site, request: Request) -> Response:
    db = site.db()
    items = []
    for row in pending(db, site.threshold, limit=QUEUE_PAGE):
        ev = q.evidence(db, row["id"], 160)
        value = json.loads(row["value"]) if row["value"] else {}
        items.append({**row, "before": ev["before"], "after": ev["after"], "document_id": ev["document_id"],
                      "fields": [{"name": f, "value": "" if value.get(f) is None else value.get(f)}
                                 for f in EDITABLE[row["entity"]]]})
    due = q.deadlines(db, overdue=True) + q.deadlines(db, due_within=MARK_WITHIN_DAYS)
    done = sorted(q.deadlines(db, status="done"), key=lambda r: r["done_at"] or "", reverse=True)[:RECENTLY_DONE]
    return site.render("review.html", request, items=items, threshold=site.threshold, due=due, done=done,
                       within=MARK_WITHIN_DAYS)


async def decide_item(site, request: Request) -> Response:
    form = await request.form()
    if not site.guard.form_ok(request, form):
        return PlainTextResponse(_("CSRF token missing or wrong"), status_code=403)
    decision = str(form.get("decision", ""))
    mention_id = int(request.path_params["mention_id"])
    db = site.db()
    value = None
    if decision == "corrected":
        row = q.evidence(db, mention_id, 0)
        if row is None:
            return PlainTextResponse(_("no mention with id {id}").format(id=mention_id), status_code=404)
        current = json.loads(row["value"]) if row["value"] else {}
        value = {f: str(form[f]) for f in EDITABLE.get(row["entity"], ()) if f in form
                 and str(form[f]) != ("" if current.get(f) is None else str(current.get(f)))}
    try:
        decide(db, mention_id, decision, value, reviewer=site.guard.reviewer(request))
    except ReviewError as exc:
        return PlainTextResponse(str(exc), status_code=400)
    message = f"{report.shown('decision', decision)} #{mention_id}"
    return RedirectResponse(f"/review?msg={quote(message)}", status_code=303)


async def mark_deadline(site, request: Request) -> Response:
    form = await request.form()
    if not site.guard.form_ok(request, form):
        return PlainTextResponse(_("CSRF token missing or wrong"), status_code=403)
    deadline_id = int(request.path_params["deadline_id"])
    action = "done" if request.url.path.endswith("/done") else "reopen"
    try:
        row = (mark_done if action == "done" else reopen)(site.db(), deadline_id, site.guard.reviewer(request))
    except DeadlineError as exc:
        return PlainTextResponse(str(exc), status_code=400)
    message = (_("deadline {id} ({date}) marked done by {by}") if action == "done"
               else _("deadline {id} ({date}) reopened")).format(id=deadline_id, date=row["date"], by=row["done_by"])
    back = str(form.get("back", "/review"))
    if not back.startswith("/") or back.startswith("//"):  # only our own pages
        back = "/review"
    return RedirectResponse(f"{back}?msg={quote(message)}", status_code=303)


def routes(site) -> list[Route]:
    def page(request: Request) -> Response:
        return review(site, request)

    async def post(request: Request) -> Response:
        return await decide_item(site, request)

    async def mark(request: Request) -> Response:
        return await mark_deadline(site, request)

    return [
        Route("/review", page),
        Route("/review/{mention_id:int}", post, methods=["POST"]),
        Route("/deadline/{deadline_id:int}/done", mark, methods=["POST"]),
        Route("/deadline/{deadline_id:int}/reopen", mark, methods=["POST"]),
    ]
