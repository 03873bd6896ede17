"""Long-form (E-magazine) pages: the layout an editor picks per article, wide
photos, pull quotes and the reading-progress line, at a standard page's cost."""

import re

from django.core.files.base import ContentFile
from django.urls import reverse

from articles.models import Article, ArticlePhoto
from articles.templatetags.articles import COLUMN_SIZES, STORY_SIZES, WIDE_SIZES
from tests.base import ARTICLE_PAGE_QUERIES, NewsroomTestCase, article_form_data
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    CommentFactory,
    CreditFactory,
    GalleryPhotoFactory,
    PhotoFactory,
    SectionFactory,
    image_bytes,
)

S = Article.Status
PULL_QUOTE = (
    '<blockquote class="pull-quote"><p>Tụi nhỏ như con cháu mình, chở tụi nó '
    "là phải cẩn thận hết mức.</p></blockquote>"
)
BODY = (
    "<p>Đoạn một.</p><p>Đoạn hai.</p>" + PULL_QUOTE + "<p>Đoạn ba.</p><p>Đoạn bốn.</p>"
)


def _figures(html: str) -> list[str]:
    return re.findall(r"<figure.*?</figure>", html, re.S)


class LayoutInTheAdminTests(NewsroomTestCase):
    def setUp(self):
        self.article = ArticleFactory(
            status=S.IN_REVIEW, published_at=None, created_by=self.reporter, body=BODY
        )
        self.use = ArticlePhotoFactory(article=self.article, after_paragraph=1)
        self.client.force_login(self.editor)
        self.url = reverse("admin:articles_article_change", args=[self.article.pk])

    def _post(self, **changes):
        self.article.refresh_from_db()
        return self.client.post(self.url, article_form_data(self.article, **changes))

    def test_the_form_offers_both_layouts_and_a_wide_box_per_body_photo(self):
        page = self.client.get(self.url).content.decode()
        self.assertIn('name="layout" value="standard"', page)
        self.assertIn('name="layout" value="emagazine"', page)
        self.assertIn("E-magazine (bài dài)", page)
        self.assertIn('name="body_photos-0-is_wide"', page)
        self.assertIn("ảnh rộng", page)

    def test_an_editor_makes_an_article_an_e_magazine_with_a_wide_photo(self):
        response = self._post(layout="emagazine", **{"body_photos-0-is_wide": "on"})
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        self.article.refresh_from_db()
        self.use.refresh_from_db()
        self.assertEqual(self.article.layout, Article.Layout.EMAGAZINE)
        self.assertTrue(self.use.is_wide)
        revision = self.article.revisions.first()
        self.assertEqual(revision.data["layout"], "emagazine")
        self.assertTrue(revision.data["body_photos"][0]["is_wide"])

    def test_an_unknown_or_empty_layout_is_refused_and_nothing_is_saved(self):
        for value in ("tap-chi", ""):
            with self.subTest(value=value):
                response = self._post(layout=value, title="Tiêu đề mới")
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.context["adminform"].form.errors["layout"])
                self.article.refresh_from_db()
                self.assertEqual(self.article.layout, Article.Layout.STANDARD)
                self.assertNotEqual(self.article.title, "Tiêu đề mới")

    def test_a_post_from_a_form_without_the_field_keeps_the_layout(self):
        Article.objects.filter(pk=self.article.pk).update(layout="emagazine")
        data = article_form_data(Article.objects.get(pk=self.article.pk))
        del data["layout"]
        response = self.client.post(self.url, data)
        self.assertEqual(response.status_code, 302)
        self.article.refresh_from_db()
        self.assertEqual(self.article.layout, Article.Layout.EMAGAZINE)

    def test_a_restore_brings_back_the_layout_the_wide_photo_and_the_pull_quote(self):
        self._post(layout="emagazine", **{"body_photos-0-is_wide": "on"})
        first = self.article.revisions.get()
        self._post(
            layout="standard",
            body="<p>Viết lại, không còn trích dẫn.</p>",
            **{"body_photos-0-is_wide": ""},  # the box unticked
        )
        self.use.refresh_from_db()
        self.assertFalse(self.use.is_wide)
        self.article.refresh_from_db()
        self.assertNotIn("pull-quote", self.article.body)

        response = self.client.post(
            reverse("admin:articles_article_restore", args=[self.article.pk, 1])
        )
        self.assertEqual(response.status_code, 302)
        self.article.refresh_from_db()
        self.assertEqual(self.article.layout, Article.Layout.EMAGAZINE)
        self.assertIn(PULL_QUOTE, self.article.body)
        self.assertEqual(self.article.body, first.data["body"])
        self.assertTrue(self.article.body_photos.get().is_wide)

    def test_the_revisions_page_names_the_layout_in_words(self):
        self._post(layout="emagazine")
        self._post(layout="standard")
        page = self.client.get(
            reverse("admin:articles_article_revisions", args=[self.article.pk])
            + "?a=1&b=2"
        ).content.decode()
        self.assertIn("E-magazine (bài dài)", page)
        self.assertIn("Tiêu chuẩn", page)

    def test_a_revision_from_before_layouts_leaves_layout_and_wide_photos_alone(self):
        self._post(layout="emagazine", **{"body_photos-0-is_wide": "on"})
        old = self.article.revisions.get()
        del old.data["layout"]
        for row in old.data["body_photos"]:
            del row["is_wide"]
        old.save()
        self.client.post(
            reverse("admin:articles_article_restore", args=[self.article.pk, 1])
        )
        self.article.refresh_from_db()
        self.assertEqual(self.article.layout, Article.Layout.EMAGAZINE)
        self.assertFalse(self.article.body_photos.get().is_wide)


