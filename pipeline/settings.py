"""Settings of the catalogue, with their reasons. Each can be overridden by an environment variable."""
from __future__ import annotations

import os

# Extractions under this confidence go to the review queue.
REVIEW_THRESHOLD = float(os.environ.get("CCHC_REVIEW_THRESHOLD", "0.75"))
