"""The field extractors as a spaCy pipeline component: results in ``doc.spans``.

    import spacy, nlp.spacy_component  # registers the factory
    pipe = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    pipe.add_pipe("cchc_fields")
    doc = pipe("Sở Nội vụ ban hành Văn bản số 1980/SNV-CCHC ngày 12/7/2021.")
    doc.spans["references"]  # [1980/SNV-CCHC ngày 12/7/2021]

spaCy has no pretrained Vietnamese model offline; its blank pipeline only tokenises (pyvi is
not needed when ``use_pyvi`` is off). Offsets are the text's characters, so each span is
aligned to tokens by expanding to the tokens that cover it; ``span.id_`` holds nothing,
``doc.user_data["cchc"]`` the typed values in the same order.
"""
from __future__ import annotations

import hashlib

from spacy.language import Language
from spacy.tokens import Doc

from extractors.document import Block, Document

from .extract import extract

FIELDS = ("references", "dates", "deadlines", "units", "initiatives")


class CchcFields:
    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        document = Document(path="<spacy>", format="txt", sha256=hashlib.sha256(text.encode()).hexdigest(),
                            text=text, blocks=[Block(0, len(text))] if text else [])
        x = extract(document)
        values = {}
        for field in FIELDS:
            spans, vals = [], []
            for s in x.spans[field]:
                span = doc.char_span(s.start, s.end, label=s.field, alignment_mode="expand")
                if span is not None:
                    spans.append(span)
                    vals.append({"value": s.value, "confidence": s.confidence, "start": s.start, "end": s.end})
            doc.spans[field] = spans
            values[field] = vals
        doc.user_data["cchc"] = values
        return doc


@Language.factory("cchc_fields")
def create_cchc_fields(nlp: Language, name: str) -> CchcFields:
    return CchcFields()
