"""API keys: ``brr_<prefix>_<secret>``, shown once, stored as a lookup prefix and a SHA-256.

Why SHA-256 and not argon2 (which Barrier uses for passwords): a slow hash protects secrets that
people choose and that can be guessed; this secret is 32 bytes from ``secrets`` (256 bits), which
no one can enumerate, so the slow hash would protect nothing and would cost tens of milliseconds
and megabytes of memory on *every* API call (a screening client makes hundreds per second). The
prefix is an index lookup; the digests are compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

KEY_RE = re.compile(r"^brr_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$")


@dataclass(frozen=True)
class NewKey:
    """A freshly made key: ``plaintext`` is shown to the beheerder once and never stored."""

    plaintext: str
    prefix: str
    digest: str


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def new_key() -> NewKey:
    prefix = "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(12))
    secret = secrets.token_urlsafe(32)  # 32 random bytes -> 43 characters
    return NewKey(plaintext=f"brr_{prefix}_{secret}", prefix=prefix, digest=digest(secret))


def parse(key: str) -> tuple[str, str] | None:
    """(prefix, secret) of a well-formed key, or None."""
    match = KEY_RE.match(key or "")
    return (match.group(1), match.group(2)) if match else None


def matches(secret: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(secret), stored_digest)
