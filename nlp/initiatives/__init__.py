"""Initiatives: titled reform efforts (sáng kiến, giải pháp, mô hình, cách làm hay, đề án,
chương trình, phong trào / đợt thi đua, cuộc thi / hội thi, chiến dịch, giải thưởng) with their
owner unit, year and directive.

Candidates come from every form a title is written in, one module each: tables (``tables``) and
tables flattened to lines of text (``flat_tables``), labels and annex lists (``labelled``), the
winners listed in a contest's results (``awards``), quotes,
lists of quotes and the lead-ins that name their kind, and quoted names a sentence launches without a
kind word (``quoted``), names after a kind word (``unquoted``, whose end is ``boundary``'s decision),
lists after a colon or "như" and further items of a list (``lists``), national movements named bare
(``national``).
Then one decision per candidate (``decide``): keep it or not; its confidence is fitted
(``nlp/confidence.py``) from the features recorded here (form, boundary, …).
"""
from __future__ import annotations

import re
from typing import Iterator

from nlp.keys import canonical_key
from nlp.ranges import Ranges, TakenRanges
from nlp.span import Span

from ..base import Context
from .attributes import attributes, evidence_sentence
from .awards import award_candidates
from .boundary import up_to_known
from .candidate import Candidate
from .decide import reason_to_drop
from .flat_tables import flat_table_candidates, regions
from .labelled import labelled_candidates, numbered_candidates
from .lists import colon_lists, list_items
from .national import national_candidates
from .quoted import quoted_candidates
from .tables import table_candidates
from .unquoted import unquoted_candidates

# Before the fitted model (nlp/data/confidence.json) replaces it: the share of dev-set
# candidates of all forms that matched a gold title.
PRIOR_CONFIDENCE = 0.7
_QUOTES = "“”\"‘’'«»"


def _overlaps(c: Candidate, *taken: TakenRanges | Ranges) -> bool:
    end = max(c.end, c.start + 1)  # an empty candidate still stands at its start
    return any(t.overlaps(c.start, end) for t in taken)


def title_of(text: str, c: Candidate) -> str:
    name = text[c.title_start:c.title_end].strip(" " + _QUOTES)
    name = re.sub(r"\s+", " ", re.sub(r"[“”«»]|(?<=\w)[\"'’](?=\s|$)|(?<=\s)[\"'‘](?=\w)", "", name)).strip(" -–:,;")
    if not c.kind_word:
        return name
    kind = re.sub(r"\s+", " ", c.kind_word)
    return f"{kind[:1].upper()}{kind[1:]} {name}"


class Initiatives:
    name = "initiatives"

    def __init__(self, use_pos: bool = True) -> None:
        self.use_pos = use_pos  # underthesea's words and tags for unquoted titles (off only to measure them)

    def candidates(self, ctx: Context) -> list[Candidate]:
        kept: list[Candidate] = []
        taken = TakenRanges()  # kept candidates never overlap
        # Rows of a flattened table: a title without quotes cannot be bounded there (flat_tables).
        flat = regions(ctx)
        flat_ranges = Ranges(flat)

        def keep(c: Candidate, *where: TakenRanges | Ranges) -> None:
            if not _overlaps(c, *where) and not reason_to_drop(ctx, c, self.use_pos):
                kept.append(c)
                taken.add(c.start, c.end)

        for generate in (table_candidates, flat_table_candidates, labelled_candidates, numbered_candidates,
                         award_candidates):
            for c in generate(ctx):
                keep(c, taken)
        for c in quoted_candidates(ctx, self.use_pos):
            keep(c, taken)
        for c in colon_lists(ctx, taken.pairs() + flat, self.use_pos):
            keep(c, taken, flat_ranges)
        known = {canonical_key(title_of(ctx.doc.text, c)) for c in kept}
        for c in unquoted_candidates(ctx, taken.pairs() + flat, self.use_pos):
            shorter = up_to_known(ctx, c.kind_word, c.title_start, c.title_end, known, self.use_pos)
            if shorter is not None:
                c.end = c.title_end = shorter
                c.boundary = "known"
            before = len(kept)
            keep(c, taken, flat_ranges)
            if len(kept) > before:
                known.add(canonical_key(title_of(ctx.doc.text, c)))
        for c in national_candidates(ctx, taken.pairs()):
            keep(c, taken)
        for c in list_items(ctx, kept):
            keep(c, taken, flat_ranges)
        return sorted(kept, key=lambda c: c.start)

    def extract(self, ctx: Context) -> Iterator[Span]:
        text = ctx.doc.text
        seen: dict[str, int] = {}
        for c in self.candidates(ctx):
            title = title_of(text, c)
            key = canonical_key(title)
            sentence = evidence_sentence(text, c.start, c.end)
            value = {"title": title, "kind": c.kind, **attributes(ctx, c, sentence),
                     "form": c.form, "boundary": c.boundary, "generic_lead": c.generic_lead,
                     "sentence": list(sentence), "repeat": key in seen}
            seen[key] = seen.get(key, 0) + 1
            end = c.start + len(text[c.start:c.end].rstrip())
            yield ctx.span("initiative", c.start, end, value, PRIOR_CONFIDENCE, f"initiatives.{c.form}")
