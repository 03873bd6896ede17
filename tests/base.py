"""The newsroom's people, shared by every test."""

import shutil
import tempfile

from django.contrib.auth.models import Group
from django.test import TestCase, override_settings

from .factories import UserFactory

_MEDIA_ROOT = tempfile.mkdtemp(prefix="toasoan-test-media-")

TEST_SETTINGS = {
    "MEDIA_ROOT": _MEDIA_ROOT,
    # Tests do not run collectstatic; the manifest storage would need it.
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    },
}


def assert_in_order(test: TestCase, html: str, parts: list[str]) -> None:
    """Each part appears in the page body, after the one before it."""
    position = html.index("<body")
    for part in parts:
        found = html.find(part, position)
        test.assertGreaterEqual(found, 0, f"missing, or out of order: {part}")
        position = found + len(part)


def _staff(username: str, role: str):
    user = UserFactory(username=username, is_staff=True)
    user.groups.set([Group.objects.get(name=role)])
    return user


@override_settings(**TEST_SETTINGS)
class NewsroomTestCase(TestCase):
    """A reporter, a desk editor, a chief editor, a moderator and a reader
    (anonymous client), each holding the role the data migration created."""

    @classmethod
    def setUpTestData(cls):
        cls.reporter = _staff("phongvien", "Phóng viên")
        cls.editor = _staff("bientap", "Biên tập viên")
        cls.chief = _staff("tongbientap", "Tổng biên tập")
        cls.moderator = _staff("kiemduyet", "Kiểm duyệt bình luận")

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(_MEDIA_ROOT, ignore_errors=True)
