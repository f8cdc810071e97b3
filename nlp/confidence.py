"""Fitted confidence: one small logistic model per field, applied in one place.

Every field extractor gives its spans a rule confidence (a named constant with its reason, or
the initiatives' prior); ``calibrate`` replaces it with ``P(right | features)`` from a logistic
regression per field whose coefficients are data (``nlp/data/confidence.json``), fitted on the
shared dev gold with cross-validation by ``scripts/fit_confidence.py`` (re-run it whenever a rule
changes what is predicted). The features are few and general, so the model holds on unseen texts:

* every field: the rule that produced the span (``source``) and the rule's own confidence (as
  log-odds), so the model re-scales what the rule knew;
* references: a date and a document type found with the number;
* deadlines: resolved from a relative phrase, recurring, a task and a responsible unit found;
* units: level, a canonical name completed from the document's home;
* initiatives: how the title was written (form: quoted, a name, a table row, a lead-in list …, and
  its family: quoted, a list, a table), what ended it (boundary: a quote, a stop word, punctuation,
  a table's cell …), its kind's group, length, a year or a proper noun in it, the share of its words
  that are generic, a generic plural before it, and how often the document names it.

A span whose rule (``source``) the model never saw judged keeps its rule's own confidence: there is
no evidence to calibrate it on (a new rule, or one whose predictions the gold never judges, such as
the end of a campaign period, which the scorer counts neither way), until the model is refitted.
"""
from __future__ import annotations

import math
import re
from dataclasses import replace
from functools import lru_cache
from typing import Any

from nlp.keys import canonical_key
from nlp.span import Span

from .initiatives.lexicon import generic_syllables, name_keys
from .vocab import load

FIELDS = ("references", "deadlines", "units", "initiatives")
# A rule confidence is clipped to this range before its log-odds are taken.
_EPS = 0.01
# Kinds of initiative in three groups, so that a kind seen a few times still shares its weight.
KIND_GROUPS = {
    "mô hình": "model", "sáng kiến": "model", "giải pháp": "model", "cách làm hay": "model",
    "đề án": "programme", "chương trình": "programme", "dự án": "programme", "lớp học": "programme",
    "công trình thanh niên": "campaign",
    "phong trào thi đua": "campaign", "đợt thi đua": "campaign", "cuộc thi": "campaign", "hội thi": "campaign",
    "chiến dịch": "campaign", "cuộc vận động": "campaign", "giải thưởng": "campaign", "đội hình": "campaign",
}
_YEAR = re.compile(r"(?:19|20)\d\d")
_PROPER = re.compile(r"(?<=\s)[A-ZĐ][\w\-]*")


def _logit(p: float) -> float:
    p = min(1 - _EPS, max(_EPS, p))
    return math.log(p / (1 - p))


# Forms of an initiative in three families that share a weight across their forms, so that a form
# seen a few times (a lead-in list, a flattened table's row) still learns from its family.
_QUOTED_BOUNDARIES = frozenset({"quote", "unclosed", "after_quote"})
_LIST_FORMS = frozenset({"list_item", "lead_in"})
_TABLE_FORMS = frozenset({"table", "numbered", "label"})


def _generic_share(name: str) -> float:
    """The share of a name's syllables that say nothing specific ("cải cách hành chính", "năm")."""
    keys = name_keys(name)
    return generic_syllables(keys, stops=False) / len(keys) if keys else 1.0


def _initiative_features(span: Span, counts: dict[str, int]) -> dict[str, float]:
    v = span.value
    title = v["title"]
    n = len(title.split())
    kind_words = len(v["kind"].split())
    name = title.split(" ", kind_words)[-1]
    return {
        f"form={v.get('form')}": 1.0,
        f"boundary={v.get('boundary')}": 1.0,
        f"kind={KIND_GROUPS.get(v['kind'], 'other')}": 1.0,
        "quoted": 1.0 if v.get("boundary") in _QUOTED_BOUNDARIES else 0.0,
        "list": 1.0 if v.get("form") in _LIST_FORMS else 0.0,
        "table": 1.0 if v.get("form") in _TABLE_FORMS else 0.0,
        "syllables/10": min(n, 40) / 10,
        "short": 1.0 if n - kind_words <= 2 else 0.0,
        "year": 1.0 if _YEAR.search(title) else 0.0,
        "proper_noun": 1.0 if _PROPER.search(" " + name) else 0.0,
        "generic_share": _generic_share(name),
        "generic_lead": 1.0 if v.get("generic_lead") else 0.0,
        "named_again": 1.0 if counts.get(canonical_key(title), 0) > 1 else 0.0,
    }


def features(field: str, span: Span, counts: dict[str, int] | None = None) -> dict[str, float]:
    """The features of one span of ``field`` (``counts``: how often each initiative title is named)."""
    f = {f"source={span.source}": 1.0, "rule_logit": _logit(span.confidence)}
    v: Any = span.value
    if field == "references":
        f.update({"dated": 1.0 if v.get("date") else 0.0, "typed": 1.0 if v.get("doc_type") else 0.0})
    elif field == "deadlines":
        f.update({"resolved": 1.0 if v.get("resolved") else 0.0, "recurring": 1.0 if v.get("recurring") else 0.0,
                  "task": 1.0 if v.get("task") else 0.0, "responsible": 1.0 if v.get("responsible") else 0.0})
    elif field == "units":
        f.update({f"level={v.get('level')}": 1.0,
                  "completed": 0.0 if canonical_key(span.text) == canonical_key(v.get("canonical") or "") else 1.0})
    elif field == "initiatives":
        f = {}  # its rule is the form (below), and its rule confidence one prior for all: no information
        f.update(_initiative_features(span, counts or {}))
    return f


def title_counts(spans: list[Span]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for s in spans:
        key = canonical_key(s.value["title"])
        counts[key] = counts.get(key, 0) + 1
    return counts


@lru_cache(maxsize=1)
def model() -> dict[str, dict]:
    return load("confidence")["fields"]


def probability(coefficients: dict, feats: dict[str, float]) -> float:
    z = coefficients["intercept"] + sum(coefficients["weights"].get(k, 0.0) * x for k, x in feats.items())
    return 1 / (1 + math.exp(-z))


def calibrate(spans: dict[str, list[Span]]) -> None:
    """Replace the rule confidence of every fitted field's spans with the model's, in place."""
    fitted = model()
    for field in FIELDS:
        if field not in fitted or field not in spans:
            continue
        counts = title_counts(spans[field]) if field == "initiatives" else None
        seen = set(fitted[field].get("sources", ()))
        spans[field] = [replace(s, confidence=round(probability(fitted[field], features(field, s, counts)), 3))
                        if s.source in seen else s for s in spans[field]]
