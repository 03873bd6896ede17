"""Readers' pages read from a replica; editors and every write use the primary.

With ``DATABASE_REPLICA_URL`` set, settings add a ``replica`` alias and this
router. ``ReplicaMiddleware`` decides, before anything reads the database,
whether a request may read from the replica:

* only a reader's ``GET`` or ``HEAD`` of a public page: not the admin, not
  anyone with a session (signed-in staff) or an ``Authorization`` header;
* not someone who wrote in the last ``DATABASE_REPLICA_MAX_LAG`` seconds: a
  request that writes answers with a short-lived cookie, so its writer's next
  pages read from the primary until the replica has caught up (read your own
  writes); and within one request, every read after a write, or inside a
  transaction, goes to the primary;
* not while the replica does not answer (tried at the request's first read):
  reads fall back to the primary, and the replica is tried again 30 s later.

Everything else, management commands and background work included, reads from
the primary: the choice is a context variable, set only by the middleware
(``contextvars``, so a thread or an ASGI task sees its own request's choice).
Migrations run on the primary only; rows from both may be related (the same
data). Without a replica the middleware removes itself and no router is set.
"""

import contextvars
import logging
import math
import re
import time

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

log = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA = "replica"
ROUTER = "paper.routers.PrimaryReplicaRouter"
# Set on the answer to a request that wrote: until when (epoch seconds) its
# writer reads from the primary.
COOKIE = "read_primary"
# After the replica failed to answer, how long reads go to the primary before
# it is tried again (per process).
RETRY_REPLICA_AFTER = 30
SAFE_METHODS = ("GET", "HEAD")
_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


class _Reads:
    """Where the current request reads from, and whether it wrote."""

    __slots__ = ("alias", "replica_checked", "wrote")

    def __init__(self, alias: str):
        self.alias = alias
        self.wrote = False
        # The replica is tried at the request's first read, not before: a
        # page kept by the page cache or a static file never connects to it.
        self.replica_checked = False


_reads: contextvars.ContextVar[_Reads | None] = contextvars.ContextVar(
    "database_reads", default=None
)
_replica_down_until = 0.0


def replica_in_use() -> bool:
    return REPLICA in settings.DATABASES and ROUTER in settings.DATABASE_ROUTERS


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        reads = _reads.get()
        if reads is None or reads.alias == PRIMARY:
            return PRIMARY
        # Inside a transaction on the primary (a write under way, a
        # select_for_update), read what that transaction sees.
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        if not reads.replica_checked:
            reads.replica_checked = True
            if not _replica_answers():
                reads.alias = PRIMARY
                return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        both = {obj1._state.db, obj2._state.db}
        if both <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == PRIMARY


class _NoteWrites:
    """Notes a write sent to the primary: the rest of the request reads from
    the primary, and its writer gets the cookie. (Not the router's
    db_for_write: get_or_create asks it for a read that may write nothing.)"""

    def __init__(self, reads: _Reads):
        self.reads = reads

    def __call__(self, execute, sql, params, many, context):
        if not self.reads.wrote and _WRITE.match(sql):
            self.reads.alias = PRIMARY
            self.reads.wrote = True
        return execute(sql, params, many, context)


def _now() -> float:
    """Epoch seconds, through django.utils.timezone so tests can move the clock."""
    return timezone.now().timestamp()


def _replica_answers() -> bool:
    """Connects to the replica (a persistent connection is kept, so this is
    usually free); False for a while after it failed."""
    global _replica_down_until
    if time.monotonic() < _replica_down_until:
        return False
    replica = connections[REPLICA]
    try:
        # What Django does before a request's first query anyway.
        replica.close_if_health_check_failed()
        replica.ensure_connection()
    except DatabaseError as error:
        log.warning(
            "The replica does not answer (%s); reading from the primary for %d s",
            error,
            RETRY_REPLICA_AFTER,
        )
        _replica_down_until = time.monotonic() + RETRY_REPLICA_AFTER
        return False
    return True


class ReplicaMiddleware:
    """Chooses where this request reads from; see the module's docstring."""

    def __init__(self, get_response):
        if not replica_in_use():
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.lag = settings.DATABASE_REPLICA_MAX_LAG
        self.admin_prefix = settings.ADMIN_URL_PREFIX

    def _is_reader_page(self, request: HttpRequest) -> bool:
        return (
            request.method in SAFE_METHODS
            and not request.path.startswith(self.admin_prefix)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
        )

    def _wrote_recently(self, request: HttpRequest) -> bool:
        try:
            until = int(request.COOKIES.get(COOKIE, ""))
        except ValueError:
            return False
        now = _now()
        # A date further off than the window was not set by us: ignored.
        return now < until <= now + self.lag + 1

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Also for the page cache: no page kept for everyone, which may have
        # been read from the replica before it caught up, for this writer.
        request.reads_own_writes = self._wrote_recently(request)
        use_replica = self._is_reader_page(request) and not request.reads_own_writes
        reads = _Reads(REPLICA if use_replica else PRIMARY)
        if use_replica:
            # For the page cache: what this page shows may be this old.
            request.database_lag = self.lag
        token = _reads.set(reads)
        try:
            with connections[PRIMARY].execute_wrapper(_NoteWrites(reads)):
                response = self.get_response(request)
        finally:
            _reads.reset(token)
        if reads.wrote and request.method not in SAFE_METHODS:
            response.set_cookie(
                COOKIE,
                str(math.ceil(_now()) + self.lag),
                max_age=self.lag,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
