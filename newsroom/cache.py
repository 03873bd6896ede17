"""A file cache whose add and incr are atomic across processes on one machine,
and whose get_kept reads a value again only after a write."""

import fcntl
import os
import pickle
import zlib
from contextlib import contextmanager, suppress
from typing import IO, Any, NamedTuple

from django.core.cache.backends.filebased import FileBasedCache

_UNREAD = object()


class _Kept(NamedTuple):
    path: str
    file: IO[bytes]
    identity: tuple[int, int]  # st_dev, st_ino of the file read
    value: Any


class LockingFileBasedCache(FileBasedCache):
    """Django's file cache, with add/incr/decr under an exclusive file lock.

    The stock backend reads then writes, so two processes counting the same
    rate limit could both read 4 and both write 5. Comment rate limits rely on
    these being atomic; Redis gives that natively in production.
    """

    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._kept: dict[tuple[str, int | None], _Kept] = {}

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

    def get_kept(self, key: str, default=None, version: int | None = None):
        """``get()``, re-reading the file only once any process wrote the key.

        For a value read on every request (the page cache's content version):
        one stat() instead of opening, unpickling and decompressing the file.
        set() writes a new file and renames it over the old one, so each write
        gives the path a new inode; the file last read is kept open, so its
        inode number cannot be reused, and "same inode" means "same value".
        A write by another process is seen by the very next call. (Timestamps
        would not do: two writes within one clock tick share an mtime.) Only
        values stored without a timeout are kept; the caller must not change
        the value returned.
        """
        kept = self._kept.get((key, version))
        if kept is not None:
            with suppress(FileNotFoundError):
                current = os.stat(kept.path)
                if (current.st_dev, current.st_ino) == kept.identity:
                    return kept.value
            kept.file.close()
            del self._kept[(key, version)]
        path = self._key_to_file(key, version)
        try:
            file = open(path, "rb")  # noqa: SIM115 - kept open, see above
        except FileNotFoundError:
            return default
        value = _UNREAD
        try:
            with suppress(EOFError):  # an empty file: get() below deals with it
                # Our own files, read as Django's get() reads them.
                if pickle.load(file) is None:  # noqa: S301 - no expiry time
                    value = pickle.loads(zlib.decompress(file.read()))  # noqa: S301
        finally:
            if value is _UNREAD:
                file.close()
        if value is _UNREAD:  # it expires, or the file is empty
            return self.get(key, default, version)
        stat = os.fstat(file.fileno())
        self._kept[(key, version)] = _Kept(
            path, file, (stat.st_dev, stat.st_ino), value
        )
        return value
