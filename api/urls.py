"""/api/v1/: the content API's routes, its index and its OpenAPI description.

A new resource is a module with its own ``Router`` (as ``issues`` for the
print issues), added below; its routes declare their page-cache keys and get
a row in the role matrix (tests/paper/test_role_matrix.py) like every URL.
"""

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from ninja import Router

from pagecache.purge import show

from . import articles, issues, people
from .core import ContentAPI, get
from .schemas import Index

api = ContentAPI(
    title="Tòa soạn – API nội dung",
    version="1.0.0",
    description=(
        "Bài đã đăng, chuyên mục, từ khóa, tác giả và các số báo in của báo, "
        "chỉ đọc, dạng JSON. "
        "Cùng quy tắc hiển thị với trang báo: bài chưa đăng, đang cấm đăng hay "
        "hẹn giờ chưa tới không có ở đây; bài đã thu hồi trả 410. Danh sách "
        "phân trang bằng con trỏ: theo liên kết next."
    ),
    urls_namespace="api",
    # Served below, where it declares its cache keys like every answer.
    openapi_url=None,
    # No documentation page: Swagger UI would be 1.5 MB of someone else's
    # script, styles and accessibility to answer for; the JSON description
    # loads into any OpenAPI tool.
    docs_url=None,
)
index = Router(tags=["Mục lục"])


@get(index, "/", response=Index, url_name="index", summary="Mục lục")
def api_index(request: HttpRequest):
    """Địa chỉ các danh sách và của bản mô tả OpenAPI."""
    show(request)
    absolute = request.build_absolute_uri
    return {
        "articles": absolute(reverse("api:article_list")),
        "sections": absolute(reverse("api:section_list")),
        "tags": absolute(reverse("api:tag_list")),
        "contributors": absolute(reverse("api:contributor_list")),
        "print_issues": absolute(reverse("api:print_issue_list")),
        "openapi": absolute(reverse("api:schema")),
    }


@get(index, "/schema/", include_in_schema=False, url_name="schema")
def schema(request: HttpRequest):
    """The OpenAPI 3 description; it changes with the code, which a deployment
    follows with ``migrate`` (that purges ``site``)."""
    show(request)
    response = JsonResponse(
        api.get_openapi_schema(), json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


api.add_router("", index)
api.add_router("", articles.router)
api.add_router("", people.router)
api.add_router("", issues.router)

urlpatterns = api.urls[0]
app_name = "api"
