"""``cchc web``: the catalogue in Datasette at ``/`` and the review page at ``/review``.

The review page changes data only through POST with a CSRF token (a per-process
secret, sent as a cookie and as a form field, compared in constant time). Every
text that comes from a document is escaped by Jinja's autoescape.
"""
from __future__ import annotations

import hmac
import json
import secrets
from pathlib import Path
from typing import Any

from jinja2 import Environment, select_autoescape

from pipeline import settings
from pipeline.catalogue import connect
from pipeline.review import EDITABLE, ReviewError, decide, pending
from pipeline.query import evidence

CSRF_COOKIE = "cchc_csrf"

METADATA: dict[str, Any] = {
    "title": "Catalogue of administrative-reform initiatives (CCHC)",
    "description": "Initiatives, directives, deadlines and units read from official texts, with the document "
                   "and characters each came from. Review low-confidence extractions at /review.",
    "databases": {
        "catalogue": {
            "tables": {
                "initiatives": {"label_column": "title", "facets": ["kind", "year", "unit_id"],
                                "sort_desc": "year", "fts_table": "initiatives_fts", "fts_pk": "id",
                                "description": "Named reform efforts (sáng kiến, mô hình, đề án …)"},
                "directives": {"label_column": "number", "facets": ["doc_type", "issuer"], "sort_desc": "date",
                               "fts_table": "directives_fts", "fts_pk": "id",
                               "description": "Documents known by number, cited or ingested; one row per number"},
                "units": {"label_column": "canonical", "facets": ["level"], "fts_table": "units_fts", "fts_pk": "id"},
                "deadlines": {"facets": ["responsible_unit_id", "directive_id"], "sort": "date"},
                "documents": {"label_column": "title", "facets": ["kind", "format"], "sort_desc": "date",
                              "fts_table": "documents_fts", "fts_pk": "id"},
                "mentions": {"facets": ["entity", "field", "extractor_version"]},
            },
            "queries": {
                "upcoming_deadlines": {
                    "title": "Upcoming deadlines",
                    "sql": "select dl.date, dl.task, dl.responsible, u.canonical as unit, d.number as directive, "
                           "doc.path as document from deadlines dl left join units u on u.id = dl.responsible_unit_id "
                           "left join directives d on d.id = dl.directive_id join documents doc on doc.id = dl.document_id "
                           "where dl.date >= date('now') order by dl.date limit 100",
                },
                "initiatives_by_unit": {
                    "title": "Initiatives by unit",
                    "sql": "select coalesce(u.canonical, '(unknown)') as unit, count(*) as initiatives, "
                           "group_concat(i.title, ' · ') as titles from initiatives i left join units u on u.id = i.unit_id "
                           "group by u.canonical order by initiatives desc",
                },
                "directives_most_cited": {
                    "title": "Directives cited by most documents",
                    "sql": "select d.number, d.doc_type, d.date, count(distinct m.document_id) as documents "
                           "from directives d join mentions m on m.entity = 'directive' and m.entity_id = d.id "
                           "group by d.id order by documents desc, d.date desc limit 100",
                },
            },
        }
    },
}

PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Review queue · CCHC catalogue</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem;color:#222}
.item{border:1px solid #ccc;border-radius:6px;padding:.8rem 1rem;margin:.8rem 0}
.item.selected{border-color:#0366d6;box-shadow:0 0 0 2px #0366d633}
.meta{color:#555;font-size:.9rem}
.evidence{background:#fafafa;padding:.5rem;margin:.5rem 0;line-height:1.5}
mark{background:#ffe58a;font-weight:bold}
form{display:inline-block;margin-right:.5rem}
input[type=text]{width:28rem}
kbd{border:1px solid #aaa;border-radius:3px;padding:0 .3rem;font-size:.85rem}
</style></head><body>
<h1>Review queue</h1>
<p class="meta">{{ items|length }} pending under confidence {{ threshold }} (lowest first) · keys:
<kbd>j</kbd>/<kbd>k</kbd> move, <kbd>a</kbd> accept, <kbd>r</kbd> reject, <kbd>c</kbd> correct · <a href="/">catalogue</a></p>
{% if message %}<p class="meta" id="message">{{ message }}</p>{% endif %}
{% for it in items %}
<div class="item" id="item-{{ it.id }}" data-id="{{ it.id }}">
 <div class="meta">#{{ it.id }} · {{ it.entity }} · confidence {{ '%.2f'|format(it.confidence) }} · {{ it.path }}</div>
 <div class="evidence">…{{ it.before }}<mark>{{ it.text }}</mark>{{ it.after }}…</div>
 <form method="post" action="/review/{{ it.id }}"><input type="hidden" name="csrf" value="{{ csrf }}">
  <input type="hidden" name="decision" value="accepted"><button class="accept">Accept</button></form>
 <form method="post" action="/review/{{ it.id }}"><input type="hidden" name="csrf" value="{{ csrf }}">
  <input type="hidden" name="decision" value="rejected"><button class="reject">Reject</button></form>
 <form method="post" action="/review/{{ it.id }}" class="correct"><input type="hidden" name="csrf" value="{{ csrf }}">
  <input type="hidden" name="decision" value="corrected">
  {% for f in it.fields %}<label>{{ f.name }} <input type="text" name="{{ f.name }}" value="{{ f.value }}"></label><br>{% endfor %}
  <button class="correct-button">Correct</button></form>
</div>
{% endfor %}
<script>
(function(){
  const items=[...document.querySelectorAll('.item')];let i=0;
  function sel(n){if(!items.length)return;items[i].classList.remove('selected');i=Math.max(0,Math.min(items.length-1,n));
    items[i].classList.add('selected');items[i].scrollIntoView({block:'nearest'});}
  sel(0);
  document.addEventListener('keydown',e=>{
    if(e.target.tagName==='INPUT')return;
    if(e.key==='j')sel(i+1); else if(e.key==='k')sel(i-1);
    else if(e.key==='a')items[i]&&items[i].querySelector('button.accept').click();
    else if(e.key==='r')items[i]&&items[i].querySelector('button.reject').click();
    else if(e.key==='c'){const f=items[i]&&items[i].querySelector('form.correct input[type=text]');if(f){f.focus();e.preventDefault();}}
  });
})();
</script>
</body></html>"""

_env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
_template = _env.from_string(PAGE)


def render_review(db, threshold: float, csrf: str, message: str | None = None) -> str:
    items = []
    for row in pending(db, threshold, limit=200):
        ev = evidence(db, row["id"], 160)
        value = json.loads(row["value"]) if row["value"] else {}
        items.append({**row, "before": ev["before"], "after": ev["after"],
                      "fields": [{"name": f, "value": "" if value.get(f) is None else value.get(f)}
                                 for f in EDITABLE[row["entity"]]]})
    return _template.render(items=items, threshold=threshold, csrf=csrf, message=message)


def review_app(db_path: str, threshold: float):
    """A Starlette app serving GET /review and POST /review/{id}."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse
    from starlette.routing import Route

    secret = secrets.token_urlsafe(32)

    async def page(request: Request):
        db = connect(db_path)
        html = render_review(db, threshold, secret, request.query_params.get("msg"))
        response = HTMLResponse(html)
        response.set_cookie(CSRF_COOKIE, secret, httponly=True, samesite="strict")
        return response

    async def post(request: Request):
        form = await request.form()
        token = str(form.get("csrf", ""))
        cookie = request.cookies.get(CSRF_COOKIE, "")
        if not (hmac.compare_digest(token, secret) and hmac.compare_digest(cookie, secret)):
            return PlainTextResponse("CSRF token missing or wrong", status_code=403)
        decision = str(form.get("decision", ""))
        mention_id = int(request.path_params["mention_id"])
        value = None
        if decision == "corrected":
            db = connect(db_path)
            row = evidence(db, mention_id, 0)
            if row is None:
                return PlainTextResponse("no such item", status_code=404)
            current = json.loads(row["value"]) if row["value"] else {}
            value = {f: str(form[f]) for f in EDITABLE.get(row["entity"], ()) if f in form
                     and str(form[f]) != ("" if current.get(f) is None else str(current.get(f)))}
        try:
            decide(connect(db_path), mention_id, decision, value, reviewer="web")
        except ReviewError as exc:
            return PlainTextResponse(str(exc), status_code=400)
        return RedirectResponse(f"/review?msg={decision}+%23{mention_id}", status_code=303)

    return Starlette(routes=[Route("/review", page), Route("/review/{mention_id:int}", post, methods=["POST"])])


def build_app(db_path: str, threshold: float | None = None):
    """Datasette for everything, except /review which is ours."""
    from datasette.app import Datasette

    connect(db_path)  # create or migrate before Datasette opens it read-only-ish
    ds = Datasette([str(db_path)], metadata=METADATA, settings={"truncate_cells_html": 300})
    ds_app = ds.app()
    reviews = review_app(str(db_path), settings.REVIEW_THRESHOLD if threshold is None else threshold)

    async def app(scope, receive, send):
        path = scope.get("path", "")
        if scope["type"] == "http" and (path == "/review" or path.startswith("/review/")):
            await reviews(scope, receive, send)
        else:
            await ds_app(scope, receive, send)

    return app


def serve(db_path: str, host: str = "127.0.0.1", port: int = 8001) -> None:
    import uvicorn

    if Path(db_path).stem != "catalogue":
        METADATA["databases"][Path(db_path).stem] = METADATA["databases"]["catalogue"]
    uvicorn.run(build_app(db_path), host=host, port=port, log_level="info")
