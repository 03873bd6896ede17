import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache


@pytest.fixture(autouse=True)
def _empty_memory_caches():
    """Rate-limit counters must not leak from one test into the next.

    Only in-memory caches are emptied: clearing a shared Redis would flush data
    that is not ours.
    """
    for cache in caches.all(initialized_only=True):
        if isinstance(cache, LocMemCache):
            cache.clear()
    yield
