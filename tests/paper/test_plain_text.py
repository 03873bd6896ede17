"""Invisible characters pasted with the words: stripped wherever text is
stored, and never able to break a feed or a sitemap whatever is stored."""

import xml.etree.ElementTree as ET  # our own feeds, not untrusted XML

from django.urls import reverse

from articles.models import Article, Section
from comments.models import Comment
from paper.models import SiteSettings
from paper.text import plain
from tests.base import NewsroomTestCase, article_form_data
from tests.factories import ArticleFactory, CommentFactory, SectionFactory

# Every C0 and C1 control character, DEL, and the bidi controls.
EVERY_CONTROL = (
    "".join(chr(c) for c in (*range(0x00, 0x20), *range(0x7F, 0xA0)))
    + "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u200b"
)


class PlainTextTests(NewsroomTestCase):
    def test_plain_keeps_vietnamese_and_drops_every_invisible_control(self):
        text = f"Đồng Khởi{EVERY_CONTROL}quê hương"

        self.assertEqual(plain(text), "Đồng Khởi quê hương")
        self.assertEqual(
            plain("Dòng một\r\nDòng hai\tcột", multiline=True),
            "Dòng một\nDòng hai\tcột",
        )

    def test_a_shell_save_stores_the_paper_name_without_controls(self):
        paper = SiteSettings.load()
        paper.name = "Báo\x0c Đồng\u202e Khởi"
        paper.save()

        self.assertEqual(SiteSettings.load().name, "Báo Đồng Khởi")

    def test_the_site_settings_form_strips_what_was_pasted(self):
        from django.contrib.auth.models import Permission

        self.editor.user_permissions.add(
            *Permission.objects.filter(codename__endswith="sitesettings")
        )
        self.client.force_login(self.editor)
        paper = SiteSettings.load()
        data = {
            field.name: getattr(paper, field.name) or ""
            for field in SiteSettings._meta.fields
            if field.name != "id"
        }
        data["tagline"] = "Tiếng nói\x01 của Đảng bộ\u2066"

        response = self.client.post(
            reverse("admin:paper_sitesettings_change", args=[paper.pk]), data
        )

        self.assertEqual(response.status_code, 302, response.content[:2000])
        self.assertEqual(SiteSettings.load().tagline, "Tiếng nói của Đảng bộ")

    def test_a_title_and_lead_pasted_into_the_article_form_are_stored_clean(self):
        article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
        self.client.force_login(self.chief)

        response = self.client.post(
            reverse("admin:articles_article_change", args=[article.pk]),
            article_form_data(
                article,
                title="Bến Tre\x0c khởi công\u202e cầu mới",
                lead="Dòng một\x01\r\nDòng hai",
            ),
        )

        self.assertEqual(response.status_code, 302)
        article.refresh_from_db()
        self.assertEqual(article.title, "Bến Tre khởi công cầu mới")
        self.assertEqual(article.lead, "Dòng một\nDòng hai")

    def test_a_comment_keeps_its_lines_and_loses_a_leading_byte_order_mark(self):
        comment = CommentFactory(name="Bạn\r\nđọc", body="\ufeffDòng một\r\nDòng hai")

        comment.refresh_from_db()
        self.assertEqual(comment.name, "Bạn đọc")
        self.assertEqual(comment.body, "Dòng một\nDòng hai")


class FeedsWhateverIsStoredTests(NewsroomTestCase):
    """Rows written around the fields (a raw UPDATE, data from before them)."""

    def setUp(self):
        section = SectionFactory(name="Kinh tế", slug="kinh-te")
        self.article = ArticleFactory(title="Giá dừa", section=section)
        with self.committed():
            Article.objects.filter(pk=self.article.pk).update(
                title=f"Giá{EVERY_CONTROL}dừa", lead=f"Dừa{EVERY_CONTROL}khô"
            )
            Section.objects.filter(pk=section.pk).update(
                name="Kinh\x0c tế", description="Tin\x01 kinh tế"
            )
            SiteSettings.objects.update(name="Báo\x0b Dừa", tagline="Tin\x1f mới")

    def _xml(self, url: str) -> ET.Element:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return ET.fromstring(response.content)  # noqa: S314 - raises if ill-formed

    def test_the_feeds_stay_well_formed_and_show_the_words(self):
        for url in (reverse("articles:feed"), "/rss/kinh-te.rss"):
            with self.subTest(url):
                channel = self._xml(url).find("channel")
                item = channel.find("item")
                self.assertEqual(item.findtext("title"), "Giá dừa")
                self.assertIn("Dừa", item.findtext("description"))
                self.assertEqual(item.findtext("category"), "Kinh tế")
                self.assertIn("Báo Dừa", channel.findtext("title"))

    def test_the_news_sitemap_stays_well_formed(self):
        root = self._xml(reverse("articles:news_sitemap"))

        titles = [e.text for e in root.iter() if e.tag.endswith("title")]
        self.assertEqual(titles, ["Giá dừa"])


class CommentNameTests(NewsroomTestCase):
    def test_a_stored_name_never_carries_a_line_break(self):
        comment = CommentFactory(name="Nguyễn\nVăn\rA")
        self.assertEqual(Comment.objects.get(pk=comment.pk).name, "Nguyễn Văn A")
