import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache


@pytest.fixture(autouse=True)
def _empty_memory_caches():
    """Kept pages, purge marks and rate-limit counters must not leak from one
    test into the next.

    Every configured cache is looked at (a settings override makes new cache
    objects over the same process-wide memory); only in-memory ones are
    emptied: clearing a shared Redis would flush data that is not ours.
    """
    for alias in settings.CACHES:
        cache = caches[alias]
        if isinstance(cache, LocMemCache):
            cache.clear()
    yield
