import re
from datetime import timedelta
from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from articles import story
from articles.models import Article, Correction
from articles.services import correction_publish
from articles.story import STORY_KEY, story_render
from tests.base import (
    ARTICLE_PAGE_QUERIES,
    STORY_RENDER_QUERIES,
    NewsroomTestCase,
    article_form_data,
)
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    CommentFactory,
    ContributorFactory,
    CreditFactory,
    GalleryPhotoFactory,
    PhotoFactory,
)


def _stored(article: Article) -> str:
    return Article.objects.get(pk=article.pk).story_html


class StoryTests(NewsroomTestCase):
    """The story is rendered when it is written and never shown stale."""

    def setUp(self):
        self.client.force_login(self.chief)
        self.reader = self.client_class()

    def test_an_admin_save_stores_the_story_so_the_first_reader_only_reads_it(self):
        article = ArticleFactory(title="Đê biển Ba Tri")
        CreditFactory(article=article, contributor__name="Thu Huyền", roles=["text"])
        response = self.client.post(
            reverse("admin:articles_article_change", args=[article.pk]),
            article_form_data(article, title="Đê biển Ba Tri vững vàng"),
        )
        self.assertEqual(response.status_code, 302)
        article.refresh_from_db()
        self.assertEqual(article.story_key, STORY_KEY)
        self.assertIn("Đê biển Ba Tri vững vàng", article.story_html)
        self.assertIn("Tin: Thu Huyền", article.story_html)
        with self.assertNumQueries(ARTICLE_PAGE_QUERIES):
            page = self.reader.get(article.get_absolute_url())
        self.assertContains(page, "Tin: Thu Huyền")

    def test_a_photo_caption_edit_shows_in_every_story_that_prints_it(self):
        photo = PhotoFactory(
            caption="Bến phà cũ", alt_text="Bến phà", make_renditions=True
        )
        lead = ArticleFactory(lead_photo=photo)
        inline = ArticleFactory()
        ArticlePhotoFactory(article=inline, photo=photo, caption="")
        gallery = ArticleFactory()
        GalleryPhotoFactory(article=gallery, photo=photo, caption="")
        untouched = ArticleFactory()
        for article in (lead, inline, gallery, untouched):  # stories stored
            self.reader.get(article.get_absolute_url())
        self.assertIn("Bến phà cũ", _stored(lead))

        response = self.client.post(
            reverse("admin:articles_photo_change", args=[photo.pk]),
            {
                "caption": "Cầu Rạch Miễu mới",
                "alt_text": "Cầu",
                "photographer": "",
                "credit_text": "",
                "focus_x": "0.5",
                "focus_y": "0.5",
            },
        )
        self.assertEqual(response.status_code, 302)
        for article in (lead, inline, gallery):
            with self.subTest(article=article.pk):
                page = self.reader.get(article.get_absolute_url())
                self.assertContains(page, "Cầu Rạch Miễu mới")
                self.assertNotContains(page, "Bến phà cũ")
        self.assertEqual(
            Article.objects.get(pk=untouched.pk).story_key, STORY_KEY
        )  # left as it was

    def test_renaming_a_contributor_changes_the_byline_of_their_stories(self):
        contributor = ContributorFactory(name="Hữu Hiệp", slug="huu-hiep")
        article = ArticleFactory()
        CreditFactory(article=article, contributor=contributor, roles=["text"])
        self.assertContains(self.reader.get(article.get_absolute_url()), "Hữu Hiệp")
        self.client.post(
            reverse("admin:articles_contributor_change", args=[contributor.pk]),
            {"name": "Nguyễn Hữu Hiệp", "slug": "nguyen-huu-hiep", "bio": ""},
        )
        page = self.reader.get(article.get_absolute_url())
        self.assertContains(page, "Tin: Nguyễn Hữu Hiệp")
        self.assertContains(page, "/tac-gia/nguyen-huu-hiep/")

    def test_renaming_a_photographer_changes_the_photo_credits_in_stories(self):
        photographer = ContributorFactory(name="Thu Huyền", slug="thu-huyen")
        article = ArticleFactory(lead_photo=PhotoFactory(photographer=photographer))
        self.assertContains(
            self.reader.get(article.get_absolute_url()), "Ảnh: Thu Huyền"
        )
        self.client.post(
            reverse("admin:articles_contributor_change", args=[photographer.pk]),
            {"name": "Lê Thu Huyền", "slug": "thu-huyen", "bio": ""},
        )
        self.assertContains(
            self.reader.get(article.get_absolute_url()), "Ảnh: Lê Thu Huyền"
        )

    def test_renaming_a_tag_changes_the_stories_that_carry_it(self):
        article = ArticleFactory(tags=["Bến Tre"])
        self.assertContains(self.reader.get(article.get_absolute_url()), "Bến Tre")
        tag = article.tags.get()
        self.client.post(
            reverse("admin:articles_tag_change", args=[tag.pk]),
            {"name": "Tỉnh Bến Tre", "slug": "tinh-ben-tre"},
        )
        self.assertContains(self.reader.get(article.get_absolute_url()), "Tỉnh Bến Tre")

    def test_a_published_correction_shows_under_the_story_at_once(self):
        article = ArticleFactory()
        self.reader.get(article.get_absolute_url())
        correction_publish(
            correction=Correction(
                article=article, kind=Correction.Kind.NOTE, text="Sửa tên xã cho đúng."
            ),
            by=self.chief,
        )
        self.assertContains(
            self.reader.get(article.get_absolute_url()), "Sửa tên xã cho đúng."
        )

    def test_a_changed_template_renders_every_story_again_on_its_next_reading(self):
        article = ArticleFactory()
        self.reader.get(article.get_absolute_url())
        with mock.patch.object(story, "STORY_KEY", "after-a-deploy"):
            with self.assertNumQueries(ARTICLE_PAGE_QUERIES + STORY_RENDER_QUERIES):
                self.reader.get(article.get_absolute_url())
            self.assertEqual(
                Article.objects.get(pk=article.pk).story_key, "after-a-deploy"
            )

    def test_a_reader_never_stores_a_story_made_before_a_write(self):
        article = ArticleFactory(title="Tựa cũ")
        seen = Article.objects.get(pk=article.pk).story_key
        # An editor saves between the reader's read of the row and its store.
        article.title = "Tựa mới"
        article.save()
        rendered = story_render(article_id=article.pk, seen_key=seen)
        self.assertIn("Tựa mới", rendered.story_html)
        stored = Article.objects.get(pk=article.pk)
        self.assertNotEqual(stored.story_key, STORY_KEY)  # still to render
        self.assertContains(self.reader.get(article.get_absolute_url()), "Tựa mới")


