"""Every save keeps a revision; compare, restore, and refuse stale saves."""

import re

from django.urls import reverse

from articles.models import Article
from articles.services import article_transition
from tests.base import NewsroomTestCase, article_form_data
from tests.factories import ArticleFactory, ContributorFactory, CreditFactory

S = Article.Status


class RevisionTests(NewsroomTestCase):
    def setUp(self):
        self.article = ArticleFactory(
            title="Giá dừa khô tăng mạnh",
            status=S.IN_REVIEW,
            published_at=None,
            created_by=self.reporter,
            tags=["dừa"],
        )
        CreditFactory(
            article=self.article, contributor=ContributorFactory(name="Hữu Hiệp")
        )
        self.client.force_login(self.editor)
        self.url = reverse("admin:articles_article_change", args=[self.article.pk])

    def _save(self, **changes):
        self.article.refresh_from_db()
        response = self.client.post(
            self.url, article_form_data(self.article, **changes)
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        self.article.refresh_from_db()

    def test_every_save_keeps_a_revision_with_who_when_and_the_fields(self):
        self._save(title="Giá dừa khô tăng gấp đôi")
        self._save(lead="DXO – Giá dừa khô lên 180.000 đồng/chục.")
        first, second = self.article.revisions.order_by("number")
        self.assertEqual(first.created_by, self.editor)
        self.assertEqual(first.data["title"], "Giá dừa khô tăng gấp đôi")
        self.assertEqual(first.data["tags"], ["dừa"])
        self.assertEqual(first.data["credits"][0]["name"], "Hữu Hiệp")
        self.assertEqual(
            second.data["lead"], "DXO – Giá dừa khô lên 180.000 đồng/chục."
        )
        self.assertEqual((first.number, second.number), (1, 2))
        self.assertEqual(second.article_version, self.article.version)

    def _two_titles_compared(self):
        self._save(title="Giá dừa khô tăng gấp đôi")
        self._save(title="Giá dừa khô tăng gấp ba")
        a, b = self.article.revisions.order_by("number")
        return self.client.get(
            reverse("admin:articles_article_revisions", args=[self.article.pk]),
            {"a": a.number, "b": b.number},
        )

    def test_two_revisions_are_compared_side_by_side(self):
        response = self._two_titles_compared()
        self.assertContains(response, "<del>đôi</del>", html=False)
        self.assertContains(response, "<ins>ba</ins>", html=False)

    def test_an_unchanged_field_shows_its_value_on_both_sides(self):
        response = self._two_titles_compared()
        slug = self.article.slug
        same = re.search(
            rf'<tr class="same"><th>[^<]*</th><td>{slug}</td><td>{slug}</td></tr>',
            response.content.decode(),
        )
        self.assertIsNotNone(same, "the slug row is not filled on both sides")

    def test_restoring_creates_a_new_revision_with_the_old_content(self):
        self._save(title="Giá dừa khô tăng gấp đôi", tags="dừa, giá cả")
        old = self.article.revisions.get()
        self._save(title="Tiêu đề sai", tags="sai")
        response = self.client.post(
            reverse(
                "admin:articles_article_restore", args=[self.article.pk, old.number]
            )
        )
        self.assertEqual(response.status_code, 302)
        self.article.refresh_from_db()
        self.assertEqual(self.article.title, "Giá dừa khô tăng gấp đôi")
        self.assertEqual(
            sorted(t.name for t in self.article.tags.all()), ["dừa", "giá cả"]
        )
        self.assertEqual(self.article.revisions.count(), 3)
        latest = self.article.revisions.first()
        self.assertEqual(latest.data["title"], "Giá dừa khô tăng gấp đôi")
        self.assertIn(f"#{old.number}", latest.note)
        # The revision restored from is untouched.
        old.refresh_from_db()
        self.assertEqual(old.number, 1)

    def test_published_versions_stay_in_the_history_and_cannot_be_deleted(self):
        article_transition(article=self.article, name="approve", by=self.editor)
        article_transition(article=self.article, name="publish", by=self.chief)
        seen = self.article.revisions.get(was_public=True)
        self.client.force_login(self.chief)
        self._save(title="Sửa sau khi đăng")
        seen.refresh_from_db()
        self.assertEqual(seen.data["title"], "Giá dừa khô tăng mạnh")
        # No admin page edits or deletes revisions, and a published article
        # cannot be deleted.
        delete = reverse("admin:articles_article_delete", args=[self.article.pk])
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
        self.assertTrue(Article.objects.filter(pk=self.article.pk).exists())
        self.assertEqual(
            self.client.get("/quan-tri/articles/articlerevision/").status_code, 404
        )

    def test_a_reporter_may_delete_a_draft_that_never_reached_readers(self):
        draft = ArticleFactory(
            status=S.DRAFT, published_at=None, created_by=self.reporter
        )
        self.client.force_login(self.reporter)
        # Reporters hold no delete permission at all.
        delete = reverse("admin:articles_article_delete", args=[draft.pk])
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
        self.client.force_login(self.chief)
        self.client.post(delete, {"post": "yes"})
        self.assertFalse(Article.objects.filter(pk=draft.pk).exists())


class ConcurrentEditTests(NewsroomTestCase):
    def test_the_second_of_two_saves_is_refused_and_shows_what_changed(self):
        article = ArticleFactory(
            title="Hạn mặn đến sớm",
            status=S.IN_REVIEW,
            published_at=None,
            created_by=self.reporter,
        )
        url = reverse("admin:articles_article_change", args=[article.pk])
        # Both editors open the same version.
        self.client.force_login(self.editor)
        self.client.post(url, article_form_data(article, title="Hạn mặn đến sớm"))
        article.refresh_from_db()
        opened = article_form_data(article)

        self.client.force_login(self.chief)
        first = self.client.post(url, {**opened, "title": "Hạn mặn đến sớm hai tháng"})
        self.assertEqual(first.status_code, 302)

        self.client.force_login(self.editor)
        second = self.client.post(
            url, {**opened, "lead": "DXO – Bản sapo của biên tập viên thứ hai."}
        )
        self.assertEqual(second.status_code, 200)
        self.assertContains(second, "Không lưu: tongbientap đã lưu bài này")
        self.assertContains(
            second, "tiêu đề: “Hạn mặn đến sớm” → “Hạn mặn đến sớm hai tháng”"
        )
        # What the second editor typed is still in the form.
        self.assertContains(second, "Bản sapo của biên tập viên thứ hai.")
        article.refresh_from_db()
        self.assertEqual(article.title, "Hạn mặn đến sớm hai tháng")
        self.assertNotIn("biên tập viên thứ hai", article.lead)
