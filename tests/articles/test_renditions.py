import io
import re
from io import StringIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from PIL import Image, ImageDraw

from articles.services import photo_make_renditions
from tests.base import (
    ARTICLE_PAGE_QUERIES,
    HOME_PAGE_QUERIES,
    NewsroomTestCase,
)
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    PhotoFactory,
    SectionFactory,
    image_bytes,
)


def _subject_on_the_right() -> bytes:
    """A wide white picture, its only dark subject near the right edge."""
    image = Image.new("RGB", (1200, 400), "white")
    ImageDraw.Draw(image).rectangle([1000, 150, 1150, 250], fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def _open(name: str) -> Image.Image:
    with default_storage.open(name, "rb") as file:
        image = Image.open(io.BytesIO(file.read()))
        image.load()
        return image


class RenditionTests(NewsroomTestCase):
    def test_a_photo_gets_every_width_in_webp_and_jpeg_never_upscaled(self):
        photo = PhotoFactory(
            image=ContentFile(image_bytes((2000, 1333)), name="rong.jpg"),
            make_renditions=True,
        )
        full = photo.renditions["full"]
        self.assertEqual([w for w, _h, _n in full["webp"]], [480, 800, 1200, 1600])
        self.assertEqual([w for w, _h, _n in full["jpeg"]], [480, 800, 1200, 1600])
        self.assertEqual(
            [(w, h) for w, h, _n in photo.renditions["card"]["jpeg"]],
            [(320, 213), (640, 427), (960, 640), (1280, 853)],
        )
        self.assertEqual(photo.renditions["share"]["jpeg"][0][:2], [1200, 630])
        self.assertEqual(_open(full["webp"][2][2]).format, "WEBP")
        self.assertEqual(_open(full["jpeg"][2][2]).size, (1200, 800))

        small = PhotoFactory(
            image=ContentFile(image_bytes((600, 400)), name="nho.jpg"),
            make_renditions=True,
        )
        self.assertEqual(
            [w for w, _h, _n in small.renditions["full"]["jpeg"]], [480, 600]
        )

    def test_card_and_share_crops_keep_the_focal_point_in_frame(self):
        def darkest(focus_x: float, crop: str) -> int:
            photo = PhotoFactory(
                image=ContentFile(_subject_on_the_right(), name="ben-phai.jpg"),
                focus_x=focus_x,
                make_renditions=True,
            )
            name = photo.renditions[crop]["jpeg"][0][2]
            return _open(name).convert("L").getextrema()[0]

        self.assertLess(darkest(0.9, "card"), 60)
        self.assertLess(darkest(0.9, "share"), 60)
        # Centred by default, the 3:2 card would cut the subject off.
        self.assertGreater(darkest(0.5, "card"), 200)

    def test_the_command_is_idempotent_and_follows_a_new_focal_point(self):
        photos = [
            PhotoFactory(image=ContentFile(image_bytes((900, 600)), name="a.jpg"))
            for _ in range(3)
        ]
        out = StringIO()
        call_command("generate_renditions", stdout=out)
        self.assertIn(
            "Renditions made: 3, already current: 0, failed: 0.", out.getvalue()
        )
        photos[0].refresh_from_db()
        before = photos[0].renditions

        out = StringIO()
        call_command("generate_renditions", stdout=out)
        self.assertIn("Renditions made: 0, already current: 3", out.getvalue())
        photos[0].refresh_from_db()
        self.assertEqual(photos[0].renditions, before)

        photos[0].focus_x = 0.1
        photos[0].save()
        with self.captureOnCommitCallbacks(execute=True):
            call_command("generate_renditions", stdout=StringIO())
        photos[0].refresh_from_db()
        self.assertNotEqual(photos[0].renditions["key"], before["key"])
        old_card = before["card"]["jpeg"][0][2]
        self.assertFalse(default_storage.exists(old_card))
        self.assertTrue(
            default_storage.exists(photos[0].renditions["card"]["jpeg"][0][2])
        )

    def test_the_dry_run_changes_nothing(self):
        photo = PhotoFactory()
        out = StringIO()
        call_command("generate_renditions", dry_run=True, stdout=out)
        self.assertIn(f"would process photo {photo.pk}", out.getvalue())
        photo.refresh_from_db()
        self.assertEqual(photo.renditions, {})

    def test_a_second_run_of_the_service_does_nothing(self):
        photo = PhotoFactory(make_renditions=True)
        self.assertFalse(photo_make_renditions(photo=photo))
        self.assertTrue(photo_make_renditions(photo=photo, force=True))


class PictureMarkupTests(NewsroomTestCase):
    def setUp(self):
        self.lead = PhotoFactory(
            image=ContentFile(image_bytes((1600, 1067)), name="lead.jpg"),
            alt_text="Cầu Rạch Miễu lúc bình minh",
            make_renditions=True,
        )
        self.article = ArticleFactory(
            lead_photo=self.lead,
            body="<p>Một.</p><p>Hai.</p>",
            section=SectionFactory(slug="giao-thong"),
        )
        ArticlePhotoFactory(
            article=self.article,
            photo=PhotoFactory(make_renditions=True, alt_text="Ảnh trong bài"),
        )

    def test_the_article_page_serves_webp_with_a_jpeg_fallback_at_fixed_sizes(self):
        html = self.client.get(self.article.get_absolute_url()).content.decode()
        lead = re.search(r"<picture>.*?</picture>", html, re.DOTALL).group(0)
        self.assertRegex(lead, r'<source type="image/webp" srcset="[^"]+ 480w, ')
        self.assertIn(".webp 1600w", lead)
        self.assertIn(".jpg 1600w", lead)
        self.assertIn('sizes="(min-width: 44.5rem) 42rem, calc(100vw - 2.5rem)"', lead)
        self.assertIn('width="1600" height="1067"', lead)
        self.assertIn('alt="Cầu Rạch Miễu lúc bình minh"', lead)
        self.assertIn('fetchpriority="high"', lead)
        self.assertNotIn('loading="lazy"', lead)

        body = html[html.index('class="story__body"') :]
        figure = re.search(r"<picture>.*?</picture>", body, re.DOTALL).group(0)
        self.assertIn('loading="lazy"', figure)
        self.assertIn('alt="Ảnh trong bài"', figure)

    def test_cards_use_the_3_2_crop(self):
        html = self.client.get(reverse("articles:home")).content.decode()
        card_name = self.lead.renditions["card"]["webp"][0][2]
        self.assertIn(card_name, html)
        self.assertNotIn(self.lead.renditions["full"]["webp"][0][2], html)
        # Only the article page's lead photo asks for high priority.
        self.assertNotIn("fetchpriority", html)

    def test_page_query_counts_stay_pinned_with_renditions(self):
        for _ in range(3):
            ArticleFactory(
                section=self.article.section,
                lead_photo=PhotoFactory(make_renditions=True),
            )
        with self.assertPageQueries(HOME_PAGE_QUERIES):
            self.client.get(reverse("articles:home"))
        with self.assertPageQueries(4):
            self.client.get(self.article.section.get_absolute_url())
        with self.assertPageQueries(ARTICLE_PAGE_QUERIES):
            self.client.get(self.article.get_absolute_url())
