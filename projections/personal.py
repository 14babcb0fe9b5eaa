"""Personal data in read models is sealed with the settings' key, like the events themselves."""

from __future__ import annotations

import base64

from eventsourcing.utils import Environment

from coordination.cipher import EventCipher


class Sealer:
    def __init__(self, key: str) -> None:
        self._cipher = EventCipher(Environment(env={EventCipher.CIPHER_KEY: key}))

    def seal(self, text: str) -> str:
        return base64.b64encode(self._cipher.encrypt(text.encode())).decode()

    def unseal(self, sealed: str) -> str:
        return self._cipher.decrypt(base64.b64decode(sealed)).decode()
