from django.urls import path, register_converter

from . import views


class SlugWithDashes:
    # Article slugs are ASCII words joined by dashes; the id follows the last dash.
    regex = r"[a-z0-9]+(?:-[a-z0-9]+)*"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SlugWithDashes, "articleslug")

app_name = "articles"
urlpatterns = [
    path("", views.home, name="home"),
    path("chuyen-muc/<slug:slug>/", views.section_detail, name="section"),
    path("chu-de/<slug:slug>/", views.tag_detail, name="tag"),
    path("tac-gia/<slug:slug>/", views.contributor_detail, name="contributor"),
    path("<articleslug:slug>-<int:pk>.html", views.article_detail, name="detail"),
    path("xem-truoc/<str:token>/", views.article_preview, name="preview"),
    path("cai-chinh/<int:pk>/", views.correction_detail, name="correction"),
]
