"""Field-level encryption for BSNs (domain.md §7: store encrypted, show masked).

The key is ``FIELD_ENCRYPTION_KEY`` (a Fernet key) when configured, otherwise derived from the
secret key with HKDF; a keyed digest (HMAC-SHA256) lets the service find a person by BSN
without decrypting every row. Rotating the secret key without a separate field key makes stored
BSNs unreadable: production sets BARRIER_FIELD_ENCRYPTION_KEY.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app


def _derive(purpose: bytes) -> bytes:
    secret = current_app.config["SECRET_KEY"].encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"barrier-field-v1", info=purpose).derive(secret)


def _fernet() -> Fernet:
    key = current_app.config.get("FIELD_ENCRYPTION_KEY")
    return Fernet(key.encode() if isinstance(key, str) else key) if key else Fernet(
        base64.urlsafe_b64encode(_derive(b"fernet")))


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str | None:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def digest(value: str) -> str:
    return hmac.new(_derive(b"digest"), value.encode(), hashlib.sha256).hexdigest()
