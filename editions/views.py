"""The reader's print edition: latest issues, a month calendar, an issue page
by page, and search in the pages' text. Server-rendered; reader.js only adds
swiping and zooming."""

from datetime import date

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from articles.search import Query, highlight
from pagecache.purge import show

from .forms import SearchForm
from .models import Issue, IssuePage
from .months import build_month, month_issues

LATEST = 12
ISSUES_KEY = "print-issues"


def _date(year: int, month: int, day: int = 1) -> date:
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):  # 30/2, month 13...
        raise Http404 from None


@require_safe
def issue_index(request: HttpRequest) -> HttpResponse:
    """The latest issues' front pages and the calendar of the newest month."""
    show(request, ISSUES_KEY)
    issues = list(Issue.objects.for_listing()[:LATEST])
    first = (issues[0].date if issues else timezone.localdate()).replace(day=1)
    month = build_month(first, month_issues(first))
    return render(
        request, "editions/issue_index.html", {"issues": issues, "month": month}
    )


@require_safe
def issue_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    show(request, ISSUES_KEY)
    first = _date(year, month)
    issues = month_issues(first, with_cover=True)
    return render(
        request,
        "editions/issue_month.html",
        {"issues": issues, "month": build_month(first, issues)},
    )


@require_safe
def issue_day(request: HttpRequest, year: int, month: int, day: int) -> HttpResponse:
    """The day's issue (a redirect), its issues when more than one came out,
    or a 404 that shows the month's calendar."""
    show(request, ISSUES_KEY)
    picked = _date(year, month, day)
    first = picked.replace(day=1)
    of_month = month_issues(first, with_cover=True)
    of_day = [issue for issue in of_month if issue.date == picked]
    if len(of_day) == 1:
        return redirect(of_day[0])
    return render(
        request,
        "editions/issue_month.html",
        {"issues": of_day, "month": build_month(first, of_month), "day": picked},
        status=200 if of_day else 404,
    )


@require_safe
def issue_pick(request: HttpRequest) -> HttpResponse:
    """The date picker: ?ngay=2026-02-17 goes to that day."""
    try:
        picked = date.fromisoformat(request.GET.get("ngay", ""))
    except ValueError:
        return redirect("editions:index")
    return redirect(
        "editions:day", year=picked.year, month=picked.month, day=picked.day
    )


@require_safe
def issue_detail(
    request: HttpRequest, year: int, month: int, day: int, number: int, page: int = 1
) -> HttpResponse:
    """Page ``page`` of an issue, with links to the others and the PDF."""
    issue = (
        Issue.objects.visible().filter(date=_date(year, month, day), number=number)
    ).first()
    if issue is None:
        raise Http404
    if request.resolver_match.url_name == "issue_page" and page == 1:
        return redirect(issue, permanent=True)
    show(request, f"print-issue:{issue.pk}")
    # Through the issue: each page knows it (its links) without a query.
    pages = list(issue.pages.for_reading(page))
    if not 1 <= page <= len(pages):
        raise Http404
    return render(
        request,
        "editions/issue_detail.html",
        {
            "issue": issue,
            "pages": pages,
            "page": pages[page - 1],
            "previous": pages[page - 2] if page > 1 else None,
            "next": pages[page] if page < len(pages) else None,
        },
    )


@require_safe
def issue_search(request: HttpRequest) -> HttpResponse:
    """Pages whose text holds the words, diacritics aside: which issue, which
    page, and the words around the match."""
    show(request, ISSUES_KEY)
    form = SearchForm(request.GET or None)
    query, page, results = Query.parse(""), None, []
    if form.is_valid():
        query = Query.parse(form.cleaned_data["q"])
    if query:
        paginator = Paginator(
            IssuePage.objects.matching(query), settings.ARTICLES_PER_PAGE
        )
        try:
            page = paginator.page(request.GET.get("trang", 1))
        except InvalidPage:
            raise Http404 from None
        results = [
            (found, highlight(" ".join(found.text.split()), query, width=240))
            for found in page.object_list
        ]
    return render(
        request,
        "editions/issue_search.html",
        # Not "query": the masthead's box would show it as an article search.
        {"form": form, "print_query": query, "page": page, "results": results},
    )
