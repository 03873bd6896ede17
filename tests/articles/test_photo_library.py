import re

from django.core.files.storage import default_storage
from django.urls import reverse

from articles.models import GalleryPhoto, Photo
from tests.base import NewsroomTestCase, article_form_data
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    ContributorFactory,
    GalleryPhotoFactory,
    PhotoFactory,
)


class PhotoLibraryTests(NewsroomTestCase):
    def setUp(self):
        self.client.force_login(self.editor)
        self.agency = PhotoFactory(
            caption="Lũ về đồng bằng", credit_text="TTXVN", photographer=None
        )
        self.own = PhotoFactory(
            caption="Vườn dừa Chợ Lách",
            photographer=ContributorFactory(name="Hữu Hiệp"),
        )
        self.url = reverse("admin:articles_photo_changelist")

    def test_the_library_searches_caption_agency_and_photographer(self):
        for query, found, missing in (
            ("TTXVN", self.agency, self.own),
            ("Hữu Hiệp", self.own, self.agency),
            ("Chợ Lách", self.own, self.agency),
        ):
            with self.subTest(query):
                response = self.client.get(self.url, {"q": query})
                self.assertContains(response, found.caption)
                self.assertNotContains(response, missing.caption)

    def test_the_library_filters_by_upload_date(self):
        year = self.own.created_at.year
        response = self.client.get(self.url, {"created_at__year": year})
        self.assertContains(response, "Vườn dừa Chợ Lách")
        response = self.client.get(self.url, {"created_at__year": year - 3})
        self.assertNotContains(response, "Vườn dừa Chợ Lách")

    def test_a_photo_shows_every_article_that_uses_it(self):
        lead = ArticleFactory(title="Bài dùng làm ảnh đầu", lead_photo=self.own)
        body = ArticleFactory(title="Bài dùng trong thân bài")
        ArticlePhotoFactory(article=body, photo=self.own)
        story = ArticleFactory(title="Phóng sự ảnh mùa dừa")
        GalleryPhotoFactory(article=story, photo=self.own)

        page = self.client.get(
            reverse("admin:articles_photo_change", args=[self.own.pk])
        )
        for article, where in (
            (lead, "ảnh đầu bài"),
            (body, "ảnh trong bài"),
            (story, "phóng sự ảnh"),
        ):
            self.assertContains(page, article.title)
            self.assertContains(page, f"({where})")
        self.assertContains(page, "js/focal-point.js")
        self.assertContains(page, "data-focal-point")

        listing = self.client.get(self.url).content.decode()
        row = re.search(r"<tr>.*?Vườn dừa Chợ Lách.*?</tr>", listing, re.DOTALL)
        self.assertIn('<td class="field-use_count">3</td>', row.group(0))
        # Column 5 is the use count; least used first beats "newest first".
        least_used_first = self.client.get(self.url, {"o": "5"}).content.decode()
        self.assertLess(
            least_used_first.index("Lũ về đồng bằng"),
            least_used_first.index("Vườn dừa Chợ Lách"),
        )

    def test_clicking_a_new_focal_point_recuts_the_renditions(self):
        photo = PhotoFactory(make_renditions=True, alt_text="Cây cầu")
        old_key = photo.renditions["key"]
        response = self.client.post(
            reverse("admin:articles_photo_change", args=[photo.pk]),
            {
                "caption": photo.caption,
                "alt_text": photo.alt_text,
                "photographer": photo.photographer_id,
                "credit_text": "",
                "focus_x": "0.812",
                "focus_y": "0.300",
            },
        )
        self.assertEqual(response.status_code, 302)
        photo.refresh_from_db()
        self.assertEqual((photo.focus_x, photo.focus_y), (0.812, 0.3))
        self.assertNotEqual(photo.renditions["key"], old_key)

    def test_a_focal_point_outside_the_photo_is_refused(self):
        photo = PhotoFactory()
        response = self.client.post(
            reverse("admin:articles_photo_change", args=[photo.pk]),
            {"alt_text": "Ảnh", "focus_x": "1.5", "focus_y": "0.5"},
        )
        self.assertEqual(response.status_code, 200)
        photo.refresh_from_db()
        self.assertEqual(photo.focus_x, 0.5)

    def test_deleting_a_photo_removes_its_files_and_a_used_one_is_kept(self):
        photo = PhotoFactory(make_renditions=True)
        names = [photo.image.name, photo.renditions["card"]["webp"][0][2]]
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("admin:articles_photo_delete", args=[photo.pk]),
                {"post": "yes"},
            )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Photo.objects.filter(pk=photo.pk).exists())
        for name in names:
            self.assertFalse(default_storage.exists(name), name)

        used = PhotoFactory()
        ArticleFactory(lead_photo=used)
        ArticlePhotoFactory(photo=used)
        self.client.post(
            reverse("admin:articles_photo_delete", args=[used.pk]), {"post": "yes"}
        )
        self.assertTrue(Photo.objects.filter(pk=used.pk).exists())
        self.assertTrue(default_storage.exists(used.image.name))


class PhotoStoryTests(NewsroomTestCase):
    def test_a_photo_story_shows_its_pictures_in_order_after_the_body(self):
        article = ArticleFactory(body="<p>Thân bài ngắn.</p>")
        second = PhotoFactory(caption="Chú thích gốc thứ hai")
        first = PhotoFactory(
            caption="Chú thích gốc thứ nhất", credit_text="TTXVN", photographer=None
        )
        GalleryPhotoFactory(article=article, photo=second, order=2)
        GalleryPhotoFactory(
            article=article, photo=first, order=1, caption="Ghe chở dừa trên sông"
        )
        html = self.client.get(article.get_absolute_url()).content.decode()
        gallery = html[html.index("Thân bài ngắn.") :]
        self.assertRegex(
            gallery,
            re.compile(
                r'class="gallery".*1/2</span> Ghe chở dừa trên sông.*Ảnh: TTXVN.*'
                r"2/2</span> Chú thích gốc thứ hai",
                re.DOTALL,
            ),
        )
        self.assertNotIn("Chú thích gốc thứ nhất", html)

    def test_the_chief_editor_builds_a_photo_story_in_the_article_form(self):
        # A published story: only the chief editor may still change it.
        self.client.force_login(self.chief)
        article = ArticleFactory()
        photo = PhotoFactory()
        url = reverse("admin:articles_article_change", args=[article.pk])
        data = article_form_data(article)
        data.update(
            {
                "gallery_photos-TOTAL_FORMS": "1",
                "gallery_photos-0-order": "1",
                "gallery_photos-0-photo": photo.pk,
                "gallery_photos-0-caption": "Chợ nổi lúc sáng sớm",
            }
        )
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        use = GalleryPhoto.objects.get(article=article)
        self.assertEqual((use.photo, use.caption), (photo, "Chợ nổi lúc sáng sớm"))
