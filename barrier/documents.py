"""Uploaded documents on disk, named by their SHA-256 (DESIGN.md: never by the user's filename).

The type is decided by the file's content (magic bytes), not by its name or the browser's
claim; the bytes are written atomically (temporary file, fsync, rename) before any database row
exists, so a full disk leaves no row behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app

# Magic numbers of the accepted types.
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)
ALL_TYPES = frozenset(content_type for _, content_type, _ in SIGNATURES)
IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})


class DocumentError(Exception):
    """A refused upload; the message is Dutch and belongs next to the file field."""


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size_bytes: int
    content_type: str
    original_filename: str


def sniff(head: bytes) -> str | None:
    for signature, content_type, _ in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def _root() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def path_for(sha256: str) -> Path:
    return _root() / sha256[:2] / sha256[2:4] / sha256


def clean_filename(name: str) -> str:
    """Keep the user's filename for display only: no paths, no control characters, bounded."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*')
    return (base or "document")[:200]


def store(stream: BinaryIO, filename: str, *, allowed: frozenset[str] = ALL_TYPES,
          max_bytes: int | None = None) -> StoredFile:
    limit = max_bytes or current_app.config["UPLOAD_MAX_BYTES"]
    head = stream.read(16)
    content_type = sniff(head)
    if content_type is None or content_type not in allowed:
        names = [label for content, label in (("application/pdf", "PDF"), ("image/jpeg", "JPEG"), ("image/png", "PNG"))
                 if content in allowed]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " of " + names[-1]
        raise DocumentError(f"Dit bestand is geen {listed}: de inhoud komt niet overeen met een toegestaan type.")
    digest = hashlib.sha256(head)
    size = len(head)
    tmp_name = ""
    try:
        # Inside the try: on a full or unavailable disk, creating the folder or the temporary file
        # fails too, and the user must get the same clear message (not a 500).
        root = _root()
        root.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=root, prefix=".upload-")
        with os.fdopen(fd, "wb") as out:
            out.write(head)
            while chunk := stream.read(1024 * 1024):
                size += len(chunk)
                if size > limit:
                    raise DocumentError(f"Het bestand is groter dan {limit // (1024 * 1024)} MB.")
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size <= len(head) and content_type == "application/pdf" and size < 64:
            raise DocumentError("Dit bestand is leeg of onvolledig.")
        sha = digest.hexdigest()
        target = path_for(sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp_name, target)
    except OSError as error:
        _discard(tmp_name)
        current_app.logger.error("upload could not be stored: %s", error)
        raise DocumentError("Het bestand kon niet worden opgeslagen (opslag vol of niet beschikbaar). "
                            "Er is niets bewaard; probeer het later opnieuw of neem contact op met de beheerder.") from error
    except DocumentError:
        _discard(tmp_name)
        raise
    return StoredFile(sha256=sha, size_bytes=size, content_type=content_type, original_filename=clean_filename(filename))


def _discard(name: str) -> None:
    if name:
        with contextlib.suppress(OSError):
            os.unlink(name)


def open_stored(sha256: str) -> BinaryIO:
    return path_for(sha256).open("rb")
