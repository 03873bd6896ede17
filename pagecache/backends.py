"""A file cache whose add and incr are atomic across processes on one machine."""

import fcntl
import os
from contextlib import contextmanager

from django.core.cache.backends.filebased import FileBasedCache


class LockingFileBasedCache(FileBasedCache):
    """Django's file cache, with add/incr/decr under an exclusive file lock.

    The stock backend reads then writes, so two processes counting the same
    rate limit could both read 4 and both write 5. Comment rate limits rely on
    these being atomic; Redis gives that natively in production.
    """

    @contextmanager
    def _locked(self):
        self._createdir()
        with open(os.path.join(self._dir, "counters.lock"), "a") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)

    def add(self, key, value, timeout=None, version=None):
        with self._locked():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        with self._locked():
            return super().incr(key, delta, version)
