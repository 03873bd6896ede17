from django.urls import path, register_converter

from . import views


class TwoDigits:
    """A month or a day, zero-padded: /bao-in/2026/02/07/."""

    regex = "[0-9]{2}"
    width = 2

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return f"{int(value):0{self.width}d}"


class FourDigits(TwoDigits):
    regex = "[0-9]{4}"
    width = 4


register_converter(FourDigits, "yyyy")
register_converter(TwoDigits, "mm")

app_name = "editions"
# Reader pages only read: a POST would only skip the page cache (405).
urlpatterns = [
    path("", views.issue_index, name="index"),
    path("tim-kiem/", views.issue_search, name="search"),
    path("chon-ngay/", views.issue_pick, name="pick"),
    path("<yyyy:year>/<mm:month>/", views.issue_month, name="month"),
    path("<yyyy:year>/<mm:month>/<mm:day>/", views.issue_day, name="day"),
    path(
        "<yyyy:year>/<mm:month>/<mm:day>/so-<int:number>/",
        views.issue_detail,
        name="issue",
    ),
    path(
        "<yyyy:year>/<mm:month>/<mm:day>/so-<int:number>/trang-<int:page>/",
        views.issue_detail,
        name="issue_page",
    ),
]
