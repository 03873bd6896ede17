import json
import logging
import sys
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, connections
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from . import routers

logger = logging.getLogger(__name__)


def _own_answer(request: HttpRequest, name: str):
    """The refused view's own answer for this refusal, if it has one."""
    match = getattr(request, "resolver_match", None)
    return getattr(getattr(match, "func", None), name, None)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form post, explained in Vietnamese with the paper's own layout.

    A view may answer its own refused posts (``view.csrf_failure``): the
    comment views give the form back, filled in, with fresh tokens.
    """
    if handler := _own_answer(request, "csrf_failure"):
        return handler(request)
    return render(request, "403_csrf.html", status=403)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400, in Vietnamese (``handler400``).

    A post over DATA_UPLOAD_MAX_MEMORY_SIZE cannot be read at all; a view may
    answer it itself (``view.request_too_big``): the comment form comes back
    with the reason rather than a bare error page.
    """
    if isinstance(exception, RequestDataTooBig):
        logger.warning("Post too big to read: %s", request.path)
        if handler := _own_answer(request, "request_too_big"):
            return handler(request)
    return render(request, "400.html", status=400)


# Long enough for a database restart; a crawler honours it.
RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    """500, in Vietnamese (``handler500``); 503 while the database is away.

    Built without the database: no site settings, no navigation. Pages kept
    by the page cache are still served meanwhile (they need no database).
    """
    # Staff who meet it inside the admin are offered the way back there; told
    # by the address alone, as asking who is signed in needs the database.
    in_admin = request.path.startswith(settings.ADMIN_URL_PREFIX)
    context = {"admin_url": settings.ADMIN_URL_PREFIX if in_admin else None}
    if isinstance(sys.exc_info()[1], DatabaseError):
        response = render(request, "503.html", context, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "500.html", context, status=500)


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_cache() -> None:
    cache.set("healthz", "ok", 30)
    if cache.get("healthz") != "ok":
        raise RuntimeError("what was written could not be read back")


def _check_storage() -> None:
    # Written and deleted: media on S3 or a full disk fail here, not on an
    # editor's upload.
    name = default_storage.save("healthz/probe.txt", ContentFile(b"ok"))
    default_storage.delete(name)


def _check_replica() -> None:
    with connections[routers.REPLICA].cursor() as cursor:
        cursor.execute("SELECT 1")


class WorkerAbsent(Exception):
    """Tasks wait and no worker takes them."""


def _check_worker() -> None:
    """The worker's heartbeat, read from the task table itself: a task that
    has been ready to run for WORKER_LATE_AFTER seconds (5 minutes) means no
    worker is taking tasks.

    A running worker looks for a ready task every second and takes it at once,
    so one left waiting that long means every worker is stopped, dead or stuck
    in a task. The rule needs no heartbeat of its own to write or expire, and
    it cannot be fooled by a process that is alive but no longer working.
    While nothing waits it says nothing: a worker that is down loses no task
    (they are kept in the database), and the first task that waits too long
    shows here. A task waiting for its retry (run after a set time) is late
    only that long after its time.
    """
    late = timezone.now() - timedelta(seconds=settings.WORKER_LATE_AFTER)
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).filter(
        Q(run_after=get_date_max(), enqueued_at__lte=late) | Q(run_after__lte=late)
    )
    count = waiting.count()
    if count:
        raise WorkerAbsent(
            f"{count} task(s) ready for over {settings.WORKER_LATE_AFTER} s; "
            "is manage.py run_worker running?"
        )


HEALTH_CHECKS = {
    "database": _check_database,
    "cache": _check_cache,
    "storage": _check_storage,
    "worker": _check_worker,
}


# Enough for any browser's report; more is not a report.
CSP_REPORT_MAX_BYTES = 16 * 1024


@csrf_exempt  # browsers send reports without a token
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Logs what a page's Content-Security-Policy blocked, one warning each."""
    body = request.read(CSP_REPORT_MAX_BYTES + 1)
    try:
        report = (
            json.loads(body)["csp-report"] if len(body) <= CSP_REPORT_MAX_BYTES else {}
        )
    except (ValueError, KeyError, TypeError):
        report = {}
    if isinstance(report, dict) and report:
        logger.warning(
            "Content-Security-Policy blocked %s (%s) on %s",
            str(report.get("blocked-uri", ""))[:200],
            str(report.get("violated-directive", ""))[:100],
            str(report.get("document-uri", ""))[:200],
        )
    return HttpResponse(status=204)


@require_safe
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For monitoring: each part the paper needs, "ok" or what failed; 200
    when all answer, else 503. Never kept by a cache, so an outage shows."""
    parts = {}
    checks = dict(HEALTH_CHECKS)
    if routers.replica_in_use():
        # Readers fall back to the primary meanwhile, but someone should know.
        checks["replica"] = _check_replica
    for name, check in checks.items():
        try:
            check()
        except Exception as error:
            logger.warning("Health check %s failed: %s", name, error)
            parts[name] = f"error: {type(error).__name__}"
        else:
            parts[name] = "ok"
    healthy = all(state == "ok" for state in parts.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **parts},
        status=200 if healthy else 503,
    )


def bench_bare(request: HttpRequest) -> HttpResponse:
    """The benchmark's bound: a constant answer through the same middleware.

    Off unless BENCH_ENDPOINTS=1, so a production site never exposes it.
    """
    if not settings.BENCH_ENDPOINTS:
        raise Http404
    return HttpResponse(b"ok", content_type="text/plain")
