"""Settings of the catalogue, with their reasons. Each can be overridden by an environment variable."""
from __future__ import annotations

import os

from extractors.limits import env_positive_float


# Extractions under this confidence go to the review queue.
REVIEW_THRESHOLD = float(os.environ.get("CCHC_REVIEW_THRESHOLD", "0.75"))

# --- the per-document guard (pipeline/guard.py) -------------------------------------------
# One document's reading and extraction may take this long before it is stopped and recorded as
# failed ("timeout"). Real text documents take well under 2 s here (a 500-page PDF about 30 s); a
# .doc waits up to extractors.limits.SOFFICE_TIMEOUT_SECONDS (120 s) for LibreOffice; OCR of a scan
# (at most extractors.limits.OCR_MAX_PAGES = 60 pages) takes up to ~5 minutes on two cores, twice
# that when two workers OCR at once. The limit sits above all of these: what is slower is a
# pathological input, not a document.
DOCUMENT_TIME_LIMIT_SECONDS = env_positive_float("CCHC_DOCUMENT_TIME_LIMIT", 900.0)
# Memory one document may add to its worker (address space over what the worker holds when it
# starts the document). Real documents add under 300 MB; a DOCX or PDF that needs gigabytes is
# stopped with a MemoryError and recorded as failed ("too-large"), not left to exhaust the machine.
DOCUMENT_MEMORY_LIMIT_BYTES = int(env_positive_float("CCHC_DOCUMENT_MEMORY_LIMIT_MB", 2048) * 2**20)
# A worker stopped at its time limit gets this long after SIGTERM to unwind (stop LibreOffice, remove
# its files: ~50 ms) before it is killed; generous, because a loaded machine may not run it at once.
WORKER_STOP_GRACE_SECONDS = 10.0

# --- the crawl -------------------------------------------------------------------------------
# A URL that failed (fetch refused, HTTP error, unreadable page) is not tried again before this long,
# doubling with each failure in a row up to the maximum: a page broken for good costs its site one
# request a week, and a page that fails once is tried again within the hour.
CRAWL_RETRY_FIRST_SECONDS = env_positive_float("CCHC_CRAWL_RETRY_FIRST_SECONDS", 3600.0)
CRAWL_RETRY_MAX_SECONDS = env_positive_float("CCHC_CRAWL_RETRY_MAX_SECONDS", 7 * 24 * 3600.0)
