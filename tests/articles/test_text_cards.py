"""A story without a photo is a text card wherever cards are printed: no
image, no frame waiting for one. Cards with photos are as they were."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.templatetags.articles import card
from tests.base import NewsroomTestCase
from tests.factories import (
    ArticleFactory,
    ContributorFactory,
    CreditFactory,
    PhotoFactory,
    SectionFactory,
)

Placement = Article.HomePlacement
_CARD = re.compile(r'<article class="card[^"]*">.*?</article>', re.S)
_PHOTO_MARKS = ("<img", "<picture", "card__photo", "<figure", "<source")


def _cards_of(html: str, article) -> list[str]:
    url = article.get_absolute_url()
    return [c for c in _CARD.findall(html) if f'href="{url}"' in c]


class CardTagTests(NewsroomTestCase):
    def _listed(self, article):
        return Article.objects.for_listing().get(pk=article.pk)

    def test_a_card_without_a_photo_prints_no_image_and_says_it_is_text(self):
        article = self._listed(ArticleFactory(lead_photo=None))
        for options in ({}, {"large": True}, {"show_lead": True}):
            with self.subTest(**options):
                html = card(article, **options)
                self.assertIn("card--text", html)
                for mark in _PHOTO_MARKS:
                    self.assertNotIn(mark, html)
                self.assertIn(f">{article.title}</a></h3>", html)

    def test_a_small_text_card_carries_the_start_of_its_lead(self):
        lead = " ".join(f"chữ{i}" for i in range(60))
        article = self._listed(ArticleFactory(lead_photo=None, lead=lead))
        brief = re.search(
            r'<p class="card__lead card__lead--brief">([^<]*)</p>', card(article)
        )
        self.assertEqual(brief[1], " ".join(lead.split()[:24]) + "…")
        # A card that prints its lead prints it once.
        self.assertEqual(card(article, show_lead=True).count("card__lead"), 1)

    def test_a_card_with_a_photo_is_unchanged(self):
        article = self._listed(ArticleFactory(lead_photo=PhotoFactory()))
        url = article.get_absolute_url()
        html = card(article)
        self.assertRegex(
            html,
            r'^<article class="card"><a class="card__photo" href="'
            + re.escape(url)
            + r'" tabindex="-1" aria-hidden="true"><picture>.*</picture></a>'
            r'<div class="card__text"><h3 class="card__title"><a href="'
            + re.escape(url)
            + r'">[^<]+</a></h3><p class="card__meta"><time datetime="[^"]+">'
            r"[^<]+</time></p></div></article>$",
        )
        self.assertIn(
            '<article class="card card--large"><a class="card__photo"',
            card(article, large=True),
        )
        self.assertNotIn("card--text", card(article, large=True, show_lead=True))


class TextCardPagesTests(NewsroomTestCase):
    """Every page that prints cards, with stories with and without photos."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        now = timezone.now()
        cls.section = SectionFactory(name="Văn hóa", slug="van-hoa")
        cls.writer = ContributorFactory(slug="bao-tran")
        cls.with_photo, cls.without_photo = [], []
        for i in range(12):
            photo = PhotoFactory() if i % 2 else None
            article = ArticleFactory(
                title=f"Lễ hội dừa lần thứ {i}",
                section=cls.section,
                lead_photo=photo,
                published_at=now - timedelta(hours=i + 1),
                tags=["lễ hội dừa"],
            )
            CreditFactory(article=article, contributor=cls.writer)
            (cls.with_photo if photo else cls.without_photo).append(article)
        # A photo-less story leads the home page and another is featured.
        cls.lead = ArticleFactory(
            title="Tin chính không ảnh",
            section=cls.section,
            lead_photo=None,
            home_placement=Placement.LEAD,
        )
        cls.featured = ArticleFactory(
            title="Tin nổi bật không ảnh",
            section=cls.section,
            lead_photo=None,
            home_placement=Placement.FEATURED,
        )

    def _get(self, url: str) -> str:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def _assert_cards(self, html: str, articles_without, articles_with):
        found = 0
        for article in articles_without:
            for text_card in _cards_of(html, article):
                found += 1
                self.assertIn("card--text", text_card)
                for mark in _PHOTO_MARKS:
                    self.assertNotIn(mark, text_card)
        self.assertTrue(found, "no photo-less card on the page")
        shown = [c for a in articles_with for c in _cards_of(html, a)]
        self.assertTrue(shown, "no card with a photo on the page")
        for photo_card in shown:
            self.assertNotIn("card--text", photo_card)
            self.assertIn('<a class="card__photo"', photo_card)

    def test_home_lead_featured_latest_and_section_blocks(self):
        html = self._get(reverse("articles:home"))
        without = [self.lead, self.featured, *self.without_photo]
        self._assert_cards(html, without, self.with_photo)
        lead = re.search(r'<div class="front__lead">(.*?)</div>\s*<div', html, re.S)
        self.assertIn("card--large card--text", lead[1])
        featured = re.search(r'<div class="featured__grid">(.*?)</section>', html, re.S)
        self.assertIn(self.featured.title, featured[1])
        blocks = html[html.index('class="home-columns"') :]
        self.assertTrue(any(_cards_of(blocks, a) for a in self.without_photo))

    def test_section_tag_contributor_and_archive_listings(self):
        today = timezone.localdate()
        for url in (
            self.section.get_absolute_url(),
            reverse("articles:tag", kwargs={"slug": "le-hoi-dua"}),
            self.writer.get_absolute_url(),
            reverse("articles:archive_month", args=[today.year, today.month]),
        ):
            with self.subTest(url=url):
                self._assert_cards(self._get(url), self.without_photo, self.with_photo)

    def test_related_block_under_an_article(self):
        html = self._get(self.with_photo[0].get_absolute_url())
        related = html[html.index('<section class="related"') :]
        related = related[: related.index("</section>")]
        self._assert_cards(related, self.without_photo, self.with_photo[1:])

    def test_search_results_are_text_for_every_story(self):
        html = self._get(reverse("articles:search") + "?q=le+hoi+dua")
        results = re.findall(r'<li class="result">.*?</li>', html, re.S)
        self.assertEqual(len(results), 12)
        for result in results:
            for mark in _PHOTO_MARKS:
                self.assertNotIn(mark, result)
