from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form post, explained in Vietnamese with the paper's own layout.

    A view may answer its own refused posts (``view.csrf_failure``): the
    comment views give the form back, filled in, with fresh tokens.
    """
    match = getattr(request, "resolver_match", None)
    handler = getattr(getattr(match, "func", None), "csrf_failure", None)
    if handler is not None:
        return handler(request)
    return render(request, "403_csrf.html", status=403)


def bench_bare(request: HttpRequest) -> HttpResponse:
    """The benchmark's bound: a constant answer through the same middleware.

    Off unless BENCH_ENDPOINTS=1, so a production site never exposes it.
    """
    if not settings.BENCH_ENDPOINTS:
        raise Http404
    return HttpResponse(b"ok", content_type="text/plain")
