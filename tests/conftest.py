import copy

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


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A ``replica`` alias in every test run, as a mirror of ``default``
    (Django's way to test a primary and its replicas: one database under two
    names). Nothing uses it unless a test installs the router
    (tests/paper/test_replica.py); with DATABASE_REPLICA_URL set, the settings
    made it already."""
    if "replica" not in settings.DATABASES:
        replica = copy.deepcopy(settings.DATABASES["default"])
        replica["TEST"] = {**replica.get("TEST", {}), "MIRROR": "default"}
        settings.DATABASES["replica"] = replica
