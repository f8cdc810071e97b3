"""Raw pages and files, content-addressed and compressed, so extraction re-runs without the network."""
from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from pathlib import Path

DEFAULT_RAW = Path("output/raw")


def compress(data: bytes) -> bytes:
    """Bytes as the store keeps them: gzip, no time stamp (the same bytes give the same file)."""
    return gzip.compress(data, mtime=0)


class RawStore:
    def __init__(self, root: str | Path = DEFAULT_RAW) -> None:
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / f"{sha256}.gz"

    def put(self, data: bytes) -> str:
        """Store bytes (once) and return their sha256."""
        sha256 = hashlib.sha256(data).hexdigest()
        if not self.has(sha256):
            self.put_compressed(sha256, compress(data))
        return sha256

    def put_compressed(self, sha256: str, compressed: bytes) -> str:
        """Store bytes already compressed (``compress``, in a worker) under their sha256, once. Written
        to a temporary file, then renamed: never half a file."""
        target = self.path_for(sha256)
        if target.exists():
            return sha256
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(compressed)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return sha256

    def get(self, sha256: str) -> bytes:
        return gzip.decompress(self.path_for(sha256).read_bytes())

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).exists()
