"""Password rules and Argon2id hashes."""

from __future__ import annotations

import threading

from argon2 import Parameters, PasswordHasher, Type, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from coordination.errors import InvalidInput

LENGTH = range(8, 65)
# zxcvbn keeps the hints of the password it is estimating in a dictionary shared by every
# call: two registrations checked at once would each be checked against the other's name.
_ESTIMATING = threading.Lock()


# OWASP's Password Storage Cheat Sheet, Argon2id's minimum: 19 MiB, two passes, one lane.
OWASP_MINIMUM = Parameters(
    type=Type.ID,
    version=19,
    salt_len=16,
    hash_len=32,
    time_cost=2,
    memory_cost=19 * 1024,
    parallelism=1,
)
# Each stored hash names its own parameters: a hash made under one profile is checked
# under any other, so a deployment may change its profile without locking anyone out.
PROFILES = {
    "rfc9106-low-memory": profiles.RFC_9106_LOW_MEMORY,  # t=3, 64 MiB, p=4: the default
    "owasp-minimum": OWASP_MINIMUM,  # about an eighth of the CPU, for small servers
}
DEFAULT_PROFILE = "rfc9106-low-memory"


def password_hasher(fast_for_tests: bool = False, profile: str = DEFAULT_PROFILE) -> PasswordHasher:
    """Argon2id with one of ``PROFILES``; the fast profile exists only to keep test suites
    quick."""
    if fast_for_tests:
        return PasswordHasher.from_parameters(profiles.CHEAPEST)
    return PasswordHasher.from_parameters(PROFILES[profile])


def check_password(password: str, *hints: str) -> str:
    """Refuses passwords too short, too long, or among the most guessable."""
    if len(password) not in LENGTH:
        raise PasswordLength(minimum=LENGTH.start, maximum=LENGTH.stop - 1)
    with _ESTIMATING:
        score = zxcvbn(password, user_inputs=[h for h in hints if h])["score"]
    if score == 0:
        raise CommonPassword()
    return password


class Passwords:
    def __init__(self, hasher: PasswordHasher) -> None:
        self.hasher = hasher
        self._dummy_hash = hasher.hash("katf-timing-equaliser")

    def hash(self, password: str) -> str:
        return self.hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        """Takes as long for an unknown account as for a known one."""
        try:
            self.hasher.verify(password_hash or self._dummy_hash, password[:128])
        except (VerificationError, InvalidHashError):
            return False
        return bool(password_hash)


class PasswordLength(InvalidInput):
    code = "password_length"


class CommonPassword(InvalidInput):
    code = "common_password"
