"""The full-page cache for anonymous readers, never stale.

Every cached page is keyed by a *content version*. Any change readers could
see (publish, edit, transition, takedown, scheduled publication, comment
moderation, site settings, sections...) calls ``content_changed()`` from its
service, which starts a new version: the very next request renders afresh.
Scheduled articles need no call: the version also records when the next
scheduled article (or embargo, or end of a breaking-news banner) comes due,
and is renewed by the first request after that moment. ``PAGE_CACHE_TTL``
bounds what no write announces (the "Đọc nhiều" counters, comments closing
with age).

Pages are stored in the "pages" cache (per-process memory, or Redis with
``REDIS_URL``); the version lives in the shared "default" cache so every
process sees a bump at once. Staff (anyone logged in) and readers with a
pending message are never served from or stored into it. Pages with a form
are stored cut around the CSRF token and the signed comment token, joined with
fresh tokens per request, and sent ``Cache-Control: private``; other pages are
sent ``public, max-age`` with an ETag and Last-Modified, and answer 304 when
unchanged.
"""

import functools
import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

STATE_KEY = "pagecache:state"
# The per-request values of a page with a form: the CSRF token and the signed
# comment token. A stored page is cut around them once, so a hit joins the
# pieces with fresh values instead of scanning 20 kB per value.
TOKEN_VALUES = re.compile(
    rb'(?<=name="csrfmiddlewaretoken" value=")(?P<csrf>[A-Za-z0-9]+)(?=")'
    rb'|(?<=name="token" value=")(?P<form_token>[^"]*)(?=")'
)
# Headers the view set that a cached copy keeps; cookies and caching headers
# are decided per request.
KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag", "Link")


@dataclass(frozen=True)
class State:
    version: str
    # Epoch seconds when a not-yet-visible article becomes visible (or a
    # banner ends); None when nothing is scheduled.
    next_change_at: float | None


def _now() -> float:
    # Through django.utils.timezone, so tests can move the clock.
    return timezone.now().timestamp()


def _next_change_at(now: float) -> float | None:
    """When the next scheduled article, embargo end or banner end comes due."""
    from datetime import UTC, datetime

    from django.db.models import Min, Q
    from django.db.models.functions import Coalesce, Greatest

    from articles.models import Article

    moment = datetime.fromtimestamp(now, tz=UTC)
    due = Article.objects.filter(status__in=Article.VISIBLE_STATUSES).aggregate(
        visible=Min(
            Greatest("published_at", Coalesce("embargo_until", "published_at")),
            filter=Q(published_at__gt=moment) | Q(embargo_until__gt=moment),
        ),
        banner_ends=Min(
            "breaking_until", filter=Q(is_breaking=True, breaking_until__gt=moment)
        ),
    )
    times = [value.timestamp() for value in due.values() if value is not None]
    return min(times) if times else None


def _new_state() -> State:
    state = State(version=uuid.uuid4().hex[:16], next_change_at=_next_change_at(_now()))
    caches["default"].set(STATE_KEY, state, timeout=None)
    return state


def current_state() -> State:
    """The content version, renewed once the next scheduled change is due."""
    cache = caches["default"]
    # The file cache re-reads its file only after a write (see get_kept).
    state = getattr(cache, "get_kept", cache.get)(STATE_KEY)
    if state is None or (
        state.next_change_at is not None and _now() >= state.next_change_at
    ):
        state = _new_state()
    return state


def content_changed() -> None:
    """Start a new content version: every cached page is out from now on.

    Called by services after any change readers could see. Once now, so the
    next request in this transaction's test or process sees the change, and
    again after commit, so a page rendered by another process from data read
    before the commit is never kept under the new version.
    """
    _new_state()
    transaction.on_commit(_new_state)


def _is_reader(request: HttpRequest) -> bool:
    """An anonymous reader with no message waiting.

    Decided from cookies when possible: touching the session would add
    ``Vary: Cookie`` to every page and keep a CDN from sharing it.
    """
    if settings.SESSION_COOKIE_NAME in request.COOKIES and (
        request.user.is_authenticated
    ):
        return False
    storage = getattr(request, "_messages", None)
    return storage is None or len(storage) == 0


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@functools.cache
def build_id() -> str:
    """This deploy's templates and static file names, as a short digest.

    Part of every kept page's and fragment's key: a Redis "pages" cache
    outlives a deploy and must not hand out what older templates rendered, or
    links to static files under their older fingerprinted names.
    """
    digest = hashlib.blake2b(digest_size=8)
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(directory).rglob("*")):
            if path.is_file():
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()


