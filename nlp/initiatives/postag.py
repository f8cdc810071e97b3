"""underthesea's word segmentation and part-of-speech tags, with character offsets.

Called only on the stretch after an unquoted kind word (a few per document), so extraction
stays fast; the model loads on first use. Words matter for titles: "đối với" is one word (a
title goes on through it), "với" alone ends a title; "chương trình" is one word, "trình" (submit)
alone is the sentence's own verb.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from nlp.keys import spelling_view


@dataclass(frozen=True, slots=True)
class Word:
    start: int  # offsets in the tagged string
    end: int
    text: str
    tag: str  # underthesea's tags: N noun, Np proper noun, V verb, A adjective, E preposition, C conjunction,
    # P pronoun, R adverb, L determiner, M number, T particle, CH punctuation, ...


# Tags of words that can open a title's name: content words.
CONTENT_TAGS = frozenset({"N", "Np", "Nc", "Nu", "Ny", "Nb", "V", "Vb", "A", "M", "X", "FW", "Y"})


@lru_cache(maxsize=1024)
def tag(segment: str) -> tuple[Word, ...]:
    """Words of ``segment`` (one line, of the text or its matching view) with their tags and offsets."""
    from underthesea import pos_tag  # loads the model once, on the first unquoted title

    segment = spelling_view(segment)  # "Kế họach" in the matching view is "Kế hoạch" to the tagger
    words: list[Word] = []
    pos = 0
    for token, t in pos_tag(segment):
        syllables = token.split()
        at = segment.find(syllables[0], pos) if syllables else -1
        if at < 0:
            continue
        end = at
        for s in syllables:
            found = segment.find(s, end)
            if found < 0:
                break
            end = found + len(s)
        words.append(Word(at, end, segment[at:end], t))
        pos = end
    return tuple(words)
