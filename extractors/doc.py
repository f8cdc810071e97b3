"""Word 97 (.doc): converted to DOCX by LibreOffice headless, then read as DOCX."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from extractors import limits
from extractors.errors import ReadError

from .docx import read_docx


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_doc(data: bytes, path: str, sha256: str):
    soffice = soffice_path()
    if not soffice:
        raise ReadError("cannot read Word 97 .doc: LibreOffice (soffice) is not installed", path, "missing-program")
    with tempfile.TemporaryDirectory(prefix="cchc-doc-") as tmp:
        source = Path(tmp) / "input.doc"
        source.write_bytes(data)
        profile = Path(tmp) / "profile"  # own profile: conversions can run side by side
        cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", tmp, str(source)]
        try:
            subprocess.run(cmd, capture_output=True, timeout=limits.SOFFICE_TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise ReadError(f"LibreOffice did not convert the .doc within {limits.SOFFICE_TIMEOUT_SECONDS} s",
                            path, "timeout") from None
        converted = Path(tmp) / "input.docx"
        if not converted.exists():
            raise ReadError("LibreOffice could not convert the .doc (damaged or not Word 97)", path, "damaged")
        doc = read_docx(converted.read_bytes(), path, sha256)
    doc.format = "doc"
    return doc
