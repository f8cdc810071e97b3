"""Every date mention as a span, with its role: issued, published, deadline, period, event, other."""
from __future__ import annotations

from typing import Iterator

from nlp.span import Span

from .base import Context

# A date found by the date patterns is a date; its role is what may be wrong.
CONF_DATE = 0.95


def date_spans(ctx: Context) -> Iterator[Span]:
    roles: dict[int, str] = {}
    for span in ctx.spans.get("header", []):
        if span.field == "date_issued":
            roles[span.start] = "issued"
        elif span.field == "date_published":
            roles[span.start] = "published"
    ref_date_ends = {s.end for s in ctx.spans.get("references", []) if s.value.get("date")}
    deadline_ends = {s.end for s in ctx.spans.get("deadlines", [])}
    for d in ctx.dates:
        role = roles.get(d.start)
        if role is None:
            if d.end in deadline_ends:
                role = "deadline"
            elif d.end in ref_date_ends:
                role = "issued"
            elif d.precision in ("quarter", "range", "year", "month"):
                role = "period"
            else:
                role = "event" if ctx.view[max(0, d.start - 12):d.start].strip().lower().endswith(("vào", "từ", "đến", "lúc")) else "other"
        value = {"date": d.date, "role": role, "precision": d.precision, "resolution": d.resolution,
                 "period_start": d.period_start, "period_end": d.period_end}
        yield ctx.span("date", d.start, d.end, value, CONF_DATE, f"dates.{d.precision}")