class PullQuoteSanitisingTests(NewsroomTestCase):
    def test_a_pull_quote_survives_saving_twice(self):
        article = ArticleFactory(body=BODY)
        article.refresh_from_db()
        self.assertIn(PULL_QUOTE, article.body)
        article.save()
        article.refresh_from_db()
        self.assertIn(PULL_QUOTE, article.body)

    def test_only_the_pull_quote_class_and_nothing_hostile_survives(self):
        cases = {
            '<blockquote class="pull-quote lead-in" onmouseover="steal()" '
            'style="position:fixed"><p>a</p></blockquote>': (
                '<blockquote class="pull-quote"><p>a</p></blockquote>'
            ),
            '<blockquote class="card__photo"><p>a</p></blockquote>': (
                "<blockquote><p>a</p></blockquote>"
            ),
            '<blockquote class="PULL-QUOTE"><p>a</p></blockquote>': (
                "<blockquote><p>a</p></blockquote>"
            ),
            '<p class="pull-quote">a</p>': "<p>a</p>",
            '<div class="pull-quote"><p>a</p></div>': "<p>a</p>",
            '<blockquote class="pull-quote"><p><a href="javascript:x()">b</a>'
            "<script>x()</script></p></blockquote>": (
                '<blockquote class="pull-quote"><p><a>b</a></p></blockquote>'
            ),
        }
        for html, kept in cases.items():
            with self.subTest(html=html):
                article = ArticleFactory(body=html)
                article.refresh_from_db()
                self.assertEqual(article.body, kept)

    def test_the_body_editor_offers_the_pull_quote(self):
        self.client.force_login(self.editor)
        page = self.client.get(reverse("admin:articles_article_add")).content.decode()
        config = re.search(r'data-django-prose-editor-configurable="([^"]*)"', page)
        self.assertIn("&quot;NodeClass&quot;", config[1])
        self.assertIn("&quot;pull-quote&quot;", config[1])


class LongformPageTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        section = SectionFactory(name="Giáo dục", slug="giao-duc")
        cls.article = ArticleFactory(
            title="Chuyến đò sớm mai đưa học trò cồn qua sông",
            section=section,
            layout=Article.Layout.EMAGAZINE,
            body=BODY,
            lead_photo=PhotoFactory(make_renditions=True, focus_y=0.2),
        )
        cls.wide = ArticlePhotoFactory(
            article=cls.article,
            after_paragraph=1,
            is_wide=True,
            photo=PhotoFactory(
                image=ContentFile(image_bytes(size=(1700, 1000)), name="do.jpg"),
                make_renditions=True,
                caption="Đò rời bến",
            ),
        )
        cls.narrow = ArticlePhotoFactory(
            article=cls.article,
            after_paragraph=4,
            photo=PhotoFactory(make_renditions=True, caption="Học trò lên bờ"),
        )

    def _page(self, article=None) -> str:
        response = self.client.get((article or self.article).get_absolute_url())
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_the_page_opens_with_the_photo_across_the_window_then_the_title(self):
        html = self._page()
        self.assertIn('class="page page--longform"', html)
        self.assertIn('class="story story--emagazine"', html)
        hero = re.search(r'<header class="longform-hero">.*?</header>', html, re.S)[0]
        # The photo first, sized for the whole window, fetched first; the
        # title under it on the page's own background.
        self.assertLess(hero.index('sizes="100vw"'), hero.index("<h1"))
        self.assertIn(f">{self.article.title}</h1>", hero)
        self.assertIn('fetchpriority="high"', hero)
        self.assertIn("focus-y-1", hero)
        self.assertEqual(html.count("<h1"), 1)
        self.assertEqual(html.count('fetchpriority="high"'), 1)
        self.assertNotIn("figure--lead", html)

    def test_a_wide_photo_leaves_the_column_and_others_stay_in_it(self):
        html = self._page()
        wide, narrow = _figures(html.split('class="story__body"')[1])[:2]
        self.assertIn('class="figure figure--wide"', wide)
        self.assertIn(f'sizes="{WIDE_SIZES}"', wide)
        self.assertIn("Đò rời bến", wide)
        self.assertIn('class="figure"', narrow)
        self.assertIn(f'sizes="{COLUMN_SIZES}"', narrow)
        # Phones pick from the small renditions, desktops from the large.
        widths = re.search(r'<img [^>]*srcset="([^"]*)"', wide)[1]
        self.assertEqual(re.findall(r" (\d+)w", widths), ["480", "800", "1200", "1600"])

    def test_the_pull_quote_and_the_reading_progress_line_are_printed(self):
        html = self._page()
        self.assertIn(PULL_QUOTE, html)
        self.assertIn('<div class="reading-progress" aria-hidden="true"></div>', html)
        self.assertIn('src="/static/js/story.js" defer', html)

    def test_a_standard_page_ignores_the_wide_mark_and_has_no_progress_line(self):
        Article.objects.filter(pk=self.article.pk).update(layout="standard")
        html = self._page()
        self.assertNotIn("figure--wide", html)
        self.assertNotIn("reading-progress", html)
        self.assertNotIn("page--longform", html)
        self.assertIn("figure--lead", html)
        for figure in _figures(html.split('class="story__body"')[1])[:2]:
            self.assertIn(f'sizes="{STORY_SIZES}"', figure)
        # The pull quote is the editor's either way.
        self.assertIn(PULL_QUOTE, html)

    def test_an_e_magazine_without_a_photo_opens_with_its_title(self):
        bare = ArticleFactory(layout=Article.Layout.EMAGAZINE, lead_photo=None)
        html = self._page(bare)
        self.assertIn('<header class="longform-hero">', html)
        self.assertNotIn("longform-hero__figure", html)
        self.assertIn(f'<h1 class="story__title">{bare.title}</h1>', html)

    def test_it_costs_the_queries_of_a_standard_article(self):
        section = SectionFactory()
        pages = []
        for layout in Article.Layout.values:
            article = ArticleFactory(
                section=section,
                layout=layout,
                body=BODY,
                lead_photo=PhotoFactory(),
                tags=["đò", "học trò"],
            )
            for order in range(3):
                CreditFactory(article=article, order=order)
                CommentFactory(article=article)
                ArticlePhotoFactory(article=article, is_wide=order % 2 == 0)
                GalleryPhotoFactory(article=article, order=order)
            pages.append(article)
        for article in pages:
            with self.subTest(layout=article.layout):
                with self.assertPageQueries(ARTICLE_PAGE_QUERIES):
                    response = self.client.get(article.get_absolute_url())
                self.assertEqual(response.status_code, 200)
        self.assertEqual(
            ArticlePhoto.objects.filter(article__in=pages, is_wide=True).count(), 4
        )
