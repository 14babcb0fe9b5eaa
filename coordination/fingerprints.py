"""Keyed hashes of personal identifiers: equal inputs match, the input cannot be recovered."""

from __future__ import annotations

import hashlib
import hmac
from uuid import NAMESPACE_URL, UUID, uuid5

KATF_NAMESPACE = uuid5(NAMESPACE_URL, "https://katf.example/ids")


class Fingerprints:
    def __init__(self, secret_key: str) -> None:
        if not secret_key:
            raise ValueError("a secret key is required for keyed hashes")
        self._key = hashlib.sha256(("katf-fingerprints:" + secret_key).encode()).digest()

    def of(self, kind: str, value: str) -> str:
        return hmac.new(self._key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def stable_id(*parts: str) -> UUID:
    """A deterministic aggregate id, so the store's uniqueness decides who was first."""
    return uuid5(KATF_NAMESPACE, "/".join(parts))
