"""Hardening: one bad file never stops a run, no network in extraction, linear-time readers, no file
from outside the inbox, read-only catalogues. The attack table is re-run by scripts/attack.py."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CCHC, CORPUS, ROOT, run_cchc
from extractors.errors import ReadError
from extractors.reader import read_bytes


# --- no network in extraction ----------------------------------------------------------------------

def test_html_extraction_makes_no_network_request():
    """htmldate downloads a string that starts with "http" and has no space: a page whose text starts
    with a URL made extraction fetch it (loopback included). A held listening socket records every
    connection (and closes it at once, so a regression fails fast instead of waiting on a reply)."""
    import threading

    arrived: list[tuple] = []
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)

        def accept() -> None:
            while True:
                try:
                    conn, peer = listener.accept()
                except OSError:
                    return  # the listener was shut down
                arrived.append(peer)
                conn.close()

        thread = threading.Thread(target=accept, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/tin-bai"
        page = (f"{url}<html><head><title>Kế&#32;hoạch&#32;cải&#32;cách&#32;hành&#32;chính</title>"
                "<meta&#32;name='date'&#32;content='2020-05-06'></head><body><div><p>Ủy&#32;ban&#32;nhân&#32;dân"
                "&#32;Quận&#32;6&#32;ban&#32;hành&#32;Kế&#32;hoạch&#32;số&#32;12/KH-UBND.</p><span>x</span></div>"
                "</body></html>")
        assert " " not in page  # the shape htmldate takes for a URL
        doc = read_bytes(page.encode("utf-8"), "starts-with-a-url.html")
        assert doc.format == "html" and "12/KH-UBND" in doc.text
        listener.shutdown(socket.SHUT_RDWR)
        thread.join()
    assert arrived == []  # a fetch is synchronous: had it been made, it would be recorded by now


# --- legacy fonts ---------------------------------------------------------------------------------

def to_tcvn3(text: str) -> tuple[bytes, str]:
    """A real text as a .VnTime (TCVN3) file's bytes, with the table the reader uses, and the text
    those bytes stand for: TCVN3 has no upper-case toned letters (typists used the capitals font
    .VnTimeH, on the same bytes), so those are lower case; typographic quotes and dashes are ASCII."""
    import json
    import unicodedata

    table = json.loads((ROOT / "extractors" / "data" / "tcvn3.json").read_text(encoding="utf-8"))["map"]
    inverse = {v: k for k, v in table.items()}
    out, meant = [], []
    for ch in unicodedata.normalize("NFC", text.translate(str.maketrans({"“": "\"", "”": "\"", "–": "-", "…": "..."}))):
        if ch not in inverse and ch.lower() in inverse:
            ch = ch.lower()
        out.append(inverse.get(ch, ch))
        meant.append(ch)
    return "".join(out).encode("latin-1"), "".join(meant)


@pytest.mark.parametrize("name", ["real/kon-tum-435-qd-ubnd-2020.txt", "dev/hanoi-dang-ky-sang-kien-2021.txt"])
def test_tcvn3_text_keeps_every_u_horn_and_its_deadlines(name):
    """In TCVN3 the byte 0xAD is "ư"; it was stripped as a soft hyphen before the repair, so "trước"
    became "trớc" and the deadlines it introduces vanished."""
    from nlp.extract import extract

    data, meant = to_tcvn3((CORPUS / name).read_text(encoding="utf-8"))
    assert data.count(b"\xad") > 20  # the byte that is "ư"
    legacy = read_bytes(data, "vntime.txt")
    unicode = read_bytes(meant.encode("utf-8"), "unicode.txt")
    assert "converted from legacy TCVN3 font encoding" in legacy.warnings
    assert legacy.text == unicode.text
    assert legacy.text.count("ư") == unicode.text.count("ư") > 20 and "trước" in legacy.text
    deadlines = [s.value for s in extract(legacy).spans["deadlines"]]
    assert deadlines and deadlines == [s.value for s in extract(unicode).spans["deadlines"]]
