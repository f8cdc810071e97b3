"""National movements and campaigns that texts name as a bare phrase, without a kind word or quotes
("đẩy mạnh việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"): their names are
fixed by the Party's and the Government's documents and written the same everywhere, so they are a
list (``initiative_national_names``, name -> kind), like the gazetteer of units."""
from __future__ import annotations

import re
from functools import lru_cache

from nlp.ranges import Ranges

from ..numbers import numbers_index
from ..vocab import vocab, vre
from . import lexicon
from .candidate import Candidate


def _name_pattern(name: str) -> str:
    """A name's words, with any spacing, line wrap, comma or dash between them."""
    from ..vocab import alternation

    words = [alternation([w]) for w in re.findall(r"[^\s,\-–]+", name)]
    return r"[\s,\-–]+".join(words)


@lru_cache(maxsize=1)
def _names_re() -> tuple[re.Pattern[str], dict[str, str]]:
    names = vocab()["initiative_national_names"]
    kinds = {}
    parts = []
    listed = sorted(((n, k) for n, k in names.items() if not n.startswith("_")), key=lambda x: -len(x[0]))
    for i, (name, kind) in enumerate(listed):
        parts.append(f"(?P<n{i}>{_name_pattern(name)})")
        kinds[f"n{i}"] = kind
    return vre(rf"(?<![\w\-])(?:{'|'.join(parts)})(?![\w\-])", re.I), kinds


# "Chỉ thị số 05-CT/TW về đẩy mạnh học tập và làm theo …": what a cited document is about (its subject),
# not an effort the text reports; the subject follows the number (and its date, its issuer) and "về".
_ABOUT = re.compile(r"(?<!\w)về(?:\s+[^\W\d]+){0,3}\s*$", re.I)
MAX_CITATION_CHARS = 120


def _subject_of_cited_document(ctx, start: int) -> bool:
    about = _ABOUT.search(ctx.view, max(0, start - 40), start)
    if not about:
        return False
    return any(not n.bare for n in numbers_index(ctx).starting_in(max(0, about.start() - MAX_CITATION_CHARS), about.start()))


@lru_cache(maxsize=1)
def _kind_before_re() -> re.Pattern[str]:
    return re.compile(lexicon.kind_re().pattern + r"[ \t]+$", re.I)


def national_candidates(ctx, taken: list[tuple[int, int]]) -> list[Candidate]:
    pattern, kinds = _names_re()
    taken_ranges = Ranges(taken)
    found = []
    for m in pattern.finditer(ctx.view):
        if taken_ranges.overlaps(m.start(), m.end()):
            continue  # written with its kind or quotes: a candidate of another form
        start, end = m.start(), m.end()
        if start > 0 and ctx.view[start - 1] in lexicon.OPEN_QUOTES:
            continue
        if _subject_of_cited_document(ctx, start):
            continue
        kind = _kind_before_re().search(ctx.view, max(0, start - 40), start)
        if kind and not taken_ranges.overlaps(kind.start(), start):
            # "phong trào thi đua Cả nước chung tay vì người nghèo": the name with the kind it is written with
            kind_word = ctx.doc.text[kind.start("kind"):kind.end("kind")]
            found.append(Candidate(kind.start("kind"), end, start, end, lexicon.kind_name(kind_word), kind_word,
                                   "national", "name"))
            continue
        found.append(Candidate(start, end, start, end, kinds[m.lastgroup], "", "national", "name"))
    return found