@override_settings(FRAGMENT_CACHE=True)
class KeptCommentBlockTests(NewsroomTestCase):
    def test_every_reader_gets_their_own_working_token_in_kept_forms(self):
        article = ArticleFactory()
        comment = CommentFactory(article=article)
        first, second = self.client_class(), self.client_class()
        first.get(article.get_absolute_url())  # the blocks are kept now
        page = second.get(article.get_absolute_url())
        self.assertNotContains(page, "\x00")
        tokens = re.findall(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()
        )
        self.assertEqual(len(tokens), 2)  # the report button and the comment form
        second.handler.enforce_csrf_checks = True
        response = second.post(
            reverse("comments:report", args=[comment.pk]),
            {"csrfmiddlewaretoken": tokens[0]},
        )
        self.assertNotEqual(response.status_code, 403)


class RenderStoriesCommandTests(NewsroomTestCase):
    def test_it_renders_the_stale_stories_newest_first_and_only_once(self):
        older = ArticleFactory(published_at=timezone.now() - timedelta(days=2))
        newer = ArticleFactory(published_at=timezone.now() - timedelta(days=1))
        out = StringIO()
        call_command("render_stories", "--dry-run", stdout=out)
        self.assertIn("2 stale", out.getvalue())
        call_command("render_stories", "--limit", "1", stdout=StringIO())
        self.assertEqual(Article.objects.get(pk=newer.pk).story_key, STORY_KEY)
        self.assertNotEqual(Article.objects.get(pk=older.pk).story_key, STORY_KEY)
        call_command("render_stories", stdout=StringIO())
        self.assertIn(older.title, _stored(older))
        out = StringIO()
        call_command("render_stories", stdout=out)
        self.assertIn("0 story(ies) rendered", out.getvalue())
