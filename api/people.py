"""Sections, tags and contributors: the lists a client builds its menus and
pages from, and one contributor."""

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from articles.models import Contributor, Section, Tag
from pagecache.purge import show

from . import cursors, output
from .core import by_id_or_slug, get
from .schemas import (
    ContributorOut,
    ContributorPage,
    Error,
    Paging,
    SectionList,
    TagPage,
)

router = Router(tags=["Chuyên mục, từ khóa, tác giả"])


def _page(request: HttpRequest, rows, paging: Paging, kind: str, present) -> dict:
    """One page of a list ordered by slug, and the link to the next."""
    if paging.cursor:
        rows = rows.filter(cursors.after_slug(kind, paging.cursor))
    rows = list(rows.order_by("slug")[: paging.page_size + 1])
    page = rows[: paging.page_size]
    absolute = request.build_absolute_uri
    return {
        "items": [present(row, absolute) for row in page],
        "next": (
            cursors.next_link(request, cursors.for_slug(kind, page[-1]))
            if len(rows) > paging.page_size
            else None
        ),
    }


@get(router, "/sections/", response=SectionList, url_name="section_list")
def section_list(request: HttpRequest):
    """Mọi chuyên mục theo thứ tự trên thanh điều hướng: mỗi chuyên mục gốc
    rồi đến các chuyên mục con của nó."""
    show(request)  # sections are on every page: "site" is purged with them
    sections = list(Section.objects.select_related("parent"))
    ordered = []
    for root in (s for s in sections if s.parent_id is None):
        ordered.append(root)
        ordered += [s for s in sections if s.parent_id == root.pk]
    absolute = request.build_absolute_uri
    return {"items": [output.section(section, absolute) for section in ordered]}


@get(
    router,
    "/tags/",
    response={200: TagPage, 400: Error},
    url_name="tag_list",
)
def tag_list(request: HttpRequest, paging: Query[Paging]):
    """Các từ khóa có bài đã đăng, theo slug."""
    show(request, "tags")
    return _page(
        request,
        Tag.objects.with_public_articles(),
        paging,
        "tags",
        output.tag,
    )


@get(
    router,
    "/contributors/",
    response={200: ContributorPage, 400: Error},
    url_name="contributor_list",
)
def contributor_list(request: HttpRequest, paging: Query[Paging]):
    """Tác giả có tên trên bài đã đăng, theo slug."""
    show(request, "contributors")
    return _page(
        request,
        Contributor.objects.with_public_articles(),
        paging,
        "contributors",
        output.contributor,
    )


@get(
    router,
    "/contributors/{ref}/",
    response={200: ContributorOut, 404: Error},
    url_name="contributor_detail",
)
def contributor_detail(request: HttpRequest, ref: str):
    """Một tác giả, theo số (id) hoặc slug, như trang tác giả."""
    missing = _("Không có tác giả này.")
    contributor = Contributor.objects.filter(
        **by_id_or_slug(ref, missing=missing)
    ).first()
    if contributor is None:
        raise Http404(missing)
    show(request, f"contributor:{contributor.pk}")
    return output.contributor(contributor, request.build_absolute_uri)
