"""The ``cchc.extract/1`` JSON object (see ../shared/docs/extract-contract.md)."""
from __future__ import annotations

from typing import Any

from nlp.extract import EXTRACTOR_VERSION, Extraction

from extractors.text_hygiene import nfc

SCHEMA = "cchc.extract/1"


def _issuer_name(code: str | None, home) -> str | None:
    """An issuer code expanded, with the home place for local bodies ("UBND" in a Quận 6 text)."""
    from nlp.vocab import vocab

    if not code:
        return None
    name = vocab()["issuer_codes"].get(code)
    if name in ("Ủy ban nhân dân", "Hội đồng nhân dân") and (home.district or home.province):
        return f"{name} {home.district or home.province}"
    if name and name.startswith("Sở ") and home.province:
        return f"{name} {home.province}"
    return name


def to_contract(x: Extraction) -> dict[str, Any]:
    doc, header = x.doc, x.header
    refs = []
    for s in x.spans["references"]:
        v = s.value
        refs.append({"number": v["number"], "doc_type": v["doc_type"],
                     "issuer": _issuer_name(v["issuer_code"], x.home),
                     "date": v["date"], "date_resolution": "day" if v["date"] else None, "date_from": v.get("date_from"),
                     "text": s.text, "start": s.start, "end": s.end, "confidence": s.confidence})
    dates = [{"date": s.value["date"], "role": s.value["role"], "precision": s.value["precision"],
              "resolution": s.value["resolution"], "period_start": s.value["period_start"],
              "period_end": s.value["period_end"], "text": s.text, "start": s.start, "end": s.end}
             for s in x.spans["dates"]]
    deadlines = [{"date": s.value["date"], "task": s.value["task"], "responsible": s.value["responsible"],
                  "responsible_units": s.value["responsible_units"], "responsible_text": s.value["responsible_text"],
                  "resolution": s.value["resolution"], "resolved": s.value["resolved"],
                  "year_from": s.value["year_from"], "recurring": s.value["recurring"], "rule": s.value["rule"],
                  "cue": s.value["cue"], "where": s.value["where"], "source": s.source,
                  "text": s.text, "start": s.start, "end": s.end, "confidence": s.confidence}
                 for s in x.spans["deadlines"]]
    units = [{"name": s.text, "canonical": s.value["canonical"], "level": s.value["level"],
              "parent": s.value["parent"], "start": s.start, "end": s.end, "confidence": s.confidence}
             for s in x.spans["units"]]
    initiatives = [{"title": s.value["title"], "kind": s.value["kind"], "unit": s.value["unit"],
                    "year": s.value["year"], "directive": s.value["directive"], "text": s.text,
                    "start": s.start, "end": s.end, "confidence": s.confidence}
                   for s in x.spans["initiatives"] if not s.value.get("repeat")]
    out = {
        "schema": SCHEMA,
        "extractor_version": EXTRACTOR_VERSION,
        "source": {"path": doc.path, "format": doc.format, "sha256": doc.sha256,
                   "pages": doc.pages, "warnings": doc.warnings,
                   "ocr_pages": doc.ocr_pages, "ocr_confidence": doc.ocr_confidence,
                   "text_quality": doc.text_quality},
        "document": {
            "kind": header["kind"], "title": header.get("title"), "number": header.get("number"),
            "doc_type": header.get("doc_type"), "issuer": header.get("issuer"), "place": header.get("place"),
            "date": header.get("date"), "date_resolution": "day" if header.get("date") else None,
            "date_source": header.get("date_source"), "subject": header.get("subject"), "signer": header.get("signer"),
            "text_chars": len(doc.text),
        },
        "references": refs,
        "dates": dates,
        "deadlines": deadlines,
        "units": units,
        "initiatives": initiatives,
    }
    return _nfc_strings(out)


def _nfc_strings(value: Any) -> Any:
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, dict):
        return {k: _nfc_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nfc_strings(v) for v in value]
    return value
