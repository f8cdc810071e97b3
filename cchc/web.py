"""``cchc web``: one ASGI app on 127.0.0.1.

* Our pages (``cchc.pages``): the dashboard at ``/``; a page for every initiative, directive,
  unit, deadline and document, with names, the evidence sentence and a link to the source.
* The review page and the deadline marks (``cchc.review_page``): the only places that change
  data, through POST forms guarded by ``cchc.web_security.SessionGuard`` (a CSRF token per browser
  session); the whole app answers only to the host it is bound to (``HostCheck``).
* Datasette for the tables (``/catalogue/...``), with the ``datasette-dashboards`` plugin whose
  Vega-Lite charts the dashboard embeds (``/-/dashboards/cchc/embed``).

Templates are files in ``cchc/templates/``, rendered by one Jinja environment with autoescape
(every text from a document is escaped) and the gettext catalogue of ``pipeline.i18n``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from datasette.plugins import pm
from jinja2 import Environment, FileSystemLoader, select_autoescape

from pipeline import settings
from pipeline.catalogue import connect
from pipeline.i18n import _, language, ngettext
from pipeline.report import label, shown, since_2025

from . import dashboard, datasette_links
from .web_security import HostCheck, SessionGuard, allowed_hosts

TEMPLATES = Path(__file__).parent / "templates"
# Paths this app answers itself; everything else is Datasette's.
OUR_PREFIXES = ("/initiative/", "/directive/", "/unit/", "/deadline/", "/document/", "/file/", "/review")


def templates() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True),
                      extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(gettext=lambda m: _(m), ngettext=lambda s, p, n: ngettext(s, p, n), newstyle=True)
    env.globals.update(label=label, shown=shown, lang=language, since_2025=since_2025)
    return env


class Site:
    """What every page handler needs: the catalogue, the review threshold, templates and the guard."""

    def __init__(self, db_path: str, threshold: float, db_name: str, raw_root: str) -> None:
        self.db_path, self.threshold, self.db_name, self.raw_root = db_path, threshold, db_name, raw_root
        self.env = templates()
        self.guard = SessionGuard()

    def db(self):
        return connect(self.db_path)

    def render(self, name: str, request: Any, status: int = 200, **context: Any):
        from starlette.responses import HTMLResponse

        context.setdefault("message", request.query_params.get("msg"))
        html = self.env.get_template(name).render(csrf=self.guard.token(request), db_name=self.db_name,
                                                   path=request.url.path, **context)
        response = HTMLResponse(html, status_code=status)
        self.guard.set_cookie(request, response)
        return response


def metadata(db_name: str) -> dict[str, Any]:
    """Datasette's metadata: Vietnamese titles and column names, facets, and the dashboard's charts."""
    columns = {
        "initiatives": ("title", "kind", "unit_id", "year", "directive_id"),
        "directives": ("number", "doc_type", "issuer", "date", "subject", "document_id"),
        "units": ("canonical", "level", "parent_id"),
        "deadlines": ("date", "task", "responsible", "responsible_unit_id", "directive_id", "status", "done_by",
                      "done_at", "document_id"),
        "documents": ("title", "number", "doc_type", "date", "kind", "format", "path", "url"),
        "files": ("document_id", "path", "url", "format"),
    }
    names = {"unit_id": "unit", "directive_id": "directive", "parent_id": "parent", "document_id": "document",
             "responsible_unit_id": "responsible_unit"}
    titles = {"initiatives": _("Initiatives"), "directives": _("Directives"), "units": _("Units"),
              "deadlines": _("Deadlines"), "documents": _("Documents"), "files": _("Files")}
    tables: dict[str, Any] = {
        # documents' and initiatives' index rowid is their result-order key (pipeline.catalogue.SEARCH_KEYS)
        "initiatives": {"label_column": "title", "facets": ["kind", "year", "unit_id"], "sort_desc": "year",
                        "fts_table": "initiatives_fts", "fts_pk": "search_key"},
        "directives": {"label_column": "number", "facets": ["doc_type", "issuer"], "sort_desc": "date",
                       "fts_table": "directives_fts", "fts_pk": "id"},
        "units": {"label_column": "canonical", "facets": ["level"], "fts_table": "units_fts", "fts_pk": "id"},
        "deadlines": {"label_column": "task", "facets": ["status", "responsible_unit_id", "directive_id"], "sort": "date"},
        "documents": {"label_column": "title", "facets": ["kind", "format"], "sort_desc": "date",
                      "fts_table": "documents_fts", "fts_pk": "search_key"},
        "files": {"facets": ["format"]},
        "mentions": {"facets": ["entity", "field", "extractor_version"]},
    }
    for table, cols in columns.items():
        tables[table]["title"] = titles[table]
        tables[table]["columns"] = {c: label(names.get(c, c)) for c in cols}
    return {
        "title": _("Catalogue of administrative-reform initiatives (CCHC)"),
        "description": _("Initiatives, directives, deadlines and units read from official texts, with the document "
                         "and characters each came from."),
        "databases": {db_name: {"tables": tables}},
        "plugins": {"datasette-dashboards": {dashboard.SLUG: dashboard.config(db_name)}},
    }


def build_app(db_path: str, threshold: float | None = None, raw_root: str = "output/raw", host: str = "127.0.0.1",
              port: int = 8001):
    """Our pages first, Datasette for everything else; only for requests to ``host:port``."""
    from datasette.app import Datasette
    from starlette.applications import Starlette

    from . import pages, review_page

    connect(db_path)  # create or migrate before Datasette opens it
    db_name = Path(db_path).stem
    threshold = settings.REVIEW_THRESHOLD if threshold is None else threshold
    site = Site(str(db_path), threshold, db_name, raw_root)
    ds = Datasette([str(db_path)], metadata=metadata(db_name),
                   settings={"truncate_cells_html": 300})
    if not pm.is_registered(datasette_links):
        pm.register(datasette_links, name="cchc-page-links")
    ds_app = ds.app()
    ours = Starlette(routes=pages.routes(site) + review_page.routes(site))

    async def app(scope, receive, send):
        path = scope.get("path", "")
        if scope["type"] == "http" and (path == "/" or path.startswith(OUR_PREFIXES)):
            await ours(scope, receive, send)
        else:
            await ds_app(scope, receive, send)

    return HostCheck(app, allowed_hosts(host, port))


def serve(db_path: str, host: str = "127.0.0.1", port: int = 8001, raw_root: str = "output/raw") -> None:
    import uvicorn

    uvicorn.run(build_app(db_path, raw_root=raw_root, host=host, port=port), host=host, port=port, log_level="info")
