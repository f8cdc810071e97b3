"""A Datasette plugin, registered in-process by ``cchc.web``: in Datasette's tables, the cell that names a
row (an initiative's title, a directive's number, ...) links to our page of that row."""
from __future__ import annotations

from datasette import hookimpl
from markupsafe import Markup, escape

PAGE_OF_CELL = {("initiatives", "title"): "initiative", ("directives", "number"): "directive",
                ("units", "canonical"): "unit", ("deadlines", "task"): "deadline", ("documents", "title"): "document"}


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    page = PAGE_OF_CELL.get((table, column))
    if page is None or value is None or "id" not in row.keys():
        return None
    return Markup(f'<a href="/{page}/{int(row["id"])}">{escape(value)}</a>')
