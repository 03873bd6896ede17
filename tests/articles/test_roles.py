"""Roles are groups made by a data migration; a reporter never publishes."""

from django.contrib.auth.models import Group
from django.urls import reverse

from articles.models import Article, AuditEntry
from tests.base import NewsroomTestCase, article_form_data
from tests.factories import ArticleFactory, UserFactory

ROLE_NAMES = [
    "Phóng viên",
    "Biên tập viên",
    "Tổng biên tập",
    "Kiểm duyệt bình luận",
    "Quản trị viên",
]


def _codes(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


class RoleTests(NewsroomTestCase):
    def test_the_migration_creates_every_role(self):
        self.assertEqual(
            set(
                Group.objects.filter(name__in=ROLE_NAMES).values_list("name", flat=True)
            ),
            set(ROLE_NAMES),
        )

    def test_each_role_holds_exactly_its_workflow_permissions(self):
        workflow = {
            "articles.submit_article",
            "articles.review_article",
            "articles.publish_article",
        }
        expected = {
            "Phóng viên": {"articles.submit_article"},
            "Biên tập viên": {"articles.submit_article", "articles.review_article"},
            "Tổng biên tập": workflow,
            "Kiểm duyệt bình luận": set(),
            "Quản trị viên": set(),
        }
        for name, codes in expected.items():
            with self.subTest(role=name):
                self.assertEqual(_codes(name) & workflow, codes)

    def test_the_moderator_role_is_about_comments_only(self):
        self.assertEqual(
            _codes("Kiểm duyệt bình luận"),
            {
                "comments.view_comment",
                "comments.change_comment",
                "comments.view_commentsettings",
                "comments.change_commentsettings",
            },
        )

    def test_nobody_but_the_chief_editor_may_add_corrections(self):
        holders = [n for n in ROLE_NAMES if "articles.add_correction" in _codes(n)]
        self.assertEqual(holders, ["Tổng biên tập"])

    def test_no_role_may_delete_comments_revisions_or_audit_entries(self):
        for name in ROLE_NAMES:
            codes = _codes(name)
            with self.subTest(role=name):
                self.assertNotIn("comments.delete_comment", codes)
                self.assertNotIn("articles.delete_articlerevision", codes)
                self.assertNotIn("articles.delete_auditentry", codes)
                self.assertNotIn("articles.delete_correction", codes)

    def test_a_user_may_hold_several_roles(self):
        user = UserFactory(is_staff=True)
        user.groups.set(
            Group.objects.filter(name__in=["Phóng viên", "Kiểm duyệt bình luận"])
        )
        self.assertTrue(user.has_perm("articles.submit_article"))
        self.assertTrue(user.has_perm("comments.change_comment"))
        self.assertFalse(user.has_perm("articles.publish_article"))


class ReporterCannotPublishTests(NewsroomTestCase):
    """Not by the form, not by an action, not by a crafted POST."""

    def setUp(self):
        self.article = ArticleFactory(
            status=Article.Status.DRAFT, published_at=None, created_by=self.reporter
        )
        self.client.force_login(self.reporter)
        self.url = reverse("admin:articles_article_change", args=[self.article.pk])

    def _unchanged(self):
        self.article.refresh_from_db()
        self.assertEqual(self.article.status, Article.Status.DRAFT)
        self.assertIsNone(self.article.published_at)
        self.assertFalse(AuditEntry.objects.exists())
        self.assertFalse(Article.objects.published().exists())

    def test_the_form_offers_submit_but_no_publishing_button(self):
        response = self.client.get(self.url)
        self.assertContains(response, 'value="submit"')
        for name in ("approve", "publish", "schedule", "unpublish", "take_down"):
            self.assertNotContains(response, f'value="{name}"')

    def test_a_crafted_publish_button_is_refused_and_nothing_is_saved(self):
        for name in ("publish", "schedule", "approve"):
            with self.subTest(transition=name):
                response = self.client.post(
                    self.url,
                    article_form_data(
                        self.article,
                        title="Đổi tiêu đề",
                        _transition=name,
                        schedule_at_0="01/01/2099",
                        schedule_at_1="08:00:00",
                    ),
                )
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Bạn không có quyền")
                self._unchanged()
                self.assertNotEqual(self.article.title, "Đổi tiêu đề")

    def test_a_crafted_status_field_is_ignored(self):
        response = self.client.post(
            self.url,
            article_form_data(
                self.article,
                status="published",
                published_at_0="01/01/2020",
                published_at_1="08:00:00",
            ),
        )
        self.assertEqual(response.status_code, 302)
        self.article.refresh_from_db()
        self.assertEqual(self.article.status, Article.Status.DRAFT)
        self.assertIsNone(self.article.published_at)

    def test_the_publish_action_is_not_available_to_a_reporter(self):
        self.client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "publish", "_selected_action": [self.article.pk]},
        )
        self._unchanged()

    def test_a_reporter_cannot_open_or_post_to_someone_elses_article(self):
        other = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
        url = reverse("admin:articles_article_change", args=[other.pk])
        self.assertEqual(self.client.get(url).status_code, 302)  # "does not exist"
        self.client.post(url, article_form_data(other, _transition="submit"))
        other.refresh_from_db()
        self.assertEqual(other.status, Article.Status.DRAFT)

    def test_a_reporter_sees_only_own_articles_in_the_list(self):
        ArticleFactory(title="Bài của người khác")
        response = self.client.get(reverse("admin:articles_article_changelist"))
        self.assertContains(response, self.article.title)
        self.assertNotContains(response, "Bài của người khác")

    def test_a_submitted_article_is_read_only_for_its_reporter(self):
        self.client.post(
            self.url, article_form_data(self.article, _transition="submit")
        )
        self.article.refresh_from_db()
        self.assertEqual(self.article.status, Article.Status.IN_REVIEW)
        response = self.client.post(
            self.url, article_form_data(self.article, title="Sửa sau khi gửi")
        )
        self.assertEqual(response.status_code, 403)
