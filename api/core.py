"""The content API's frame: JSON in UTF-8, open to every origin, GET and
HEAD only, and errors as JSON with a Vietnamese message.

Built on django-ninja (README, "The content API", says why): routes are
plain functions taking Django's own request, so they declare what they show
to the page cache (``pagecache.purge.show``) like any page.
"""

from datetime import date
from typing import Any

from django.core.validators import slug_re
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Router
from ninja.errors import HttpError, ValidationError
from ninja.renderers import JSONRenderer


class Renderer(JSONRenderer):
    # Vietnamese as it is written: six bytes ("\u1ea3") for each of its
    # three-byte letters ("ả") would swell every title and lead.
    json_dumps_params = {"ensure_ascii": False}


# What a refused query parameter is told; any other gets the generic message.
PARAMETER_ERRORS = {
    "from": gettext_lazy(
        "Tham số “from” phải là một ngày dạng YYYY-MM-DD, từ năm 1900."
    ),
    "to": gettext_lazy("Tham số “to” phải là một ngày dạng YYYY-MM-DD, từ năm 1900."),
    "page_size": gettext_lazy(
        "Tham số “page_size” phải là một số nguyên từ 1 đến 100."
    ),
    "cursor": gettext_lazy(
        "Tham số “cursor” không hợp lệ: hãy bắt đầu lại từ trang đầu."
    ),
    "q": gettext_lazy("Từ khóa tìm kiếm dài quá 200 ký tự."),
    "section": gettext_lazy("Tham số “section” phải là slug của một chuyên mục."),
    "tag": gettext_lazy("Tham số “tag” phải là slug của một từ khóa."),
    "contributor": gettext_lazy("Tham số “contributor” phải là slug của một tác giả."),
}


class ContentAPI(NinjaAPI):
    def __init__(self, **kwargs: Any):
        super().__init__(renderer=Renderer(), **kwargs)
        self.add_exception_handler(ValidationError, self._invalid_parameter)
        self.add_exception_handler(Http404, self._not_found)

    def create_response(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().create_response(request, *args, **kwargs)
        # Public, read-only content: any site's script may read it. The page
        # cache keeps this header with the answer (pagecache.middleware).
        response["Access-Control-Allow-Origin"] = "*"
        return response

    def get_openapi_schema(self, **kwargs: Any) -> dict:
        schema = super().get_openapi_schema(**kwargs)
        # HEAD is routed with every GET (see ``get``) and means the same.
        for operations in schema["paths"].values():
            operations.pop("head", None)
        return schema

    def _invalid_parameter(
        self, request: HttpRequest, exc: ValidationError
    ) -> HttpResponse:
        names = [str(error["loc"][-1]) for error in exc.errors if error.get("loc")]
        name = names[0] if names else ""
        message = PARAMETER_ERRORS.get(name) or _(
            "Tham số “%(name)s” không hợp lệ."
        ) % {"name": name}
        return self.create_response(request, {"detail": str(message)}, status=400)

    def _not_found(self, request: HttpRequest, exc: Http404) -> HttpResponse:
        message = str(exc) if exc.args else _("Không tìm thấy.")
        return self.create_response(request, {"detail": message}, status=404)


def get(router: Router, path: str, **kwargs: Any):
    """``router.get``, answering HEAD too (ninja routes only the methods
    named; Django's views answer HEAD with every GET)."""
    return router.api_operation(["GET", "HEAD"], path, **kwargs)


def by_id_or_slug(ref: str, *, missing: str) -> dict:
    """The lookup for a path's ``{ref}``: a number is an id, a slug a slug (an
    article titled with digits alone is reached by its id). Anything else
    names nothing, and is not sent to the database (PostgreSQL refuses a NUL
    character in a query rather than find nothing)."""
    if ref.isascii() and ref.isdigit():
        return {"pk": int(ref)}
    if slug_re.fullmatch(ref):
        return {"slug": ref}
    raise Http404(missing)


def check_dates(first: date | None, last: date | None) -> None:
    """A ``from``/``to`` pair a list may filter by: ``to`` not before ``from``."""
    if first and last and last < first:
        raise HttpError(400, _("Ngày “to” phải từ ngày “from” trở đi."))