def _key(request: HttpRequest, state: State) -> str:
    where = f"{request.get_host()}{request.get_full_path()}"
    # "page2": entries are cut into parts (they were one marked page); a Redis
    # "pages" cache outlives a deploy and must not hand an older entry to this
    # code.
    return f"page2:{build_id()}:{state.version}:{_digest(where.encode())}"


def _max_age(state: State) -> int:
    max_age = settings.PAGE_CACHE_MAX_AGE
    if state.next_change_at is not None:
        max_age = min(max_age, int(state.next_change_at - _now()))
    return max(max_age, 0)


# Django's get_token draws each of its 64 random characters (secret and mask)
# with its own secrets.choice(), one urandom read each: about 60 µs, a fifth of
# a cached article page. csrf_token() makes the same values from one urandom
# read. Each byte below 248 (4 × 62) stands for the character at its value
# modulo 62 and bytes 248 to 255 are dropped, so every character stays equally
# likely (modulo 62 over all 256 values would favour the first eight).
_CSRF_CHARS = CSRF_ALLOWED_CHARS.encode()
_BYTE_TO_CHAR = bytes(_CSRF_CHARS[b % len(_CSRF_CHARS)] for b in range(256))
_BIASED_BYTES = bytes(range(256 - 256 % len(_CSRF_CHARS), 256))
_CSRF_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}


def _random_csrf_chars(count: int) -> str:
    """``count`` characters of CSRF_ALLOWED_CHARS, uniform and unpredictable."""
    chars = b""
    while len(chars) < count:  # 8 spare bytes: a second draw is rare
        chars += secrets.token_bytes(count + 8).translate(_BYTE_TO_CHAR, _BIASED_BYTES)
    return chars[:count].decode()


def csrf_token(request: HttpRequest) -> str:
    """What ``django.middleware.csrf.get_token`` returns, with cheaper randomness.

    The reader's secret (from the CSRF cookie, read by CsrfViewMiddleware) or a
    new one, masked as Django masks it; CSRF_COOKIE_NEEDS_UPDATE makes the
    middleware send the cookie, as after get_token.
    """
    if "CSRF_COOKIE" in request.META:
        secret = request.META["CSRF_COOKIE"]
        mask = _random_csrf_chars(CSRF_SECRET_LENGTH)
    else:
        chars = _random_csrf_chars(2 * CSRF_SECRET_LENGTH)
        secret, mask = chars[:CSRF_SECRET_LENGTH], chars[CSRF_SECRET_LENGTH:]
        request.META["CSRF_COOKIE"] = secret
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    # django.middleware.csrf._mask_cipher_secret, with a dict for str.index.
    cipher = "".join(
        CSRF_ALLOWED_CHARS[(_CSRF_INDEX[s] + _CSRF_INDEX[m]) % len(_CSRF_CHARS)]
        for s, m in zip(secret, mask, strict=False)
    )
    return mask + cipher


def _cut(content: bytes) -> list[bytes | str]:
    """``content`` cut around its token values: bytes, then the name of the
    value that goes between them, and so on."""
    parts: list[bytes | str] = []
    start = 0
    for match in TOKEN_VALUES.finditer(content):
        parts += [content[start : match.start()], match.lastgroup]
        start = match.end()
    parts.append(content[start:])
    return parts


def _join(parts: list[bytes | str], request: HttpRequest, article_id) -> bytes:
    """Cut content joined with this reader's own token values."""
    if len(parts) == 1:
        return parts[0]
    # One masked token for every form, as Django renders a page; csrf_token
    # also makes CsrfViewMiddleware set the cookie.
    values = {"csrf": csrf_token(request).encode()}
    if article_id is not None:
        from comments.defences import form_token

        values["form_token"] = form_token(article_id).encode()
    return b"".join([values[p] if isinstance(p, str) else p for p in parts])


