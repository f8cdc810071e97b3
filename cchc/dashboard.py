"""The dashboard's charts, as a ``datasette-dashboards`` configuration (Vega-Lite specs over the SQL of
``pipeline.report``). The plugin draws them; the home page embeds the dashboard
(``/-/dashboards/cchc/embed``). Every bar and point links to the page of what it counts.
"""
from __future__ import annotations

from typing import Any

from pipeline import report
from pipeline.i18n import _

SLUG = "cchc"
CHART_HEIGHT = 230
# Bars per chart: more units or directives than this do not fit a readable axis.
TOP = 12
# Overdue, then the horizons: red to green.
BAND_COLOURS = ("#c0392b", "#e67e22", "#f1c40f", "#27ae60")
# Links open in the whole window, not in the embedding frame; no export menu (English, and not needed).
EMBED = {"embedOptions": {"loader": {"target": "_top"}, "actions": False}}
# Counts are whole numbers: no tick at 0.2.
WHOLE = {"tickMinStep": 1, "format": "d"}


def _chart(title: str, db: str, sql: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {"title": title, "db": db, "query": sql, "library": "vega-lite",
            "display": {"height": CHART_HEIGHT, "usermeta": EMBED, **spec}}


def config(db: str) -> dict[str, Any]:
    bands = [_("overdue")] + [_("within {n} days").format(n=n) for n in report.HORIZONS]
    per_unit_year = report.initiatives_by_unit_year_sql()
    charts = {
        "per-year": _chart(_("Initiatives per year, by kind"), db, per_unit_year, {
            "transform": [{"filter": "datum.year != null"}],
            "mark": {"type": "bar", "tooltip": True},
            "encoding": {
                "x": {"field": "year", "type": "ordinal", "title": _("Year")},
                "y": {"aggregate": "sum", "field": "n", "type": "quantitative", "title": _("Initiatives"), "axis": WHOLE},
                "color": {"field": "kind", "type": "nominal", "title": _("Kind")},
            }}),
        "per-unit": _chart(_("Initiatives per unit"), db, per_unit_year, {
            "transform": [
                {"aggregate": [{"op": "sum", "field": "n", "as": "total"}], "groupby": ["unit", "unit_id"]},
                {"window": [{"op": "row_number", "as": "rank"}], "sort": [{"field": "total", "order": "descending"}]},
                {"filter": f"datum.rank <= {TOP}"},
                {"calculate": "datum.unit_id ? '/unit/' + datum.unit_id : null", "as": "link"},
            ],
            "mark": {"type": "bar", "tooltip": True, "cursor": "pointer"},
            "encoding": {
                "y": {"field": "unit", "type": "nominal", "sort": "-x", "title": None, "axis": {"labelLimit": 240}},
                "x": {"field": "total", "type": "quantitative", "title": _("Initiatives"), "axis": WHOLE},
                "href": {"field": "link"},
            }}),
        "deadlines": _chart(_("Open deadlines: overdue (last 12 months) and due in 30, 60, 90 days"), db,
                            report.horizon_sql(), {
            "transform": [{"calculate": "'/deadline/' + datum.id", "as": "link"}],
            "mark": {"type": "point", "filled": True, "size": 110, "tooltip": True, "cursor": "pointer"},
            "encoding": {
                "x": {"field": "date", "type": "temporal", "title": _("Due"), "axis": {"format": "%d/%m/%Y"}},
                "y": {"field": "band", "type": "nominal", "title": None, "sort": bands},
                "color": {"field": "band", "type": "nominal", "legend": None,
                          "scale": {"domain": bands, "range": list(BAND_COLOURS)}},
                "tooltip": [
                    {"field": "date", "type": "temporal", "format": "%d/%m/%Y", "title": _("Due")},
                    {"field": "task", "title": _("Task")},
                    {"field": "unit", "title": _("Responsible unit")},
                    {"field": "directive", "title": _("Directive")},
                ],
                "href": {"field": "link"},
            }}),
        "most-cited": _chart(_("Directives cited most"), db, report.most_cited_sql(TOP), {
            "transform": [{"calculate": "'/directive/' + datum.id", "as": "link"}],
            "mark": {"type": "bar", "tooltip": True, "cursor": "pointer", "color": "#2c7fb8"},
            "encoding": {
                "y": {"field": "number", "type": "nominal", "sort": "-x", "title": None},
                "x": {"field": "documents", "type": "quantitative", "title": _("Documents citing it"), "axis": WHOLE},
                "tooltip": [{"field": "number", "title": _("Number")}, {"field": "doc_type", "title": _("Document type")},
                            {"field": "documents", "title": _("Documents citing it")}],
                "href": {"field": "link"},
            }}),
    }
    return {
        "title": _("Charts"),
        "description": "",
        "layout": [["per-year", "per-unit"], ["deadlines", "most-cited"]],
        "charts": charts,
    }
