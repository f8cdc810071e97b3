"""Prefect flows: thin sequences of tasks over the plain functions in ``pipeline``.

Importing this package sets Prefect's environment (before Prefect itself is imported):
no analytics, a generous start-up timeout for the temporary API a flow starts when no
server is running (8-24 s measured here), and a Prefect home under ``output/``.
"""
from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("PREFECT_HOME", str(Path("output/prefect").resolve()))
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
