"""Every save keeps a revision; compare, restore, and refuse stale saves."""

import re

from django.urls import reverse

from articles.models import Article, ArticlePhoto, GalleryPhoto
from articles.services import article_transition, photo_delete
from tests.base import NewsroomTestCase, article_form_data, assert_in_order
from tests.factories import (
    ArticleFactory,
    ContributorFactory,
    CreditFactory,
    PhotoFactory,
)

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


class CompleteRevisionTests(NewsroomTestCase):
    """A revision keeps what readers saw: body photos, the photo story,
    credits and tags, and a restore brings them all back."""

    def setUp(self):
        # A published story: only the chief editor may still change it.
        self.client.force_login(self.chief)
        self.article = ArticleFactory(
            title="Chợ nổi Cái Bè vào mùa Tết",
            body="<p>Đoạn mở đầu.</p><p>Đoạn giữa bài.</p><p>Đoạn kết bài.</p>",
            tags=["chợ nổi"],
        )
        self.writer = ContributorFactory(name="Hữu Hiệp")
        CreditFactory(article=self.article, contributor=self.writer, roles=["text"])
        self.photos = {
            name: PhotoFactory(caption=f"Ảnh thư viện {name}")
            for name in ("ghe", "trai-cay", "ben", "nguoi-ban", "hoang-hon")
        }
        self.url = reverse("admin:articles_article_change", args=[self.article.pk])

    def _save(self, **changes):
        self.article.refresh_from_db()
        response = self.client.post(
            self.url, article_form_data(self.article, **changes)
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        self.article.refresh_from_db()
        return self.article.revisions.first()

    def _first_version(self):
        """Two photos in the body and a photo story of three, saved in the admin."""
        p = self.photos
        return self._save(
            **{
                "body_photos-TOTAL_FORMS": "2",
                "body_photos-0-photo": p["ghe"].pk,
                "body_photos-0-after_paragraph": "1",
                "body_photos-0-caption": "Ghe chở dừa về chợ",
                "body_photos-1-photo": p["trai-cay"].pk,
                "body_photos-1-after_paragraph": "2",
                "body_photos-1-caption": "",
                "gallery_photos-TOTAL_FORMS": "3",
                "gallery_photos-0-photo": p["ben"].pk,
                "gallery_photos-0-order": "1",
                "gallery_photos-0-caption": "Bến chợ lúc rạng sáng",
                "gallery_photos-1-photo": p["nguoi-ban"].pk,
                "gallery_photos-1-order": "2",
                "gallery_photos-1-caption": "Người bán trên ghe",
                "gallery_photos-2-photo": p["hoang-hon"].pk,
                "gallery_photos-2-order": "3",
                "gallery_photos-2-caption": "",
            }
        )

    def _second_version(self):
        """The body photos moved and one removed, the story reordered and cut,
        another writer credited, the tags changed."""
        self.article.refresh_from_db()
        data = article_form_data(self.article)
        body = {data[f"body_photos-{i}-photo"]: i for i in range(2)}
        story = {data[f"gallery_photos-{i}-photo"]: i for i in range(3)}
        p = self.photos
        ghe, trai_cay = body[p["ghe"].pk], body[p["trai-cay"].pk]
        ben, hoang_hon = story[p["ben"].pk], story[p["hoang-hon"].pk]
        nguoi_ban = story[p["nguoi-ban"].pk]
        photographer = ContributorFactory(name="Thu Huyền")
        data.update(
            {
                f"body_photos-{ghe}-after_paragraph": "3",
                f"body_photos-{ghe}-caption": "Chú thích viết lại",
                f"body_photos-{trai_cay}-DELETE": "on",
                f"gallery_photos-{hoang_hon}-order": "0",
                f"gallery_photos-{ben}-order": "5",
                f"gallery_photos-{nguoi_ban}-DELETE": "on",
                "credits-TOTAL_FORMS": "2",
                "credits-1-contributor": photographer.pk,
                "credits-1-roles": ["photo"],
                "credits-1-order": "1",
                "tags": "chợ nổi, Tiền Giang",
            }
        )
        response = self.client.post(self.url, data)
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        self.article.refresh_from_db()
        return self.article.revisions.first()

    def _restore(self, revision):
        return self.client.post(
            reverse(
                "admin:articles_article_restore",
                args=[self.article.pk, revision.number],
            ),
            follow=True,
        )

    def _page(self) -> str:
        self.client.logout()
        html = self.client.get(self.article.get_absolute_url()).content.decode()
        self.client.force_login(self.chief)
        return html

    def test_every_revision_records_the_body_photos_and_the_photo_story(self):
        first = self._first_version()
        p = self.photos
        self.assertEqual(
            first.data["body_photos"],
            [
                {
                    "photo_id": p["ghe"].pk,
                    "after_paragraph": 1,
                    "is_wide": False,
                    "caption": "Ghe chở dừa về chợ",
                    "shown_caption": "Ghe chở dừa về chợ",
                },
                {
                    "photo_id": p["trai-cay"].pk,
                    "after_paragraph": 2,
                    "is_wide": False,
                    "caption": "",
                    # What readers saw: the library's caption.
                    "shown_caption": "Ảnh thư viện trai-cay",
                },
            ],
        )
        self.assertEqual(
            [(u["photo_id"], u["order"]) for u in first.data["gallery_photos"]],
            [(p["ben"].pk, 1), (p["nguoi-ban"].pk, 2), (p["hoang-hon"].pk, 3)],
        )
        self.assertEqual(first.data["credits"][0]["roles"], ["text"])
        self.assertEqual(first.data["tags"], ["chợ nổi"])

    def test_restoring_brings_back_the_photos_their_order_credits_and_tags(self):
        first = self._first_version()
        self._second_version()
        changed = self._page()
        self.assertNotIn("Người bán trên ghe", changed)
        assert_in_order(
            self,
            changed,
            ["Đoạn kết bài.", "Chú thích viết lại", "1/2", "Ảnh thư viện hoang-hon"],
        )

        response = self._restore(first)
        self.assertContains(response, "Đã khôi phục thành một phiên bản mới")

        html = self._page()
        assert_in_order(
            self,
            html,
            [
                "Đoạn mở đầu.",
                "Ghe chở dừa về chợ",
                "Đoạn giữa bài.",
                "Ảnh thư viện trai-cay",
                "Đoạn kết bài.",
                "1/3</span> Bến chợ lúc rạng sáng",
                "2/3</span> Người bán trên ghe",
                "3/3</span> Ảnh thư viện hoang-hon",
                "Hữu Hiệp",
            ],
        )
        self.assertNotIn("Chú thích viết lại", html)
        self.assertNotIn("Thu Huyền", html)
        self.assertNotIn("Tiền Giang", html)
        # The restore is itself a revision holding what it put back.
        latest = self.article.revisions.first()
        for key in ("body_photos", "gallery_photos", "credits", "tags"):
            self.assertEqual(latest.data[key], first.data[key], key)

    def test_the_comparison_lists_changes_to_photos_credits_and_tags(self):
        first = self._first_version()
        second = self._second_version()
        response = self.client.get(
            reverse("admin:articles_article_revisions", args=[self.article.pk]),
            {"a": first.number, "b": second.number},
        )
        html = response.content.decode()
        rows = {
            label: row
            for label, row in re.findall(
                r'<tr class="changed"><th>([^<]*)</th>(.*?)</tr>', html, re.DOTALL
            )
        }
        self.assertIn("Ảnh trong bài", rows)
        self.assertIn("<del>1: Ghe chở dừa về chợ</del>", rows["Ảnh trong bài"])
        self.assertIn("<ins>3: Chú thích viết lại</ins>", rows["Ảnh trong bài"])
        self.assertIn("Ảnh thư viện trai-cay", rows["Ảnh trong bài"])
        self.assertIn("Phóng sự ảnh", rows)
        self.assertIn("Người bán trên ghe", rows["Phóng sự ảnh"])
        self.assertIn("Thu Huyền (ảnh)</ins>", rows["Tác giả"])
        self.assertIn("<ins>Tiền Giang,</ins>", rows["Từ khóa"])

    def test_an_old_revision_that_did_not_record_photos_leaves_them_in_place(self):
        old = self._first_version()
        # A revision written before photos were recorded.
        data = {
            k: v
            for k, v in old.data.items()
            if k not in ("body_photos", "gallery_photos")
        }
        type(old).objects.filter(pk=old.pk).update(data=data)
        self._second_version()
        before = (
            list(self.article.body_photos.values_list("photo", "after_paragraph")),
            list(self.article.gallery_photos.values_list("photo", "order")),
        )
        response = self.client.get(
            reverse("admin:articles_article_revisions", args=[self.article.pk]),
            {"a": old.number, "b": self.article.revisions.first().number},
        )
        self.assertContains(response, "(phiên bản này không ghi lại)")

        self._restore(old)

        after = (
            list(self.article.body_photos.values_list("photo", "after_paragraph")),
            list(self.article.gallery_photos.values_list("photo", "order")),
        )
        self.assertEqual(after, before)
        self.article.refresh_from_db()
        self.assertEqual(self.article.credits.get().contributor, self.writer)

    def test_a_photo_deleted_from_the_library_is_skipped_and_named(self):
        first = self._first_version()
        gone = self.photos["trai-cay"]
        ArticlePhoto.objects.filter(photo=gone).delete()
        GalleryPhoto.objects.filter(photo=self.photos["hoang-hon"]).delete()
        with self.committed():
            photo_delete(photo=gone)
            photo_delete(photo=self.photos["hoang-hon"])

        response = self._restore(first)

        self.assertContains(response, "1 ảnh trong bài đã bị xóa khỏi thư viện")
        self.assertContains(response, "1 ảnh phóng sự đã bị xóa khỏi thư viện")
        self.assertEqual(
            list(self.article.body_photos.values_list("photo", flat=True)),
            [self.photos["ghe"].pk],
        )
        self.assertEqual(self.article.gallery_photos.count(), 2)
        self.assertIn("không khôi phục được", self.article.revisions.first().note)


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
