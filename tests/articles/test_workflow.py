"""Every role against every transition, and the full path through the admin."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleRevision, AuditEntry
from articles.services import TRANSITIONS, article_transition
from tests.base import NewsroomTestCase, article_form_data
from tests.factories import ArticleFactory, ContributorFactory, CreditFactory

S = Article.Status

# Who may take each transition (the reporter acts on an article of their own).
ALLOWED = {
    "submit": {"reporter", "editor", "chief"},
    "return": {"editor", "chief"},
    "approve": {"editor", "chief"},
    "publish": {"chief"},
    "schedule": {"chief"},
    "unpublish": {"chief"},
    "take_down": {"chief"},
}
PEOPLE = ["reporter", "editor", "chief", "moderator"]


class TransitionMatrixTests(NewsroomTestCase):
    def _article(self, status: str) -> Article:
        published_at = (
            timezone.now() - timedelta(hours=1)
            if status in (S.PUBLISHED, S.UNPUBLISHED)
            else timezone.now() + timedelta(hours=1)
            if status == S.SCHEDULED
            else None
        )
        return ArticleFactory(
            status=status, published_at=published_at, created_by=self.reporter
        )

    def _take(self, article, name, user):
        return article_transition(
            article=article,
            name=name,
            by=user,
            note="Cần bổ sung ý kiến của bà con",
            at=timezone.now() + timedelta(days=1),
        )

    def test_every_role_against_every_transition_from_every_source(self):
        self.assertEqual(set(ALLOWED), set(TRANSITIONS))
        for name, transition in TRANSITIONS.items():
            for source in transition.sources:
                for person in PEOPLE:
                    user = getattr(self, person)
                    article = self._article(source)
                    with self.subTest(transition=name, source=source, role=person):
                        if person in ALLOWED[name]:
                            self._take(article, name, user)
                            article.refresh_from_db()
                            self.assertEqual(article.status, transition.target)
                            entry = article.audit_entries.get()
                            self.assertEqual(
                                (entry.actor, entry.from_status, entry.to_status),
                                (user, source, transition.target),
                            )
                            self.assertTrue(article.revisions.exists())
                        else:
                            with self.assertRaises(PermissionDenied):
                                self._take(article, name, user)
                            article.refresh_from_db()
                            self.assertEqual(article.status, source)
                            self.assertFalse(article.audit_entries.exists())
                            self.assertFalse(article.revisions.exists())

    def test_a_transition_from_a_wrong_state_is_refused_even_for_the_chief(self):
        for name, transition in TRANSITIONS.items():
            for status in set(S.values) - set(transition.sources):
                article = self._article(status)
                with self.subTest(transition=name, status=status):
                    with self.assertRaises(ValidationError):
                        self._take(article, name, self.chief)
                    article.refresh_from_db()
                    self.assertEqual(article.status, status)

    def test_a_reporter_cannot_submit_someone_elses_draft(self):
        article = ArticleFactory(
            status=S.DRAFT, published_at=None, created_by=self.chief
        )
        with self.assertRaises(PermissionDenied):
            article_transition(article=article, name="submit", by=self.reporter)

    def test_returning_an_article_requires_a_note(self):
        article = self._article(S.IN_REVIEW)
        with self.assertRaisesMessage(ValidationError, "Hãy ghi rõ lý do"):
            article_transition(article=article, name="return", by=self.editor)
        article.refresh_from_db()
        self.assertEqual(article.status, S.IN_REVIEW)

    def test_a_failing_transition_leaves_nothing_half_done(self):
        article = self._article(S.APPROVED)
        article.body = ""
        article.save()
        with self.assertRaises(ValidationError):
            article_transition(article=article, name="publish", by=self.chief)
        article.refresh_from_db()
        self.assertEqual(article.status, S.APPROVED)
        self.assertFalse(AuditEntry.objects.exists())
        self.assertFalse(ArticleRevision.objects.exists())

    def test_republishing_keeps_the_original_date(self):
        article = self._article(S.UNPUBLISHED)
        first = article.published_at
        article_transition(article=article, name="publish", by=self.chief)
        article.refresh_from_db()
        self.assertEqual(article.published_at, first)


class AdminButtonsTests(NewsroomTestCase):
    def _buttons(self, user, article) -> set[str]:
        self.client.force_login(user)
        html = self.client.get(
            reverse("admin:articles_article_change", args=[article.pk])
        ).content.decode()
        return {name for name in TRANSITIONS if f'value="{name}"' in html}

    def test_the_admin_shows_only_the_transitions_the_user_may_take(self):
        in_review = ArticleFactory(
            status=S.IN_REVIEW, published_at=None, created_by=self.reporter
        )
        self.assertEqual(self._buttons(self.editor, in_review), {"return", "approve"})
        self.assertEqual(
            self._buttons(self.chief, in_review),
            {"return", "approve", "publish", "schedule"},
        )
        published = ArticleFactory(created_by=self.reporter)
        self.assertEqual(
            self._buttons(self.chief, published), {"unpublish", "take_down"}
        )
        # The desk editor cannot change a live article at all.
        self.assertEqual(self._buttons(self.editor, published), set())

    def test_a_desk_editor_posting_publish_or_using_the_action_is_refused(self):
        article = ArticleFactory(
            status=S.APPROVED, published_at=None, created_by=self.reporter
        )
        self.client.force_login(self.editor)
        response = self.client.post(
            reverse("admin:articles_article_change", args=[article.pk]),
            article_form_data(article, _transition="publish"),
        )
        self.assertContains(response, "Bạn không có quyền")
        self.client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "publish", "_selected_action": [article.pk]},
        )
        article.refresh_from_db()
        self.assertEqual(article.status, S.APPROVED)
        self.assertFalse(Article.objects.published().exists())


class NewsroomPathTests(NewsroomTestCase):
    """Reporter files, editor returns with a note, reporter fixes, editor
    approves, chief editor publishes; all through the admin."""

    def _post(self, user, article, **changes):
        self.client.force_login(user)
        article.refresh_from_db()
        response = self.client.post(
            reverse("admin:articles_article_change", args=[article.pk]),
            article_form_data(article, **changes),
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        article.refresh_from_db()

    def test_one_article_from_draft_to_published_with_a_return_in_between(self):
        self.client.force_login(self.reporter)
        contributor = ContributorFactory(name="Thu Huyền", user=self.reporter)
        article = ArticleFactory(
            status=S.DRAFT,
            published_at=None,
            created_by=self.reporter,
            title="Nông dân Chợ Lách vào vụ hoa Tết",
        )
        CreditFactory(article=article, contributor=contributor, roles=["text"])

        self._post(self.reporter, article, _transition="submit")
        self.assertEqual(article.status, S.IN_REVIEW)

        self._post(
            self.editor,
            article,
            _transition="return",
            workflow_note="Thiếu số liệu diện tích hoa năm nay.",
        )
        self.assertEqual(article.status, S.RETURNED)

        self.client.force_login(self.reporter)
        page = self.client.get(
            reverse("admin:articles_article_change", args=[article.pk])
        )
        self.assertContains(page, "Thiếu số liệu diện tích hoa năm nay.")
        self._post(
            self.reporter,
            article,
            lead=article.lead + " Diện tích hoa năm nay khoảng 600 ha.",
            _transition="submit",
        )
        self.assertEqual(article.status, S.IN_REVIEW)

        self._post(self.editor, article, _transition="approve")
        self.assertEqual(article.status, S.APPROVED)
        self.assertEqual(self.client.get(article.get_absolute_url()).status_code, 404)

        self._post(self.chief, article, _transition="publish")
        self.assertEqual(article.status, S.PUBLISHED)
        response = self.client.get(article.get_absolute_url())
        self.assertContains(response, "Diện tích hoa năm nay khoảng 600 ha.")

        steps = list(
            article.audit_entries.order_by("created_at", "id").values_list(
                "actor__username", "action", "to_status"
            )
        )
        self.assertEqual(
            steps,
            [
                ("phongvien", "submit", "in_review"),
                ("bientap", "return", "returned"),
                ("phongvien", "submit", "in_review"),
                ("bientap", "approve", "approved"),
                ("tongbientap", "publish", "published"),
            ],
        )
