"""A possible initiative, before the decision to keep it: where it is, how it was written."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Candidate:
    """One possible initiative.

    ``start``/``end`` cover the evidence (the kind word through the title's end); the title is
    ``kind_word`` (as written, may be empty) followed by ``text[title_start:title_end]``.
    ``form`` says how the title was written and ``boundary`` what ended it: both are
    features of the confidence model (``nlp/confidence.py``).
    """

    start: int
    end: int
    title_start: int
    title_end: int
    kind: str  # canonical kind ("mô hình")
    kind_word: str  # as written ("Mô hình"), "" when the title stands alone
    form: str  # quoted | quoted_kind | kind_after | lead_in | launched | list_item | name | capital_kind | sentence_start
    # | lower | number | national | label | table | numbered
    boundary: str  # quote | unclosed | after_quote | punct | stop | pos | alias | line | max | cell | unit_cell
    # | period_cell | known | end
    generic_lead: bool = False  # "các" before the kind, a name after it
    unit: str | None = None  # from a table's unit column
    period: str | None = None  # from a table's period column
