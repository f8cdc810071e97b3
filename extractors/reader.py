"""Read any supported file into a Document: format from content (magic bytes), then the reader."""
from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from pathlib import Path

from extractors import limits
from extractors.errors import ReadError
from extractors.document import Document

FORMATS = ("pdf", "docx", "doc", "html", "txt", "png", "jpeg", "tiff")
# What ``detect_format`` reads of a file (it looks at the first 4 KB at most).
_SNIFF_BYTES = 4096
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_HTML_TAGS = re.compile(rb"<(?:div|p|table|span|meta|title|a)\b[^>]*>", re.I)
# Binary formats that are not documents, known by their first bytes: refused by name, never guessed
# at as text (their bytes can look like UTF-16 to the text reader).
_NOT_DOCUMENTS = ((b"GIF87a", "a GIF image"), (b"GIF89a", "a GIF image"), (b"RIFF", "a RIFF media file"),
                  (b"\x1f\x8b", "a gzip archive"), (b"Rar!", "a RAR archive"), (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
                  (b"\x7fELF", "a program"))
_EXTENSIONS = {".pdf": "pdf", ".docx": "docx", ".doc": "doc", ".html": "html", ".htm": "html",
               ".aspx": "html", ".txt": "txt", ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".tif": "tiff",
               ".tiff": "tiff"}
# Images, read by OCR (extractors.image): their magic bytes.
_IMAGE_MAGIC = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"), (b"II*\x00", "tiff"), (b"MM\x00*", "tiff"))


def detect_format(data: bytes, name: str = "") -> str:
    """The format of a file from its first bytes; the extension only breaks ties for text."""
    head = data[:2048]
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "docx"  # the DOCX reader checks that the zip really is one
    if head.startswith(_OLE_MAGIC):
        return "doc"
    for magic, fmt in _IMAGE_MAGIC:
        if head.startswith(magic):
            return fmt
    for magic, what in _NOT_DOCUMENTS:
        if head.startswith(magic):
            raise ReadError(f"{what}, not a document this catalogue reads", name, "unknown-format")
    stripped = head.lstrip(b"\xef\xbb\xbf")
    if _HTML_START.match(stripped) or len(_HTML_TAGS.findall(head)) >= 3:
        return "html"
    from extractors.txt import looks_binary

    expected = _EXTENSIONS.get(Path(name).suffix.lower())
    if looks_binary(data):
        what = f"not a {expected.upper()} file" if expected and expected != "txt" else "not a text document"
        raise ReadError(f"{what}: unrecognised binary content", name, "unknown-format")
    if expected not in (None, "txt", "html"):
        # Named as a binary format but plain text inside: a mistake, not a document to guess at.
        raise ReadError(f"not a {expected.upper()} file: the content is plain text", name, "unknown-format")
    return "txt"


def _reader(fmt: str):
    if fmt == "pdf":
        from extractors.pdf import read_pdf
        return read_pdf
    if fmt == "docx":
        from extractors.docx import read_docx
        return read_docx
    if fmt == "doc":
        from extractors.doc import read_doc
        return read_doc
    if fmt == "html":
        from extractors.html import read_html
        return read_html
    if fmt in ("png", "jpeg", "tiff"):
        from extractors.image import read_image
        return read_image
    from extractors.txt import read_txt
    return read_txt


def read_bytes(data: bytes, name: str) -> Document:
    if not data.strip():
        raise ReadError("empty file" if not data else "empty file (only white space)", name, "empty")
    if len(data) > limits.MAX_FILE_BYTES:
        raise ReadError(f"file is {len(data) // 2**20} MB, over the {limits.MAX_FILE_BYTES // 2**20} MB cap",
                        name, "too-large")
    fmt = detect_format(data, name)
    if fmt == "txt":
        check_text_size(len(data), name, "text file")
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        doc = _reader(fmt)(data, name, sha256)
        check_text_size(len(doc.text.encode("utf-8")), name, f"text of the {fmt.upper()}")
        return doc
    except ReadError as exc:
        exc.path = exc.path or name
        raise
    except RecursionError:
        raise ReadError(f"{fmt.upper()} is nested too deeply to read", name, "damaged") from None
    except MemoryError:
        raise ReadError(f"{fmt.upper()} needs more memory than is available", name, "too-large") from None


def check_text_size(size: int, name: str, what: str) -> None:
    """Refuse a text over ``limits.MAX_TEXT_BYTES`` with a one-line reason."""
    if size > limits.MAX_TEXT_BYTES:
        raise ReadError(f"{what} is {_mb(size)} MB, over the {_mb(limits.MAX_TEXT_BYTES)} MB cap for one text "
                        "(CCHC_MAX_TEXT_BYTES)", name, "too-large")


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f}".removesuffix(".0")


def read_document(path: str | Path) -> Document:
    """Read one file. Raises ReadError with a one-line reason when it cannot."""
    return read_bytes(read_file_bytes(path), str(path))


def read_file_bytes(path: str | Path, *, follow_symlinks: bool = True) -> bytes:
    """A regular file's bytes, refused with a one-line reason when it is too large, missing, unreadable,
    or not a regular file (a FIFO or a device would block or never end). The size is checked before
    reading, and the read stops at the cap whatever the file does meanwhile."""
    name = str(path)
    try:
        info = os.stat(path, follow_symlinks=follow_symlinks)
        _check_regular(info, name)
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | (0 if follow_symlinks else os.O_NOFOLLOW)
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise ReadError("no such file", name, "missing") from None
    except PermissionError:
        raise ReadError("permission denied", name, "unreadable") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ReadError("is a symbolic link, not a file", name, "not-a-file") from None
        raise ReadError(f"cannot open: {exc.strerror}", name, "unreadable") from None
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(fd)
        _check_regular(info, name)  # the same file that was checked, not one swapped in since
        try:
            head = b""
            if info.st_size > limits.MAX_TEXT_BYTES:  # a plain-text file this large is refused before reading it whole
                head = f.read(_SNIFF_BYTES)
                if detect_format(head, name) == "txt":
                    check_text_size(info.st_size, name, "text file")
            data = head + f.read(limits.MAX_FILE_BYTES + 1 - len(head))
        except OSError as exc:
            raise ReadError(f"cannot read: {exc.strerror}", name, "unreadable") from None
    if len(data) > limits.MAX_FILE_BYTES:
        raise ReadError(f"file is over the {limits.MAX_FILE_BYTES // 2**20} MB cap", name, "too-large")
    return data


def _check_regular(info: os.stat_result, name: str) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise ReadError("is a folder, not a file", name, "not-a-file")
    if stat.S_ISLNK(info.st_mode):
        raise ReadError("is a symbolic link, not a file", name, "not-a-file")
    if not stat.S_ISREG(info.st_mode):
        kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(info.st_mode) else "a device" if
                stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else "a socket" if stat.S_ISSOCK(info.st_mode)
                else "not a regular file")
        raise ReadError(f"is {kind}, not a file", name, "not-a-file")
    if info.st_size > limits.MAX_FILE_BYTES:
        raise ReadError(f"file is {info.st_size // 2**20} MB, over the {limits.MAX_FILE_BYTES // 2**20} MB cap",
                        name, "too-large")
