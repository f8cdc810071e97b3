"""Word 97 (.doc): converted to DOCX by LibreOffice headless, then read as DOCX.

LibreOffice runs in its own process group with its own profile and temporary folder inside one
temporary directory; however the conversion ends (done, timed out, or this worker stopped by the
guard, which unwinds it), the whole group is killed and the directory removed, so no ``soffice.bin``
keeps running and no converted copy is left behind.
"""
from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from extractors import limits
from extractors.errors import ReadError

from .docx import read_docx

def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass  # the group has already exited


def _start(cmd: list[str], tmp: str) -> subprocess.Popen:
    """Start LibreOffice in a new session (its own process group), without this worker's memory cap
    (the soft limit is lifted for the fork, then put back)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    try:
        return subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True, env={**os.environ, "TMPDIR": tmp})
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def convert_to_docx(soffice: str, source: Path, tmp: str, timeout: float, path: str) -> Path:
    profile = Path(tmp) / "profile"  # own profile: conversions can run side by side
    cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", "docx:MS Word 2007 XML", "--outdir", tmp, str(source)]
    process = _start(cmd, tmp)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ReadError(f"LibreOffice did not convert the .doc within {timeout:g} s", path, "timeout") from None
    finally:
        _kill_group(process.pid)  # whatever LibreOffice left running in its group (soffice.bin)
        process.wait()
    return Path(tmp) / f"{source.stem}.docx"


def read_doc(data: bytes, path: str, sha256: str):
    soffice = soffice_path()
    if not soffice:
        raise ReadError("cannot read Word 97 .doc: LibreOffice (soffice) is not installed", path, "missing-program")
    with tempfile.TemporaryDirectory(prefix="cchc-doc-") as tmp:
        source = Path(tmp) / "input.doc"
        source.write_bytes(data)
        converted = convert_to_docx(soffice, source, tmp, limits.SOFFICE_TIMEOUT_SECONDS, path)
        if not converted.exists():
            raise ReadError("LibreOffice could not convert the .doc (damaged or not Word 97)", path, "damaged")
        doc = read_docx(converted.read_bytes(), path, sha256)
    doc.format = "doc"
    return doc
