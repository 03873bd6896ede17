"""Every URL × every role × GET and POST: nobody gets what their role does not give.

The URLs come from the URL conf and the admin's registry, so a URL added
tomorrow fails ``test_every_url_is_in_the_matrix`` until someone says here
who may use it. What each role may do in the admin is written out below, in
the newsroom's words, not read back from the permissions it checks.
"""

from datetime import date

from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from articles.models import AuditEntry, Correction, Video
from comments.models import Comment, CommentSettings
from paper.models import SiteSettings
from tests.base import CommittingClient, NewsroomTestCase, _staff
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    ContributorFactory,
    PhotoFactory,
    SectionFactory,
    UserFactory,
    make_issue,
)

ANONYMOUS, REPORTER, EDITOR, CHIEF, MODERATOR, ADMINISTRATOR = ROLES = (
    "anonymous",
    "reporter",
    "desk editor",
    "chief editor",
    "moderator",
    "administrator",
)
NEWSROOM = {REPORTER, EDITOR, CHIEF}
NOBODY: set[str] = set()

# Who may do what in the admin, per model: "view" is the list and the change
# page read-only, "add" the add page, "change" saving a change, "delete" the
# delete page. Articles are checked on a published story by another person.
ADMIN_ACCESS = {
    "articles.article": {
        "list": NEWSROOM,
        # Reporters open their own stories only.
        "view": {EDITOR, CHIEF},
        "add": NEWSROOM,
        # A published story is the desk's: reporters change only their drafts,
        # and nobody deletes what readers have seen (it is taken down).
        "change": {EDITOR, CHIEF},
        "delete": NOBODY,
    },
    "articles.section": {
        "view": NEWSROOM | {ADMINISTRATOR},
        "add": {CHIEF, ADMINISTRATOR},
        "change": {CHIEF, ADMINISTRATOR},
        "delete": NOBODY,
    },
    "articles.contributor": {
        "view": NEWSROOM | {ADMINISTRATOR},
        "add": {EDITOR, CHIEF, ADMINISTRATOR},
        "change": {EDITOR, CHIEF, ADMINISTRATOR},
        "delete": NOBODY,
    },
    "articles.tag": {
        "view": NEWSROOM,
        "add": NEWSROOM,
        "change": {EDITOR, CHIEF},
        "delete": NOBODY,
    },
    "articles.photo": {
        "view": NEWSROOM,
        "add": NEWSROOM,
        "change": NEWSROOM,
        "delete": {EDITOR, CHIEF},
    },
    # The video library is kept like the photo library.
    "articles.video": {
        "view": NEWSROOM,
        "add": NEWSROOM,
        "change": NEWSROOM,
        "delete": {EDITOR, CHIEF},
    },
    "articles.auditentry": {
        "view": {EDITOR, CHIEF, ADMINISTRATOR},
        "add": NOBODY,
        "change": NOBODY,
        "delete": NOBODY,
    },
    "articles.correction": {
        "view": {EDITOR, CHIEF},
        "add": {CHIEF},
        "change": NOBODY,
        "delete": NOBODY,
    },
    # The print edition is published by those who publish articles.
    "editions.issue": {
        "view": {CHIEF},
        "add": {CHIEF},
        "change": {CHIEF},
        "delete": {CHIEF},
    },
    "comments.comment": {
        "view": {MODERATOR},
        "add": NOBODY,
        "change": {MODERATOR},
        "delete": NOBODY,
    },
    "comments.commentsettings": {
        "view": {MODERATOR},
        "add": NOBODY,
        "change": {MODERATOR},
        "delete": NOBODY,
    },
    "paper.sitesettings": {
        "view": {ADMINISTRATOR},
        "add": NOBODY,
        "change": {ADMINISTRATOR},
        "delete": NOBODY,
    },
    "auth.user": {
        "view": {ADMINISTRATOR},
        "add": {ADMINISTRATOR},
        "change": {ADMINISTRATOR},
        "delete": NOBODY,
    },
    "auth.group": {
        "view": {ADMINISTRATOR},
        "add": NOBODY,
        "change": NOBODY,
        "delete": NOBODY,
    },
}
# Models only a superuser manages (imports, security records, devices).
SUPERUSER_ONLY = {"wordpress", "otp_totp", "axes", "accounts"}

