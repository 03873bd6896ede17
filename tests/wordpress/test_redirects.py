from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Photo, Section
from wordpress.models import Redirect

from .export import (
    ImportTestCase,
    attachment,
    author,
    category,
    meta,
    post,
    tag,
    wxr,
)


class RedirectTests(ImportTestCase):
    def export(self, **kwargs) -> str:
        return wxr(
            author(),
            category(1, "kinh-te", "Kinh tế"),
            category(2, "nong-nghiep", "Nông nghiệp", parent="kinh-te"),
            tag(9, "ben-tre", "Bến Tre"),
            attachment(20, "2024/05/dua.jpg", alt="Cây dừa"),
            post(
                10,
                slug="hoi-nghi",
                categories=["nong-nghiep"],
                extra=meta("_wp_old_slug", "hoi-nghi-cu"),
                **kwargs,
            ),
            post(11, "Giới thiệu", post_type="page", slug="gioi-thieu"),
            post(12, slug="nhap", status="draft"),
        )

    def assertRedirects301(self, old: str, new: str):
        response = self.client.get(old)
        self.assertEqual(response.status_code, 301, old)
        self.assertEqual(response["Location"], new)

    def test_old_post_addresses_answer_301_to_the_article(self):
        self.picture("2024/05/dua.jpg")
        self.run_import(self.export())
        article = Article.objects.get(slug="hoi-nghi")
        url = article.get_absolute_url()
        self.assertRedirects301("/hoi-nghi/", url)
        self.assertRedirects301("/hoi-nghi", url)
        self.assertRedirects301("/hoi-nghi-cu/", url)
        self.assertRedirects301("/?p=10", url)
        page = Article.objects.get(slug="gioi-thieu")
        self.assertRedirects301("/gioi-thieu/", page.get_absolute_url())
        self.assertRedirects301("/?page_id=11", page.get_absolute_url())
        self.assertEqual(self.client.get("/nhap/").status_code, 404)

    def test_other_permalink_structures(self):
        for structure, old in [
            ("/%year%/%monthnum%/%day%/%postname%/", "/2024/05/03/hoi-nghi/"),
            ("/%category%/%postname%/", "/kinh-te/nong-nghiep/hoi-nghi/"),
            ("/archives/%post_id%", "/archives/10"),
        ]:
            with self.subTest(structure):
                self.run_import(self.export(), "--permalinks", structure)
                url = Article.objects.get(slug="hoi-nghi").get_absolute_url()
                self.assertRedirects301(old, url)

    def test_terms_authors_photos_and_the_feed(self):
        self.picture("2024/05/dua.jpg")
        self.run_import(self.export())
        child = Section.objects.get(slug="nong-nghiep")
        self.assertRedirects301(
            "/category/kinh-te/nong-nghiep/", child.get_absolute_url()
        )
        self.assertRedirects301("/tag/ben-tre/", "/chu-de/ben-tre/")
        self.assertRedirects301("/author/thuhuyen/", "/tac-gia/thu-huyen/")
        photo = Photo.objects.get()
        self.assertRedirects301("/wp-content/uploads/2024/05/dua.jpg", photo.image.url)
        self.assertRedirects301(
            "/wp-content/uploads/2024/05/dua-300x200.jpg", photo.image.url
        )
        self.assertRedirects301("/anh-20/", photo.image.url)
        self.assertRedirects301("/feed/", "/rss/tin-moi-nhat.rss")

    def test_a_redirect_never_shadows_a_page_of_the_paper(self):
        self.run_import(self.export())
        Redirect.objects.create(old_path="/chu-de/ben-tre/", target_url="/khac/")
        response = self.client.get("/chu-de/ben-tre/")
        self.assertEqual(response.status_code, 200)

    def test_an_unknown_address_stays_a_404(self):
        self.assertEqual(self.client.get("/khong-co/").status_code, 404)
        self.assertEqual(self.client.get("/?p=999").status_code, 200)

    def test_editors_manage_redirects_in_the_admin(self):
        Redirect.objects.create(old_path="/cu/", target_url="/moi/")
        self.client.force_login(self.chief)
        self.chief.is_superuser = True
        self.chief.save()
        response = self.client.get("/quan-tri/wordpress/redirect/?q=cu")
        self.assertContains(response, "/cu/")

    def test_a_redirect_is_offered_only_the_papers_kinds_of_page(self):
        self.chief.is_superuser = True
        self.chief.save()
        self.client.force_login(self.chief)
        form = self.client.get("/quan-tri/wordpress/redirect/add/")
        self.assertContains(form, ">Bài viết | bài viết</option>")
        self.assertContains(form, ">Bài viết | chuyên mục</option>")
        # Not sessions, permissions or a third-party model's English name.
        self.assertNotContains(form, "phiên")
        self.assertNotContains(form, "TOTP")
        Redirect.objects.create(old_path="/cu/", target_url="/moi/")
        listing = self.client.get("/quan-tri/wordpress/redirect/")
        self.assertNotContains(listing, "TOTP")


class OwnAddressTests(ImportTestCase):
    def test_a_404_from_one_of_our_own_addresses_is_never_redirected(self):
        Redirect.objects.create(old_path="/chu-de/khong-co/", target_url="/moi/")
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get("/chu-de/khong-co/")
        self.assertEqual(response.status_code, 404)
        self.assertFalse(
            [q for q in queries.captured_queries if "wordpress_redirect" in q["sql"]]
        )
