import copy
import logging

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
def s3_endpoint():
    """moto's S3 server in this process on a free port, for the whole run."""
    from moto.server import ThreadedMotoServer

    from tests.servers import free_port

    # One line per request at INFO: hundreds per test.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_media(request, s3_endpoint):
    """A fresh bucket holding the paper's media for one test (as
    ``self.bucket`` in a TestCase); removed afterwards."""
    from tests.s3 import Bucket

    bucket = Bucket(s3_endpoint, prefix=getattr(request.instance, "s3_prefix", ""))
    if request.instance is not None:
        request.instance.bucket = bucket
    with bucket.in_use():
        yield bucket
    bucket.remove()


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