# Every other URL: who may GET it and get the page, and who may POST to it
# and get through (a form with errors counts as getting through).
STAFF = NEWSROOM | {MODERATOR, ADMINISTRATOR}
EVERYONE = set(ROLES)
OTHER_URLS = {
    "admin:index": (STAFF, STAFF),
    "admin:login": (EVERYONE, EVERYONE),
    "admin:logout": (NOBODY, EVERYONE),
    "admin:password_change": (STAFF, STAFF),
    "admin:password_change_done": (STAFF, NOBODY),
    "admin:autocomplete": (NOBODY, NOBODY),  # needs a field to complete
    "admin:jsi18n": (EVERYONE, NOBODY),
    "admin:view_on_site": (STAFF, STAFF),
    # Django's app page answers a POST as a GET: nothing is done.
    "admin:app_list": (NEWSROOM | {ADMINISTRATOR}, NEWSROOM | {ADMINISTRATOR}),
    "admin:auth_user_password_change": ({ADMINISTRATOR}, {ADMINISTRATOR}),
    "admin:articles_article_revisions": ({EDITOR, CHIEF}, NOBODY),
    "admin:articles_article_restore": (NOBODY, {EDITOR, CHIEF}),
    "admin:comments_comment_decide": (NOBODY, {MODERATOR}),
    "accounts:second_factor": (STAFF, STAFF),
    "health": (EVERYONE, NOBODY),
    "csp_report": (NOBODY, EVERYONE),
    "comments:create": (NOBODY, EVERYONE),
    "comments:report": (NOBODY, EVERYONE),
    "comments:tokens": (EVERYONE, NOBODY),
    "articles:home": (EVERYONE, NOBODY),
    "articles:section": (EVERYONE, NOBODY),
    "articles:tag": (EVERYONE, NOBODY),
    "articles:contributor": (EVERYONE, NOBODY),
    "articles:videos": (EVERYONE, NOBODY),
    "articles:detail": (EVERYONE, NOBODY),
    "articles:preview": (NOBODY, NOBODY),  # a forged token
    "articles:correction": (EVERYONE, NOBODY),
    "articles:archive_pick": (EVERYONE, NOBODY),
    "articles:archive_month": (EVERYONE, NOBODY),
    "articles:archive_day": (EVERYONE, NOBODY),
    "articles:search": (EVERYONE, NOBODY),
    "articles:read_beacon": (NOBODY, EVERYONE),
    "articles:feed": (EVERYONE, NOBODY),
    "articles:section_feed": (EVERYONE, NOBODY),
    "articles:news_sitemap": (EVERYONE, NOBODY),
    "articles:sitemap": (EVERYONE, NOBODY),
    "articles:sitemap_section": (EVERYONE, NOBODY),
    "articles:robots": (EVERYONE, NOBODY),
    "editions:index": (EVERYONE, NOBODY),
    "editions:search": (EVERYONE, NOBODY),
    "editions:pick": (EVERYONE, NOBODY),
    "editions:month": (EVERYONE, NOBODY),
    "editions:day": (EVERYONE, NOBODY),
    "editions:issue": (EVERYONE, NOBODY),
    "editions:issue_page": (EVERYONE, NOBODY),
    # The content API: public, read-only.
    "api:index": (EVERYONE, NOBODY),
    "api:api-root": (EVERYONE, NOBODY),  # ninja's own name for the index
    "api:schema": (EVERYONE, NOBODY),
    "api:article_list": (EVERYONE, NOBODY),
    "api:article_detail": (EVERYONE, NOBODY),
    "api:section_list": (EVERYONE, NOBODY),
    "api:tag_list": (EVERYONE, NOBODY),
    "api:contributor_list": (EVERYONE, NOBODY),
    "api:contributor_detail": (EVERYONE, NOBODY),
    "api:print_issue_list": (EVERYONE, NOBODY),
    "api:print_issue_detail": (EVERYONE, NOBODY),
}
# Routes with no name: served by the web server or Django's catch-alls.
UNNAMED = {
    "favicon.ico",
    "^media/(?P<path>.*)$",
    # The admin's catch-all and its old-style "<id>/" link to a change page.
    "(?P<url>.*)$",
    "<path:object_id>/",
}
# The bare view exists for the benchmark only; it has no data to give.
IGNORED = {"bench_bare"}


