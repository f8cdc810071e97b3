"""``cchc review`` in a terminal: one key per decision, the evidence with its span marked."""
from __future__ import annotations

import json

import click
import sqlite_utils

from pipeline.i18n import _
from pipeline.query import evidence
from pipeline.report import label, shown
from pipeline.review import EDITABLE, ReviewError, decide, pending


def show(db: sqlite_utils.Database, item: dict) -> None:
    ev = evidence(db, item["id"])
    click.clear()
    click.echo(click.style(f"{shown('entity', item['entity'])} · "
                           + _("confidence {c}").format(c=f"{item['confidence']:.2f}") + f" · {item['path']}", bold=True))
    click.echo("")
    click.echo("…" + ev["before"].replace("\n", " ") + click.style(f"⟦{ev['text']}⟧", reverse=True, bold=True)
               + ev["after"].replace("\n", " ") + "…")
    click.echo("")
    value = json.loads(item["value"]) if item["value"] else {}
    for key in EDITABLE[item["entity"]]:
        click.echo(f"  {label(key):<24}{value.get(key, '')}")
    click.echo("")
    click.echo(_("[a] accept  [c] correct  [r] reject  [s] skip  [q] quit"))


def run(db: sqlite_utils.Database, threshold: float) -> None:
    items = pending(db, threshold)
    if not items:
        click.echo(_("Nothing to review."))
        return
    done = 0
    for item in items:
        show(db, item)
        while True:
            key = click.getchar().lower()
            try:
                if key == "a":
                    decide(db, item["id"], "accepted")
                elif key == "r":
                    decide(db, item["id"], "rejected")
                elif key == "c":
                    value = json.loads(item["value"]) if item["value"] else {}
                    edited = {}
                    for field in EDITABLE[item["entity"]]:
                        new = click.prompt(label(field), default=str(value.get(field) or ""), show_default=True)
                        if new != str(value.get(field) or ""):
                            edited[field] = new
                    if not edited:
                        click.echo(_("no change; choose again"))
                        continue
                    decide(db, item["id"], "corrected", edited)
                elif key == "s":
                    break
                elif key == "q":
                    click.echo("\n" + _("{n} decided").format(n=done))
                    return
                else:
                    continue
            except ReviewError as exc:
                click.echo(f"cchc: {exc}")
                continue
            done += 1
            break
    click.echo("\n" + _("{n} decided; the queue is done").format(n=done))
