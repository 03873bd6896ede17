import secrets
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse


def _media_origin() -> str:
    """Where photos come from when they are not on this host (object storage
    or a CDN, MEDIA_URL with a host)."""
    parts = urlsplit(settings.MEDIA_URL)
    return f" {parts.scheme}://{parts.netloc}" if parts.netloc else ""


def _policy(*directives: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            *directives,
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "report-uri " + reverse("csp_report"),
        ]
    )


def reader_policy(*, frames: tuple[str, ...] | list[str] = ()) -> str:
    """The readers' pages' policy. ``frames`` are the hosts a page may frame:
    only an article page with a YouTube or Facebook video names theirs
    (articles.players), and its player loads only after the reader's click."""
    media = _media_origin()
    return _policy(
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:" + media,
        "media-src 'self'" + media,
        "frame-src " + (" ".join(frames) if frames else "'none'"),
        "frame-ancestors 'none'",
    )


def allow_frames(response: HttpResponse, frames: list[str]) -> None:
    """Let the page in ``response`` frame ``frames``. Set by the view, so the
    page cache keeps it with the page (pagecache.middleware.KEPT_HEADERS)."""
    if frames:
        response.headers["Content-Security-Policy"] = reader_policy(frames=frames)


class ContentSecurityPolicyMiddleware:
    """Content-Security-Policy on every page.

    Readers' pages load only the paper's own files: no inline script or
    style, no other host but the one photos and videos come from, no frame
    but a video player the reader asked for (``allow_frames``). The admin runs one
    inline script, the body editor's import map, allowed by a nonce made for
    each response (``request.csp_nonce``; see paper.admin.NonceMediaMixin);
    its inline styles (Django's admin and the editor set style attributes)
    are allowed, its scripts are not. Violations are reported to
    ``paper.views.csp_report`` and logged.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.admin_prefix = settings.ADMIN_URL_PREFIX
        images = "img-src 'self' data:" + _media_origin()
        self.reader_policy = reader_policy()
        # Photos dropped on the focal-point picker are previewed from blob: URLs.
        self.admin_policy = _policy(
            "script-src 'self' 'nonce-{nonce}'",
            "style-src 'self' 'unsafe-inline'",
            images + " blob:",
            "frame-ancestors 'self'",
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        in_admin = request.path.startswith(self.admin_prefix)
        if in_admin:
            request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        policy = (
            self.admin_policy.replace("{nonce}", request.csp_nonce)
            if in_admin
            else self.reader_policy
        )
        response.headers.setdefault("Content-Security-Policy", policy)
        return response


# More than nginx lets through (client_max_body_size, deploy/nginx/): a body
# this big is not read for nothing.
DRAIN_AT_MOST = 32 * 1024 * 1024


class DrainRequestBodyMiddleware:
    """Reads what is left of a request's body before the answer goes out.

    Some answers come before the body is read: a CSRF refusal, a sign-in
    redirect for an expired session, a post over DATA_UPLOAD_MAX_MEMORY_SIZE.
    gunicorn then closes the connection on the unread rest, and the proxy in
    front, still sending an editor's 20 MB photo, gets a broken pipe and shows
    its own 502 or 503 instead of ours (tests/deploy/test_guide.py).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if 0 < length <= DRAIN_AT_MOST:
            try:
                while request.read(64 * 1024):
                    pass
            except OSError:
                pass  # the client went away: nothing left to answer
        return response
