"""Errors a user sees as one line: what file, and why it could not be read."""
from __future__ import annotations


class ReadError(Exception):
    """A file that cannot be turned into a Document. ``str()`` is the one-line reason."""

    def __init__(self, reason: str, path: str | None = None, code: str = "unreadable") -> None:
        reason = " ".join(str(reason).split())  # one line, whatever a library's message holds
        super().__init__(reason)
        self.reason = reason
        self.path = path
        self.code = code  # a short machine word: empty, encrypted, scanned, not-docx, zip-bomb, too-large ...

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}" if self.path else self.reason
