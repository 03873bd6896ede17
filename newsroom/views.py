from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form post, explained in Vietnamese with the paper's own layout."""
    return render(request, "403_csrf.html", status=403)


def bench_bare(request: HttpRequest) -> HttpResponse:
    """The benchmark's bound: a constant answer through the same middleware.

    Off unless BENCH_ENDPOINTS=1, so a production site never exposes it.
    """
    if not settings.BENCH_ENDPOINTS:
        raise Http404
    return HttpResponse(b"ok", content_type="text/plain")
