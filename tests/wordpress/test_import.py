from datetime import UTC, datetime

from django.contrib.auth import get_user_model

from articles.models import Article, ArticlePhoto, Contributor, Photo, Section, Tag

from .export import (
    ImportTestCase,
    attachment,
    author,
    category,
    meta,
    post,
    tag,
    term,
    wxr,
)


class ImportTests(ImportTestCase):
    def test_it_imports_authors_as_contributors_with_accounts_that_cannot_log_in(self):
        self.run_import(
            wxr(author(), author("bientap", "Hữu Hiệp", 3)), "--roles", "bientap=editor"
        )
        huyen = Contributor.objects.get(name="Thu Huyền")
        self.assertEqual(huyen.user.username, "thuhuyen")
        self.assertFalse(huyen.user.has_usable_password())
        self.assertTrue(huyen.user.is_staff)
        self.assertEqual(
            list(huyen.user.groups.values_list("name", flat=True)), ["Phóng viên"]
        )
        editor = get_user_model().objects.get(username="bientap")
        self.assertEqual(
            list(editor.groups.values_list("name", flat=True)), ["Biên tập viên"]
        )

    def test_it_keeps_the_category_tree_and_flattens_deeper_levels(self):
        out = self.run_import(
            wxr(
                category(1, "kinh-te", "Kinh tế"),
                category(2, "nong-nghiep", "Nông nghiệp", parent="kinh-te"),
                category(3, "dua", "Cây dừa", parent="nong-nghiep"),
                tag(9, "ben-tre", "Bến Tre"),
            )
        )
        economy = Section.objects.get(slug="kinh-te")
        self.assertIsNone(economy.parent)
        self.assertEqual(Section.objects.get(slug="nong-nghiep").parent, economy)
        self.assertEqual(Section.objects.get(slug="dua").parent, economy)
        self.assertIn("placed under “Kinh tế”", out)
        self.assertTrue(Tag.objects.filter(name="Bến Tre").exists())

    def test_terms_given_twice_are_made_once(self):
        self.run_import(
            wxr(
                category(1, "thoi-su", "Thời sự"),
                term(1, "category", "thoi-su", "Thời sự"),
                tag(9, "ben-tre", "Bến Tre"),
                term(9, "post_tag", "ben-tre", "Bến Tre"),
                term(30, "nav_menu", "menu-chinh", "Menu chính"),
            )
        )
        self.assertEqual(Section.objects.count(), 1)
        self.assertEqual(Tag.objects.count(), 1)

    def test_it_imports_a_post_with_its_fields(self):
        body = (
            "<!-- wp:paragraph -->\n<p>Đoạn <strong>một</strong>.</p>\n"
            "<!-- /wp:paragraph -->\n\nDòng một\ndòng hai\n\n"
            "Tin, ảnh: Thu Huyền\n\nNguồn: Báo Nhân Dân"
        )
        self.run_import(
            wxr(
                author(),
                category(1, "thoi-su", "Thời sự"),
                tag(9, "ben-tre", "Bến Tre"),
                post(
                    10,
                    "Hội nghị dân vận",
                    body,
                    slug="hoi-nghi-dan-van",
                    categories=["thoi-su"],
                    tags=["ben-tre"],
                    excerpt="Sáng 3-5, tỉnh tổ chức hội nghị.",
                ),
            )
        )
        article = Article.objects.get()
        self.assertEqual(article.title, "Hội nghị dân vận")
        self.assertEqual(article.slug, "hoi-nghi-dan-van")
        self.assertEqual(article.lead, "Sáng 3-5, tỉnh tổ chức hội nghị.")
        self.assertEqual(
            article.body,
            "<p>Đoạn <strong>một</strong>.</p><p>Dòng một<br>\ndòng hai</p>",
        )
        self.assertEqual(article.status, Article.Status.PUBLISHED)
        self.assertEqual(article.published_at, datetime(2024, 5, 3, 1, 30, tzinfo=UTC))
        self.assertEqual(article.section.slug, "thoi-su")
        self.assertEqual([t.name for t in article.tags.all()], ["Bến Tre"])
        self.assertEqual(article.byline, "Tin, ảnh: Thu Huyền")
        self.assertEqual(article.source_name, "Báo Nhân Dân")
        self.assertTrue(article.is_public)

    def test_it_credits_the_wordpress_author_without_a_credit_line(self):
        self.run_import(wxr(author(), post(10)))
        self.assertEqual(Article.objects.get().byline, "Tin: Thu Huyền")

    def test_it_maps_statuses(self):
        self.run_import(
            wxr(
                post(1, status="publish"),
                post(2, status="future", date_gmt="2099-01-01 01:00:00"),
                post(3, status="draft", date_gmt="0000-00-00 00:00:00"),
                post(4, status="pending"),
                post(5, status="private"),
                post(6, status="trash"),
                post(7, password="bi-mat"),
            )
        )
        statuses = dict(Article.objects.values_list("slug", "status"))
        self.assertEqual(
            statuses,
            {
                "bai-1": "published",
                "bai-2": "scheduled",
                "bai-3": "draft",
                "bai-4": "in_review",
                "bai-5": "draft",
                "bai-7": "draft",
            },
        )
        scheduled = Article.objects.get(slug="bai-2")
        self.assertEqual(scheduled.published_at, datetime(2099, 1, 1, 1, tzinfo=UTC))
        self.assertFalse(scheduled.is_public)
        report = (self.tmp / "report.txt").read_text()
        self.assertIn("skipped: status trash: 1", report)
        self.assertIn("post 7: password-protected", report)

    def test_pages_go_to_a_section_of_their_own(self):
        self.run_import(wxr(post(5, "Giới thiệu", post_type="page", slug="gioi-thieu")))
        page = Article.objects.get()
        self.assertEqual(page.section.slug, "trang")
        self.assertFalse(page.section.is_on_home)

    def test_a_sticky_post_becomes_the_home_page_lead(self):
        self.run_import(wxr(post(1, sticky=True), post(2)))
        self.assertEqual(
            Article.objects.get(slug="bai-1").home_placement,
            Article.HomePlacement.LEAD,
        )
        self.assertEqual(Article.objects.get(slug="bai-2").home_placement, "")
        response = self.client.get("/")
        self.assertContains(response, "Hội nghị tổng kết công tác dân vận")

    def test_attachments_become_photos_from_the_original_file(self):
        self.picture("2024/05/dua.jpg", size=(1200, 800))
        self.picture("2024/05/dua-300x200.jpg", size=(300, 200))
        self.run_import(
            wxr(
                attachment(20, "2024/05/dua.jpg", caption="Vườn dừa", alt="Cây dừa"),
                post(10, extra=meta("_thumbnail_id", 20)),
            )
        )
        photo = Photo.objects.get()
        self.assertEqual((photo.width, photo.height), (1200, 800))
        self.assertEqual(photo.caption, "Vườn dừa")
        self.assertEqual(photo.alt_text, "Cây dừa")
        self.assertTrue(photo.renditions)
        self.assertEqual(Article.objects.get().lead_photo, photo)

    def test_captions_and_figures_become_body_photos(self):
        self.picture("2024/05/dua.jpg", size=(1200, 800))
        self.picture("2024/05/song.jpg")
        body = (
            "Đoạn một.\n\n"
            '[caption id="attachment_20" width="300"]<a href="x"><img '
            'src="https://baocu.vn/wp-content/uploads/2024/05/dua-300x200.jpg" '
            'class="wp-image-20" alt="Dừa" /></a> Vườn dừa Chợ Lách[/caption]\n\n'
            "Đoạn hai.\n\n"
            '<figure class="wp-block-image"><img src="https://baocu.vn/wp-content/'
            'uploads/2024/05/song.jpg" alt="Sông"/><figcaption>Sông Tiền</figcaption>'
            "</figure>\n\nĐoạn ba."
        )
        self.run_import(
            wxr(attachment(20, "2024/05/dua.jpg", alt="Cây dừa"), post(10, body=body))
        )
        article = Article.objects.get()
        self.assertEqual(
            article.body, "<p>Đoạn một.</p><p>Đoạn hai.</p><p>Đoạn ba.</p>"
        )
        uses = list(ArticlePhoto.objects.order_by("after_paragraph"))
        self.assertEqual(
            [(u.after_paragraph, u.caption) for u in uses],
            [(1, "Vườn dừa Chợ Lách"), (2, "Sông Tiền")],
        )
        self.assertEqual(uses[0].photo.alt_text, "Cây dừa")
        self.assertEqual(Photo.objects.count(), 2)

    def test_a_gallery_becomes_the_photo_story(self):
        self.picture("2024/05/a.jpg")
        self.picture("2024/05/b.jpg")
        out = self.run_import(
            wxr(
                attachment(20, "2024/05/a.jpg"),
                attachment(21, "2024/05/b.jpg"),
                post(10, body='Ảnh.\n\n[gallery ids="21,20,99"]'),
            )
        )
        article = Article.objects.get()
        self.assertEqual(article.body, "<p>Ảnh.</p>")
        self.assertEqual(
            [
                g.photo.image.name.rsplit("/", 1)[-1][0]
                for g in article.gallery_photos.all()
            ],
            ["b", "a"],
        )
        self.assertIn("post 10: gallery photo 99", out)
        self.assertNotIn("[gallery]", out)

    def test_a_missing_file_is_reported_and_the_article_still_imported(self):
        body = '<img src="https://baocu.vn/wp-content/uploads/2024/05/mat.jpg">\n\nA.'
        out = self.run_import(
            wxr(
                attachment(20, "2024/05/khong-co.jpg"),
                post(10, body=body, extra=meta("_thumbnail_id", 20)),
            )
        )
        article = Article.objects.get()
        self.assertIsNone(article.lead_photo)
        self.assertEqual(article.body, "<p>A.</p>")
        self.assertIn("attachment 20: 2024/05/khong-co.jpg", out)
        self.assertIn(
            "post 10: https://baocu.vn/wp-content/uploads/2024/05/mat.jpg", out
        )
        self.assertFalse(Photo.objects.exists())

    def test_unknown_shortcodes_are_kept_and_reported(self):
        out = self.run_import(
            wxr(post(10, body="Xem video.\n\n[embed]https://youtu.be/x[/embed]"))
        )
        self.assertIn("[embed]https://youtu.be/x[/embed]", Article.objects.get().body)
        self.assertIn("[embed] x1, in post 10", out)

    def test_it_writes_the_report_file(self):
        self.run_import(wxr(author(), post(10)))
        report = (self.tmp / "report.txt").read_text()
        self.assertIn("post: imported 1", report)
        self.assertIn("author: imported 1", report)