def url_names() -> set[str]:
    """Every named URL of the site, with namespaces; admin object URLs that
    Django adds without a name are the registry's."""

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                if pattern.name is None:
                    yield ("", str(pattern.pattern))
                else:
                    name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                    yield (name, str(pattern.pattern))

    return set(walk(get_resolver().url_patterns))


def _admin_model_views(label: str) -> set[str]:
    app, model = label.split(".")
    return {f"admin:{app}_{model}_{view}" for view in VIEWS}


VIEWS = ("changelist", "add", "change", "delete", "history")


def succeeded(response) -> bool:
    """Whether the request got the page or did the thing (not refused, not
    sent to sign in, not "not found")."""
    if response.status_code in (200, 201, 204):
        return True
    if response.status_code in (301, 302, 303):
        # Sent to sign in, or back to the admin's index ("does not exist").
        return not response["Location"].endswith(("/quan-tri/", "/login/")) and (
            "/login/?" not in response["Location"]
        )
    return False


class RoleMatrixTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.administrator = _staff("quantri", "Quản trị viên")
        cls.section = SectionFactory()
        cls.article = ArticleFactory(section=cls.section)
        cls.article.tags.add("Đồng Khởi")
        cls.contributor = ContributorFactory()
        cls.photo = PhotoFactory()
        cls.video = Video.objects.create(
            title="Mùa kẹo dừa",
            kind=Video.Kind.YOUTUBE,
            provider_id="DuaXanh-001",
            url="https://www.youtube.com/watch?v=DuaXanh-001",
        )
        cls.comment = CommentFactory(article=cls.article, status="approved")
        cls.correction = Correction.objects.create(
            article=cls.article, text="Sửa tên người được phỏng vấn."
        )
        AuditEntry.objects.create(article=cls.article, action="publish")
        CommentSettings.load()
        SiteSettings.load()
        cls.issue = make_issue(date(2026, 1, 2), 5000, ["Trang một", "Trang hai"])
        cls.user = UserFactory()
        cls.group = Group.objects.get(name="Phóng viên")

    def client_for(self, role: str) -> Client:
        client = CommittingClient()
        user = {
            REPORTER: self.reporter,
            EDITOR: self.editor,
            CHIEF: self.chief,
            MODERATOR: self.moderator,
            ADMINISTRATOR: self.administrator,
        }.get(role)
        if user is not None:
            client.force_login(user)
        return client

    def object_for(self, label: str):
        from django.apps import apps

        model = apps.get_model(label)
        return model.objects.order_by("pk").first()

    def url_for(self, name: str) -> str:
        a = self.article
        kwargs = {
            "admin:view_on_site": None,
            "admin:app_list": {"app_label": "articles"},
            "admin:auth_user_password_change": {"id": self.user.pk},
            "admin:articles_article_revisions": {"object_id": a.pk},
            "admin:articles_article_restore": {"object_id": a.pk, "number": 1},
            "admin:comments_comment_decide": {"pk": self.comment.pk},
            "comments:create": {"pk": a.pk},
            "comments:report": {"pk": self.comment.pk},
            "comments:tokens": {"pk": a.pk},
            "articles:section": {"slug": self.section.slug},
            "articles:tag": {"slug": a.tags.first().slug},
            "articles:contributor": {"slug": self.contributor.slug},
            "articles:detail": {"slug": a.slug, "pk": a.pk},
            "articles:preview": {"token": "gia-mao"},
            "articles:correction": {"pk": self.correction.pk},
            "articles:archive_month": {"year": 2026, "month": 1},
            "articles:archive_day": {"year": 2026, "month": 1, "day": 2},
            "articles:read_beacon": {"pk": a.pk},
            "articles:section_feed": {"slug": self.section.slug},
            "articles:sitemap_section": {"section": "articles"},
            "editions:month": {"year": 2026, "month": 1},
            "editions:day": {"year": 2026, "month": 1, "day": 2},
            "editions:issue": self.issue.url_kwargs(),
            "editions:issue_page": {**self.issue.url_kwargs(), "page": 2},
            "api:article_detail": {"ref": a.pk},
            "api:contributor_detail": {"ref": self.contributor.slug},
            "api:print_issue_detail": {"ref": self.issue.pk},
        }.get(name, {})
        if name == "admin:view_on_site":
            from django.contrib.contenttypes.models import ContentType

            content_type = ContentType.objects.get_for_model(a)
            return reverse(name, args=[content_type.pk, a.pk])
        return reverse(name, kwargs=kwargs)

    def test_every_url_is_in_the_matrix(self):
        known = set(OTHER_URLS) | IGNORED
        for model in admin.site._registry:
            known |= _admin_model_views(model._meta.label_lower)
        missing = {
            name or route
            for name, route in url_names()
            if (name not in known if name else route not in UNNAMED)
            and not (name or "").startswith(
                tuple(f"admin:{app}_" for app in SUPERUSER_ONLY)
            )
        }
        self.assertEqual(missing, set(), "say here who may use these URLs")
        registered = {model._meta.label_lower for model in admin.site._registry}
        self.assertEqual(
            {
                label
                for label in registered
                if label.split(".")[0] not in SUPERUSER_ONLY
            },
            set(ADMIN_ACCESS),
        )

    def test_admin_pages_give_each_role_what_it_may_do_and_nothing_more(self):
        unexpected = []
        for model in admin.site._registry:
            label = model._meta.label_lower
            access = ADMIN_ACCESS.get(label, {})
            app, name = label.split(".")
            obj = self.object_for(label)
            for role in ROLES:
                client = self.client_for(role)
                checks = [
                    ("GET", f"admin:{app}_{name}_changelist", None, "list"),
                    ("GET", f"admin:{app}_{name}_add", None, "add"),
                    ("POST", f"admin:{app}_{name}_add", None, "add"),
                ]
                if obj is not None:
                    checks += [
                        ("GET", f"admin:{app}_{name}_change", obj.pk, "view"),
                        ("GET", f"admin:{app}_{name}_history", obj.pk, "view"),
                        ("GET", f"admin:{app}_{name}_delete", obj.pk, "delete"),
                        ("POST", f"admin:{app}_{name}_delete", obj.pk, "delete"),
                    ]
                for method, url_name, pk, right in checks:
                    if right == "list" and "list" not in access:
                        right = "view"
                    allowed = role in access.get(right, NOBODY)
                    url = reverse(url_name, args=[pk] if pk else [])
                    if method == "GET":
                        response = client.get(url)
                    elif right == "delete":
                        # Only a refusal is checked: an allowed delete would
                        # remove the object the next roles are checked on.
                        if allowed:
                            continue
                        response = client.post(url, {"post": "yes"})
                    else:
                        response = client.post(url, {})
                    self.assertLess(response.status_code, 500, (role, url))
                    if succeeded(response) and not allowed:
                        unexpected.append(f"{role} {method} {url}")
                    if allowed and not succeeded(response):
                        unexpected.append(f"{role} refused {method} {url}")
                if obj is not None and role not in access.get("change", NOBODY):
                    # A change form posted whole, as the role's own browser
                    # would: nothing may change.
                    before = model.objects.filter(pk=obj.pk).values().get()
                    client.post(reverse(f"admin:{app}_{name}_change", args=[obj.pk]))
                    after = model.objects.filter(pk=obj.pk).values().get()
                    if before != after:
                        unexpected.append(f"{role} changed {label}")
        self.assertEqual(unexpected, [])

    def test_other_urls_give_each_role_what_it_may_do_and_nothing_more(self):
        unexpected = []
        for name, (may_get, may_post) in OTHER_URLS.items():
            url = self.url_for(name)
            for role in ROLES:
                for method, allowed in (("GET", may_get), ("POST", may_post)):
                    client = self.client_for(role)
                    response = getattr(client, method.lower())(url)
                    self.assertLess(response.status_code, 500, (role, method, url))
                    if succeeded(response) and role not in allowed:
                        unexpected.append(f"{role} {method} {url}")
        self.maxDiff = None
        self.assertEqual(unexpected, [])
        self.assertTrue(Comment.objects.filter(pk=self.comment.pk).exists())
