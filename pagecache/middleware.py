"""The page cache: whole public pages for anonymous readers, in Django's cache.

A page is kept when a reader (no session, no message waiting) GETs it, the
view said what the page shows (``purge.show``) and answered 200 with nothing
per reader in it: no cookie set, no Cache-Control of its own (a preview, the
comment tokens), no ``Vary: Cookie``.
Kept pages are byte-identical for every reader; the forms on them get their
tokens from ``comments``' small uncached endpoint.

A kept page is served while every key it shows was purged before it began
rendering (``purge.py``) and the clock has not reached the next scheduled
change. Every response says what it shows in ``xkey`` for a front cache, and
is sent ``max-age=0, must-revalidate`` with an ETag, so browsers ask again and
get a 304 while nothing changed.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from . import purge

# Headers of the view's answer that a kept copy keeps. A view sets its own
# Content-Security-Policy only when the page needs more than the default (an
# article's video player host); the content API opens its answers to every
# origin.
KEPT_HEADERS = (
    "Content-Type",
    "Content-Language",
    "X-Robots-Tag",
    "Link",
    "Content-Security-Policy",
    "Access-Control-Allow-Origin",
)
# A front cache may serve a page this much past its s-maxage while it fetches
# a new one; never past a scheduled change (see "clock_bound").
STALE_WHILE_REVALIDATE = 30


def _is_reader(request: HttpRequest) -> bool:
    """Anonymous, with no message waiting: judged from cookies alone, so the
    session is never read (reading it adds ``Vary: Cookie``). Nor someone who
    has just written, while a database replica may not show it yet
    (``reads_own_writes``, paper/routers.py)."""
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and not getattr(request, "reads_own_writes", False)
    )


def _key(request: HttpRequest) -> str:
    where = f"{request.get_host()}{request.get_full_path()}".encode()
    return "pagecache:page:" + hashlib.blake2b(where, digest_size=16).hexdigest()


def _is_current(entry: dict, now: float) -> bool:
    if entry["expires_at"] <= now:
        return False
    purged = purge.marks(entry["keys"])
    return all(moment < entry["started_at"] for moment in purged.values())


def _is_keepable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        # The view said what the page shows (purge.show), so it can be purged.
        hasattr(request, "cache_keys")
        and response.status_code == 200
        and not response.streaming
        and not response.has_header("Cache-Control")
        and not response.cookies
        and "cookie" not in response.get("Vary", "").lower()
        # The view asked for a message to be shown: this page is the reader's.
        and not getattr(getattr(request, "_messages", None), "used", False)
    )


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or not _is_reader(request):
            response = self.get_response(request)
            if not response.has_header("Cache-Control"):
                # A staff member's page, or a form's answer: never kept.
                response["Cache-Control"] = "private, no-cache"
            return response
        started_at = purge.now()
        key = _key(request)
        if settings.PAGE_CACHE and request.method == "GET":
            entry = cache.get(key)
            if entry is not None and _is_current(entry, started_at):
                response = HttpResponse(entry["content"], headers=entry["headers"])
                response["X-Page-Cache"] = "hit"
                return self._finish(request, response, entry, started_at)
        response = self.get_response(request)
        if not _is_keepable(request, response):
            if not response.has_header("Cache-Control"):
                response["Cache-Control"] = "private, no-cache"
            return response
        keys = request.cache_keys
        next_change = purge.next_change()
        digest = hashlib.blake2b(response.content, digest_size=16).hexdigest()
        entry = {
            "content": response.content,
            "headers": {h: response[h] for h in KEPT_HEADERS if response.has_header(h)},
            "keys": sorted(keys),
            "started_at": started_at,
            "expires_at": min(
                started_at + settings.PAGE_CACHE_TTL, next_change or float("inf")
            ),
            # The next scheduled change comes before a front cache could stop
            # serving this page: it must not serve it stale at all.
            "clock_bound": next_change is not None
            and next_change
            < started_at + settings.PAGE_CACHE_TTL + STALE_WHILE_REVALIDATE,
            "etag": f'"{digest}"',
        }
        # Purged while it rendered: it may show what was there before. With
        # nothing keeping pages, no purge could reach a kept copy anyway (and
        # a home page's 200 keys would be read for nothing).
        kept = settings.PAGE_CACHE or settings.PURGE_URLS
        purged = purge.marks(keys).values() if kept else ()
        if any(m >= started_at for m in purged):
            response["Cache-Control"] = "private, no-cache"
            return response
        # Read from a database replica up to this many seconds behind
        # (paper/routers.py): a purge that recent may not show yet, so the page
        # is kept only until the replica must have caught up, with no grace.
        lag = getattr(request, "database_lag", 0)
        recent = [m for m in purged if m >= started_at - lag]
        if recent:
            entry["expires_at"] = min(entry["expires_at"], max(recent) + lag)
            entry["clock_bound"] = True
        if settings.PAGE_CACHE and request.method == "GET":
            timeout = max(1, int(entry["expires_at"] - started_at))
            cache.set(key, entry, timeout=timeout)
            response["X-Page-Cache"] = "miss"
        return self._finish(request, response, entry, started_at)

    def _finish(
        self, request: HttpRequest, response: HttpResponse, entry: dict, now: float
    ) -> HttpResponse:
        shared_for = max(0, int(entry["expires_at"] - now))
        control = f"public, max-age=0, must-revalidate, s-maxage={shared_for}"
        if not entry["clock_bound"]:
            control += f", stale-while-revalidate={STALE_WHILE_REVALIDATE}"
        response["Cache-Control"] = control
        response["ETag"] = entry["etag"]
        response["Last-Modified"] = http_date(entry["started_at"])
        # For the front cache (deploy/varnish/default.vcl), which removes it.
        response["xkey"] = " ".join(entry["keys"])
        return get_conditional_response(
            request,
            etag=entry["etag"],
            last_modified=int(entry["started_at"]),
            response=response,
        )
