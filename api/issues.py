"""The print edition: the issues readers may open, newest first, and one
issue with every page.

Readers' rule everywhere: ``Issue.objects.visible()`` (published by an
editor, and its pages made). The answers declare the keys of the reader's
pages (``print-issues``, ``print-issue:<id>``), which every save of an issue
or a page purges (editions/apps.py).
"""

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from editions.models import Issue
from editions.views import ISSUES_KEY
from pagecache.purge import show

from . import cursors, output
from .core import check_dates, get
from .schemas import Error, PrintIssueDetail, PrintIssueFilters, PrintIssuePage

router = Router(tags=["Báo in"])


@get(
    router,
    "/print-issues/",
    response={200: PrintIssuePage, 400: Error},
    url_name="print_issue_list",
    summary="Các số báo in, mới nhất trước",
)
def print_issue_list(request: HttpRequest, filters: Query[PrintIssueFilters]):
    """Các số báo in bạn đọc xem được, mới nhất trước, lọc theo ngày phát
    hành; mỗi số kèm bản PDF và ảnh trang nhất. Trang sau theo liên kết
    ``next``."""
    check_dates(filters.from_, filters.to)
    show(request, ISSUES_KEY)
    issues = Issue.objects.for_listing()
    if filters.from_:
        issues = issues.filter(date__gte=filters.from_)
    if filters.to:
        issues = issues.filter(date__lte=filters.to)
    if filters.cursor:
        issues = issues.filter(cursors.after_issue(filters.cursor))
    size = filters.page_size
    rows = list(issues[: size + 1])
    page = rows[:size]
    absolute = request.build_absolute_uri
    return {
        "items": [output.issue_summary(issue, absolute, issue.cover) for issue in page],
        "next": (
            cursors.next_link(request, cursors.for_issue(page[-1]))
            if len(rows) > size
            else None
        ),
    }


@get(
    router,
    "/print-issues/{ref}/",
    response={200: PrintIssueDetail, 404: Error},
    url_name="print_issue_detail",
    summary="Một số báo in với mọi trang, theo số (id)",
)
def print_issue_detail(request: HttpRequest, ref: str):
    """Số báo như trang Báo in của nó: bản PDF, rồi từng trang với địa chỉ,
    ảnh các cỡ và chữ trên trang. Số báo đang ẩn hay chưa xử lý xong: 404."""
    missing = _("Không có số báo in này, hoặc số báo chưa hiện cho bạn đọc.")
    # Digits only, as the id the list gives (a path taking anything answers
    # in JSON, where Django's <int:> would give the site's HTML 404).
    if not (ref.isascii() and ref.isdigit()):
        raise Http404(missing)
    issue = Issue.objects.visible().filter(pk=int(ref)).first()
    if issue is None:
        raise Http404(missing)
    show(request, f"print-issue:{issue.pk}")
    # Through the issue: each page knows it without a query.
    pages = list(issue.pages.defer("search_text").order_by("number"))
    return output.issue_detail(issue, pages, request.build_absolute_uri)
