"""The events' cipher writes what the library's reads, and reads what the library wrote: stored
events stay readable whichever of the two sealed them."""

from __future__ import annotations

import os

import pytest
from eventsourcing.cryptography import AESCipher
from eventsourcing.utils import Environment

from coordination.cipher import EventCipher
from projections.personal import Sealer
from web.platform.settings import Settings

KEY = AESCipher.create_key(32)


def ciphers() -> tuple[AESCipher, EventCipher]:
    environment = Environment(env={AESCipher.CIPHER_KEY: KEY})
    return AESCipher(environment), EventCipher(environment)


@pytest.mark.parametrize("size", [0, 1, 300, 70_000])
def test_each_reads_what_the_other_sealed(size: int) -> None:
    library, ours = ciphers()
    plaintext = os.urandom(size)
    assert ours.decrypt(library.encrypt(plaintext)) == plaintext
    assert library.decrypt(ours.encrypt(plaintext)) == plaintext


def test_every_sealing_has_a_nonce_of_its_own() -> None:
    _, ours = ciphers()
    sealed = {ours.encrypt(b"the same event") for _ in range(1_000)}
    assert len(sealed) == 1_000
    assert len({s[:12] for s in sealed}) == 1_000


@pytest.mark.parametrize("damage", ["truncated", "flipped", "short"])
def test_damaged_text_is_refused_as_the_library_refuses_it(damage: str) -> None:
    library, ours = ciphers()
    sealed = bytearray(library.encrypt(b'{"volunteer": "x"}'))
    if damage == "truncated":
        sealed = sealed[:-1]
    elif damage == "flipped":
        sealed[-1] ^= 1
    else:
        sealed = sealed[:20]
    for cipher in (library, ours):
        with pytest.raises(ValueError):
            cipher.decrypt(bytes(sealed))


def test_the_store_and_the_views_seal_with_it() -> None:
    settings = Settings(database_url="sqlite:///unused.db", secret_key="k" * 32)
    environment = settings.eventsourcing_env()
    assert environment["CIPHER_TOPIC"] == "coordination.cipher:EventCipher"
    sealer = Sealer(environment["CIPHER_KEY"])
    assert isinstance(sealer._cipher, EventCipher)
    assert sealer.unseal(sealer.seal("نادية")) == "نادية"
