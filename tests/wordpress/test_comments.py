from datetime import UTC, datetime

from comments.models import Comment

from .export import ImportTestCase, author, comment, post, wxr


class CommentImportTests(ImportTestCase):
    def test_it_maps_comment_statuses_and_skips_pingbacks(self):
        comments = "".join(
            [
                comment(1, approved="1"),
                comment(2, approved="0"),
                comment(3, approved="spam"),
                comment(4, approved="trash"),
                comment(5, approved="post-trashed"),
                comment(6, kind="pingback"),
                comment(7, kind="trackback"),
            ]
        )
        out = self.run_import(wxr(post(10, extra=comments)))
        self.assertEqual(
            list(Comment.objects.order_by("pk").values_list("status", flat=True)),
            ["approved", "pending", "spam", "rejected", "rejected"],
        )
        self.assertIn("skipped: pingback: 1", out)
        self.assertIn("skipped: trackback: 1", out)

    def test_it_keeps_name_email_address_and_date(self):
        self.run_import(
            wxr(post(10, extra=comment(1, "<p>Hay</p><p>Rất hay</p>", name="Ông Ba")))
        )
        row = Comment.objects.get()
        self.assertEqual(row.name, "Ông Ba")
        self.assertEqual(row.email, "a@example.com")
        self.assertEqual(row.ip_address, "203.0.113.5")
        self.assertEqual(row.body, "Hay\nRất hay")
        self.assertEqual(row.created_at, datetime(2024, 5, 4, 9, tzinfo=UTC))

    def test_replies_thread_under_the_first_comment_of_the_thread(self):
        comments = (
            comment(1, "Gốc")
            + comment(2, "Trả lời", parent=1)
            + comment(3, "Trả lời của trả lời", parent=2)
        )
        self.run_import(wxr(post(10, extra=comments)))
        root = Comment.objects.get(body="Gốc")
        self.assertIsNone(root.parent)
        self.assertEqual(Comment.objects.get(body="Trả lời").parent, root)
        self.assertEqual(Comment.objects.get(body="Trả lời của trả lời").parent, root)

    def test_newsroom_comments_are_marked(self):
        self.run_import(
            wxr(
                author(wp_id=2),
                post(10, extra=comment(1, "Tòa soạn trả lời", user_id=2)),
            )
        )
        self.assertTrue(Comment.objects.get().is_newsroom)

    def test_a_bad_address_or_email_does_not_lose_the_comment(self):
        self.run_import(
            wxr(post(10, extra=comment(1, email="khong-phai-email", ip="999.1.1.1")))
        )
        row = Comment.objects.get()
        self.assertEqual((row.email, row.ip_address), ("", None))
