from datetime import date, datetime

from django import template
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..text import plain as plain_text

register = template.Library()


@register.filter
def plain(value: str) -> str:
    """One line without control characters: XML (sitemaps) cannot carry them."""
    return plain_text(str(value))


_WEEKDAYS = [
    _("Thứ Hai"),
    _("Thứ Ba"),
    _("Thứ Tư"),
    _("Thứ Năm"),
    _("Thứ Sáu"),
    _("Thứ Bảy"),
    _("Chủ Nhật"),
]


@register.filter
def vn_datetime(value: datetime | None) -> str:
    """ "Thứ Ba, 18/02/2020 10:30", in the paper's time zone."""
    if not value:
        return ""
    return vn_local_datetime(timezone.localtime(value))


def vn_local_datetime(local: datetime) -> str:
    """``vn_datetime`` of a time already in the paper's time zone."""
    return f"{_WEEKDAYS[local.weekday()]}, {local:%d/%m/%Y %H:%M}"


@register.filter
def vn_date(value: date | datetime | None) -> str:
    """ "Thứ Ba, 18/02/2020": the masthead's date (a date is taken as it is)."""
    if not value:
        return ""
    local = timezone.localtime(value) if isinstance(value, datetime) else value
    return f"{_WEEKDAYS[local.weekday()]}, {local:%d/%m/%Y}"


@register.simple_tag
def now_vn() -> str:
    return vn_date(timezone.now())


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    """``path`` as a full URL on this site, for share previews and feeds."""
    return context["request"].build_absolute_uri(path)


@register.simple_tag
def page_href(query_string: str, number: int) -> str:
    """``?trang=<number>`` keeping the other parameters (search words, filters)."""
    params = QueryDict(query_string or "", mutable=True)
    params["trang"] = number
    return "?" + params.urlencode()
