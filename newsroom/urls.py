from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from django.views.static import serve

from paper.views import bench_bare, csp_report, health

# The fingerprinted URL is only known once collectstatic has run.
static_lazy = lazy(static, str)

urlpatterns = [
    # Browsers ask for /favicon.ico on every page, admin included.
    path(
        "favicon.ico",
        RedirectView.as_view(url=static_lazy("favicon.svg"), permanent=True),
    ),
    path(
        f"{settings.ADMIN_URL_PREFIX.lstrip('/')}xac-thuc-hai-buoc/",
        include("accounts.urls"),
    ),
    path(settings.ADMIN_URL_PREFIX.lstrip("/"), admin.site.urls),
    # For monitoring (paper.views.health): database, cache, storage, worker.
    path("healthz", health, name="health"),
    # Where browsers report what the Content-Security-Policy blocked.
    path("csp-report", csp_report, name="csp_report"),
    # The benchmark's constant view (bench/run); answers 404 unless BENCH_ENDPOINTS=1.
    path("__bench/bare", bench_bare, name="bench_bare"),
    path("bao-in/", include("editions.urls")),
    # The content API for apps and aggregators (api/): read-only JSON.
    path("api/v1/", include("api.urls")),
    path("", include("comments.urls")),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

handler400 = "paper.views.bad_request"
handler500 = "paper.views.server_error"
