"""Mutations of real files, as a careful tester of document pipelines makes them: flipped, lost and
repeated bytes, truncations, lying counts and lengths in a PDF, damaged XML inside a DOCX's zip;
and a real text re-encoded as an old .VnTime (TCVN3) file.

Deterministic for a seed. Used by the tests (tests/test_hardening.py) and by scripts/attack.py and
scripts/mutation_batch.py.
"""
from __future__ import annotations

import io
import json
import random
import re
import unicodedata
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_PDF_NUMBERS = re.compile(rb"/(Count|Length|Size|Prev|N|First|W|Index)\s+(\d+)")


def mutate_bytes(data: bytes, rnd: random.Random) -> bytes:
    """One to three byte-level damages: flips, a truncation, a lost, repeated or overwritten run."""
    out = bytearray(data)
    for _ in range(rnd.randint(1, 3)):
        if not out:
            break
        kind = rnd.choice(("flip", "truncate", "delete", "repeat", "overwrite", "insert"))
        at = rnd.randrange(len(out))
        span = rnd.randint(1, max(1, min(4096, len(out) // 10)))
        if kind == "flip":
            for _ in range(rnd.randint(1, 32)):
                out[rnd.randrange(len(out))] ^= 1 << rnd.randrange(8)
        elif kind == "truncate":
            del out[at:]
        elif kind == "delete":
            del out[at:at + span]
        elif kind == "repeat":
            out[at:at] = out[at:at + span] * rnd.randint(2, 50)
        elif kind == "overwrite":
            out[at:at + span] = bytes([rnd.choice((0, 0xFF, 0x20, 0x3C))]) * len(out[at:at + span])
        else:
            out[at:at] = bytes(rnd.randrange(256) for _ in range(span))
    return bytes(out)


def mutate_pdf(data: bytes, rnd: random.Random) -> bytes:
    """A PDF whose page count, stream lengths or xref sizes lie, and/or damaged bytes."""
    if rnd.random() < 0.5:
        numbers = list(_PDF_NUMBERS.finditer(data))
        for match in rnd.sample(numbers, min(len(numbers), rnd.randint(1, 4))):
            value = rnd.choice((b"0", b"1", b"99999999", str(int(match.group(2)) * 7 + 1).encode()))
            data = data[:match.start(2)] + value.ljust(len(match.group(2)))[:max(len(value), len(match.group(2)))] \
                + data[match.end(2):]
        if rnd.random() < 0.5:
            return data
    return mutate_bytes(data, rnd)


_XML_DAMAGE = (
    lambda xml, rnd: xml[: rnd.randrange(len(xml))],  # cut XML
    lambda xml, rnd: xml.replace(b"<w:tc>", b'<w:tc><w:tcPr><w:gridSpan w:val="1000000000"/></w:tcPr>', 3),
    lambda xml, rnd: xml.replace(b"<w:tc>", b'<w:tc><w:tcPr><w:vMerge/></w:tcPr>', 50),
    lambda xml, rnd: xml.replace(b"<w:p>", b"<w:p>" + b"<w:tbl><w:tr><w:tc>" * 200, 1),
    lambda xml, rnd: xml.replace(b"<w:t>", b"<w:t>" + b"\xff\xfe", 2),
    lambda xml, rnd: xml.replace(b"</w:body>", b"<w:sectPr><w:headerReference r:id=\"rId999\"/></w:sectPr></w:body>"),
    lambda xml, rnd: mutate_bytes(xml, rnd),
)


def mutate_docx(data: bytes, rnd: random.Random) -> bytes:
    """A DOCX with damaged XML in its parts (re-zipped), a damaged zip, or both."""
    if rnd.random() < 0.3:
        return mutate_bytes(data, rnd)
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
        members = [(info, source.read(info)) for info in source.infolist()]
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError):
        return mutate_bytes(data, rnd)
    xml_members = [i for i, (info, _) in enumerate(members) if info.filename.endswith((".xml", ".rels"))]
    targets = {i for i, (info, _) in enumerate(members) if info.filename == "word/document.xml"}
    targets |= set(rnd.sample(xml_members, min(len(xml_members), rnd.randint(0, 2))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for i, (info, body) in enumerate(members):
            if i in targets and body:
                body = rnd.choice(_XML_DAMAGE)(body, rnd)
            if rnd.random() < 0.02:
                continue  # a member lost
            target.writestr(info.filename, body)
    return out.getvalue() if rnd.random() < 0.8 else mutate_bytes(out.getvalue(), rnd)


def mutate(data: bytes, suffix: str, rnd: random.Random) -> bytes:
    if suffix == ".pdf":
        return mutate_pdf(data, rnd)
    if suffix == ".docx":
        return mutate_docx(data, rnd)
    return mutate_bytes(data, rnd)


def to_tcvn3(text: str) -> tuple[bytes, str]:
    """A real text as a .VnTime (TCVN3) file's bytes, with the table the reader uses, and the text
    those bytes stand for: TCVN3 has no upper-case toned letters (typists used the capitals font
    .VnTimeH, on the same bytes), so those are lower case; typographic quotes and dashes are ASCII."""
    table = json.loads((ROOT / "extractors" / "data" / "tcvn3.json").read_text(encoding="utf-8"))["map"]
    inverse = {v: k for k, v in table.items()}
    out, meant = [], []
    for ch in unicodedata.normalize("NFC", text.translate(str.maketrans({"“": "\"", "”": "\"", "–": "-", "…": "..."}))):
        if ch not in inverse and ch.lower() in inverse:
            ch = ch.lower()
        out.append(inverse.get(ch, ch))
        meant.append(ch)
    return "".join(out).encode("latin-1"), "".join(meant)
