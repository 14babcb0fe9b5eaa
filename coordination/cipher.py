"""The events' cipher: the library's AES-GCM, its key set up once instead of for every event.

``eventsourcing.cryptography.AESCipher`` builds a new ``AESGCM`` for each event it encrypts or
decrypts, about half of the work for an event of a few hundred bytes. ``EventCipher`` keeps
one (it holds only the key, and may be shared by threads) and writes the same bytes: a fresh
random nonce, the tag, the ciphertext. Stored events read the same with either class.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.cryptography import AESCipher
from eventsourcing.utils import Environment

TOPIC = "coordination.cipher:EventCipher"
NONCE, TAG = 12, 16


class EventCipher(AESCipher):
    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        self._aead = AESGCM(self.key)

    def encrypt(self, plaintext: bytes) -> bytes:
        nonce = self.random_bytes(NONCE)
        sealed = self._aead.encrypt(nonce, plaintext, None)
        return nonce + sealed[-TAG:] + sealed[:-TAG]  # the tag in front, as the library puts it

    def decrypt(self, ciphertext: bytes) -> bytes:
        if len(ciphertext) < NONCE + TAG:
            raise ValueError("Damaged cipher text: too short for its nonce and tag")
        nonce, tag = ciphertext[:NONCE], ciphertext[NONCE : NONCE + TAG]
        try:
            return self._aead.decrypt(nonce, ciphertext[NONCE + TAG :] + tag, None)
        except InvalidTag as error:
            raise ValueError("Invalid cipher tag") from error
