from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form post, explained in Vietnamese with the paper's own layout."""
    return render(request, "403_csrf.html", status=403)
