"""Old WordPress addresses answered with a 301, never in front of a real page."""

import re

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from .models import Redirect

# WordPress's query-string links land on our home page, which answers 200
# whatever the query: they are looked up before the view.
_QUERY_KEYS = ("p", "page_id", "attachment_id")
# A resized copy WordPress made ("photo-300x200.jpg") leads where the
# original leads: the import never stores the copies.
_RESIZED = re.compile(r"-\d+x\d+(?=\.\w+$)")


class RedirectFallbackMiddleware:
    """Looks up the Redirect table for an address none of ours matches (a 404
    with no view behind it), and for WordPress's ``/?p=ID``-style links on the
    home page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/" and request.method in ("GET", "HEAD"):
            for key in _QUERY_KEYS:
                value = request.GET.get(key, "")
                if value.isdigit():
                    found = _redirect_for([f"/?{key}={int(value)}"])
                    if found is not None:
                        return found
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        if getattr(request, "resolver_match", None) is not None:
            # One of our own addresses answered "not found" (an unpublished
            # article, a search past its last page): that answer stands, and
            # costs no query here.
            return response
        path = Redirect.normalise(request.path)
        candidates = [path]
        if "/wp-content/uploads/" in path:
            candidates.append(_RESIZED.sub("", path))
        return _redirect_for(candidates) or response


def _redirect_for(paths: list[str]) -> HttpResponse | None:
    redirects = {r.old_path: r for r in Redirect.objects.filter(old_path__in=paths)}
    for path in paths:
        redirect = redirects.get(path)
        location = redirect.location if redirect else ""
        if location:
            return HttpResponsePermanentRedirect(location)
    return None
