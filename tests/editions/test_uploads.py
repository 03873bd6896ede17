"""The chief editor uploads an issue's PDF in the admin; the worker makes its
pages; a broken or hostile file is refused with a message, never a 500."""

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from editions.models import Issue
from tests.base import NewsroomTestCase, run_tasks

from .pdfs import (
    content_bomb_pdf,
    encrypted_pdf,
    issue_pdf,
    raw_pdf,
    text_pdf,
)

GOOD_PAGE = (842, 1191)  # A3, in points


class IssueUploadTests(NewsroomTestCase):
    def setUp(self):
        self.client.force_login(self.chief)
        self.url = reverse("admin:editions_issue_add")

    def _post(self, content: bytes, *, name="so-5123.pdf", **fields):
        data = {
            "date": "02/03/2026",
            "number": "5123",
            "pdf": SimpleUploadedFile(name, content, content_type="application/pdf"),
            "is_published": "on",
            **fields,
        }
        return self.client.post(self.url, data, follow=True)

    def test_an_upload_becomes_pages_with_their_text_after_the_worker_runs(self):
        response = self._post(issue_pdf())
        self.assertContains(response, "Các trang đang được làm thành ảnh")
        issue = Issue.objects.get()
        self.assertEqual(issue.status, Issue.Status.PENDING)
        self.assertEqual(issue.created_by, self.chief)
        self.assertGreater(issue.pdf_size, 0)
        self.assertTrue(issue.pdf.name.endswith(".pdf"))
        self.assertIn("so-5123-2026-03-02", issue.pdf.name)
        # Readers see nothing until the pages exist.
        self.assertEqual(self.client.get(issue.get_absolute_url()).status_code, 404)

        with self.committed():
            run_tasks()
        issue.refresh_from_db()
        self.assertEqual(issue.status, Issue.Status.READY)
        self.assertEqual(issue.page_count, 4)
        pages = list(issue.pages.all())
        self.assertEqual([page.number for page in pages], [1, 2, 3, 4])
        self.assertIn("Dân vận khéo ở ấp Phú Hòa", pages[0].text)
        self.assertIn(" dan van kheo o ap phu hoa ", pages[0].search_text)
        for page in pages:
            self.assertEqual((page.width, page.height), (1600, 2264))
            for name in page.file_names():
                self.assertTrue(default_storage.exists(name), name)
        self.assertTrue(pages[0].phone.name.endswith(".webp"))
        self.assertTrue(pages[0].jpeg.name.endswith(".jpg"))
        self.assertEqual(self.client.get(issue.get_absolute_url()).status_code, 200)

    def test_a_replaced_pdf_is_rendered_again_and_the_old_pictures_go(self):
        self._post(issue_pdf())
        with self.committed():
            run_tasks()
        issue = Issue.objects.get()
        old_files = [name for page in issue.pages.all() for name in page.file_names()]
        old_files.append(issue.pdf.name)
        change = reverse("admin:editions_issue_change", args=[issue.pk])
        self.client.post(
            change,
            {
                "date": "02/03/2026",
                "number": "5123",
                "pdf": SimpleUploadedFile("moi.pdf", text_pdf(["Trang một", "Hai"])),
                "is_published": "on",
            },
        )
        issue.refresh_from_db()
        self.assertEqual(issue.status, Issue.Status.PENDING)
        # The old pages stay readable while the new ones are made.
        self.assertEqual(issue.page_count, 4)
        self.assertEqual(self.client.get(issue.get_absolute_url()).status_code, 200)
        with self.committed():
            run_tasks()
        issue.refresh_from_db()
        self.assertEqual(issue.page_count, 2)
        self.assertEqual(issue.pages.count(), 2)
        self.assertEqual(issue.pages.get(number=1).text.strip(), "Trang một")
        for name in old_files:
            self.assertFalse(default_storage.exists(name), name)

    def test_hostile_and_broken_files_are_refused_with_their_reason(self):
        good = text_pdf(["Dân vận"])
        cases = {
            "a picture named .pdf": (
                b"\x89PNG\r\n\x1a\n" + b"\0" * 500,
                "không phải PDF",
            ),
            "a truncated file": (good[: len(good) // 2], "không trọn vẹn"),
            "a broken file": (b"%PDF-1.4\n1 0 obj garbage\n%%EOF\n", "bị hỏng"),
            "a password": (encrypted_pdf(user_password="bimat"), "có mật khẩu"),
            "restricted rights": (encrypted_pdf(), "được mã hóa"),
            "150 pages": (raw_pdf([GOOD_PAGE] * 150), "150 trang; một số báo tối đa"),
            "a page 70 m wide": (raw_pdf([(200_000, 200_000)]), "quá lớn"),
            "a page 7 mm wide": (raw_pdf([(20, 20)]), "quá nhỏ"),
            "a ribbon": (raw_pdf([(300, 3000)]), "quá dài hoặc quá hẹp"),
            "an empty file": (b"", "rỗng"),
        }
        for label, (content, message) in cases.items():
            with self.subTest(label):
                response = self._post(content)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, message)
                self.assertFalse(Issue.objects.exists())
        self.assertFalse(DBTaskResult.objects.exists())

    @override_settings(PRINT_PDF_MAX_BYTES=10_000)
    def test_a_pdf_over_the_size_limit_is_refused(self):
        response = self._post(text_pdf(["Dân vận"]))
        self.assertContains(response, "bản PDF một số báo tối đa 9,8")
        self.assertFalse(Issue.objects.exists())

    def test_an_issue_number_is_taken_once_a_day(self):
        self._post(text_pdf(["Một"]))
        response = self._post(text_pdf(["Hai"]))
        self.assertContains(response, "Đã có số báo này ngày này.")
        self.assertEqual(Issue.objects.count(), 1)

    @override_settings(PRINT_RENDER_MEMORY_MIB=256)
    def test_a_page_that_needs_too_much_memory_fails_the_issue_not_the_worker(self):
        # It opens and passes the upload's checks: only drawing it would hurt.
        self._post(content_bomb_pdf())
        issue = Issue.objects.get()
        with self.committed():
            run_tasks()
        issue.refresh_from_db()
        self.assertEqual(issue.status, Issue.Status.FAILED)
        self.assertIn("Trang 1: Tệp PDF làm trình đọc PDF dừng", issue.error)
        self.assertEqual(issue.page_count, 0)
        change = self.client.get(
            reverse("admin:editions_issue_change", args=[issue.pk])
        )
        self.assertContains(change, "Trang 1: Tệp PDF làm trình đọc PDF dừng")
        # Not tried again: the same file fails the same way.
        self.assertFalse(DBTaskResult.objects.filter(status="READY").exists())

    @override_settings(PRINT_RENDER_SECONDS=0.001)
    def test_a_page_that_takes_too_long_fails_the_issue_with_a_message(self):
        self._post(text_pdf(["Dân vận"]))
        issue = Issue.objects.get()
        with self.committed():
            run_tasks()
        issue.refresh_from_db()
        self.assertEqual(issue.status, Issue.Status.FAILED)
        self.assertIn("Trang 1: Đọc tệp PDF mất hơn 1 giây", issue.error)

    def test_render_again_queues_the_issue_for_the_worker(self):
        self._post(text_pdf(["Dân vận"]))
        with self.committed():
            run_tasks()
        issue = Issue.objects.get()
        first = issue.pages.get().desktop.name
        self.client.post(
            reverse("admin:editions_issue_changelist"),
            {"action": "render_again", "_selected_action": [issue.pk]},
        )
        issue.refresh_from_db()
        self.assertEqual(issue.status, Issue.Status.PENDING)
        with self.committed():
            run_tasks()
        issue.refresh_from_db()
        self.assertEqual(issue.status, Issue.Status.READY)
        self.assertNotEqual(issue.pages.get().desktop.name, first)

    def test_deleting_an_issue_deletes_its_files(self):
        self._post(text_pdf(["Dân vận"]))
        with self.committed():
            run_tasks()
        issue = Issue.objects.get()
        names = [issue.pdf.name, *issue.pages.get().file_names()]
        self.client.post(
            reverse("admin:editions_issue_delete", args=[issue.pk]), {"post": "yes"}
        )
        self.assertFalse(Issue.objects.exists())
        for name in names:
            self.assertFalse(default_storage.exists(name), name)

    def test_only_those_who_publish_may_upload(self):
        for person in (self.reporter, self.editor, self.moderator):
            self.client.force_login(person)
            response = self._post(text_pdf(["Dân vận"]))
            self.assertEqual(response.status_code, 403)
        self.assertFalse(Issue.objects.exists())
