from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Readers' pages load only the paper's own files: no inline script or style,
# no other host. The admin is left out: the body editor's import map is an
# inline script.
READER_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Adds the reader pages' Content-Security-Policy header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.admin_prefix = settings.ADMIN_URL_PREFIX

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(self.admin_prefix):
            response.headers.setdefault("Content-Security-Policy", READER_POLICY)
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
