"""A password hasher that counts how many passwords it has checked: Django's own
PBKDF2, with fewer rounds so a test stays quick while a check still takes real time."""

import threading

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class CountingPBKDF2Hasher(PBKDF2PasswordHasher):
    iterations = 60_000
    checks = 0
    _lock = threading.Lock()

    def verify(self, password, encoded):
        with CountingPBKDF2Hasher._lock:
            CountingPBKDF2Hasher.checks += 1
        return super().verify(password, encoded)

    @classmethod
    def reset(cls):
        with cls._lock:
            cls.checks = 0