class PageCacheMiddleware:
    """Serve and store whole public pages; see the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # GET only: a HEAD answer has no body to keep, and serving a kept body
        # to HEAD would rely on the server to drop it.
        if not settings.PAGE_CACHE or request.method != "GET":
            return self.get_response(request)
        if not _is_reader(request):
            response = self.get_response(request)
            if request.user.is_authenticated and not response.has_header(
                "Cache-Control"
            ):
                # A staff member's view of a page is never kept by a proxy.
                patch_cache_control(response, private=True, no_cache=True)
            return response
        state = current_state()
        key = _key(request, state)
        entry = caches["pages"].get(key)
        if entry is not None:
            response = HttpResponse(
                self._fill(request, entry),
                headers={**entry["headers"], "X-Page-Cache": "hit"},
            )
            return self._finish(request, response, entry, state)
        response = self.get_response(request)
        entry = self._entry(request, response)
        if entry is None:
            return response
        timeout = settings.PAGE_CACHE_TTL
        if state.next_change_at is not None:
            timeout = min(timeout, max(int(state.next_change_at - _now()), 1))
        caches["pages"].set(key, entry, timeout=timeout)
        response["X-Page-Cache"] = "miss"
        return self._finish(request, response, entry, state)

    def _entry(self, request: HttpRequest, response: HttpResponse) -> dict | None:
        """What to keep of a fresh response, or None when it must not be kept."""
        match = request.resolver_match
        if (
            response.status_code != 200
            or response.streaming
            or match is None
            or match.namespace not in settings.PAGE_CACHE_NAMESPACES
            # The view decided (a preview is private, no-store).
            or response.has_header("Cache-Control")
            or response.cookies
            or (
                getattr(request, "_messages", None) is not None
                and request._messages.used
            )
        ):
            return None
        content = response.content
        article_id = getattr(response, "page_cache_article_id", None)
        parts = _cut(content)
        if "form_token" in parts and article_id is None:
            return None  # a token we would not know how to renew
        stored_at = int(_now())
        return {
            "parts": parts,
            "headers": {h: response[h] for h in KEPT_HEADERS if response.has_header(h)},
            "private": len(parts) > 1 or b'name="csrfmiddlewaretoken"' in content,
            "article_id": article_id,
            "etag": f'"{_digest(content)}"',
            "stored_at": stored_at,
            "last_modified": http_date(stored_at),
        }

    def _fill(self, request: HttpRequest, entry: dict) -> bytes:
        if not entry["private"]:
            return entry["parts"][0]
        return _join(entry["parts"], request, entry["article_id"])

    def _finish(
        self, request: HttpRequest, response: HttpResponse, entry: dict, state: State
    ) -> HttpResponse:
        # Cache-Control is set whole, not patched: the response is new, or the
        # view's own, which is kept only when it has no Cache-Control.
        if entry["private"]:
            # Tokens inside: only the reader's own browser may keep it.
            response["Cache-Control"] = "private, no-cache"
            return response
        response["ETag"] = entry["etag"]
        response["Last-Modified"] = entry["last_modified"]
        response["Cache-Control"] = f"public, max-age={_max_age(state)}"
        return get_conditional_response(
            request,
            etag=entry["etag"],
            last_modified=entry["stored_at"],
            response=response,
        )


class PurgesPagesAdminMixin:
    """For admin classes of rows every public page prints (sections, site
    settings, contributors, tags): their only writer is the admin form, whose
    save is the service, so the new content version is started here."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        content_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        content_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        content_changed()


_fragments: dict[str, tuple[str, object]] = {}


def per_version(name: str, build):
    """``build()``, kept in this process for as long as the content version.

    For the rows every page prints (site settings, navigation, comment
    settings): three queries fewer per page, and a change to them starts a
    new version like any other change. Read-only values: templates never
    write to them.
    """
    if not settings.FRAGMENT_CACHE:
        return build()
    version = current_state().version
    held = _fragments.get(name)
    if held is not None and held[0] == version:
        return held[1]
    value = build()
    _fragments[name] = (version, value)
    return value


def kept_fragment(
    name: str,
    build,
    *,
    request: HttpRequest | None = None,
    article_id: int | None = None,
) -> str:
    """``build()``, a rendered piece of one page, kept for the content version.

    For pieces too many to hold in every process for good (one per article,
    such as its related stories): kept in the "pages" cache, whose size is
    bounded, and for ``PAGE_CACHE_TTL`` at most, like a page. A piece built
    for ``request`` may hold the reader's tokens (a form's CSRF token, the
    comment form's token for ``article_id``): it is kept cut around them, as
    pages are, and every other reader gets their own.
    """
    if not settings.FRAGMENT_CACHE:
        return build()
    key = f"fragment:{build_id()}:{current_state().version}:{name}"
    kept = caches["pages"].get(key)
    if kept is not None:
        if request is None:
            return kept
        return _join(kept, request, article_id).decode()
    value = build()
    if request is None:
        caches["pages"].set(key, value, timeout=settings.PAGE_CACHE_TTL)
        return value
    parts = _cut(value.encode())
    if "form_token" not in parts or article_id is not None:
        caches["pages"].set(key, parts, timeout=settings.PAGE_CACHE_TTL)
    return value
