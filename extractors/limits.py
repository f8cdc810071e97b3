"""Limits of the readers, with their reasons. Each can be overridden by an environment variable."""
from __future__ import annotations

import os


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value and value.isdigit() else default


# Larger files are refused before reading: the biggest real official PDF we have
# seen is a few MB; 100 MB leaves room for scanned annexes without letting one
# file exhaust memory in a batch.
MAX_FILE_BYTES = _env_int("CCHC_MAX_FILE_BYTES", 100 * 1024 * 1024)
# A DOCX whose members would inflate past this is treated as a zip bomb. Real
# DOCX text parts are under a few MB; images make up the rest.
MAX_DOCX_UNCOMPRESSED_BYTES = _env_int("CCHC_MAX_DOCX_UNCOMPRESSED_BYTES", 300 * 1024 * 1024)
# LibreOffice converts a typical .doc in 2-5 s here; a minute means it hangs.
SOFFICE_TIMEOUT_SECONDS = _env_int("CCHC_SOFFICE_TIMEOUT", 120)
# Below this many characters per page on every page, a PDF has no text layer.
SCANNED_PDF_CHARS_PER_PAGE = 20
# An HTML page over this is not an article (the largest real portal pages are ~1 MB);
# trafilatura's tree would need gigabytes for it.
MAX_HTML_BYTES = _env_int("CCHC_MAX_HTML_BYTES", 20 * 1024 * 1024)
