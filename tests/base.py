"""The newsroom's people, shared by every test."""

import shutil
import tempfile

from django.contrib.auth.models import Permission
from django.test import TestCase, override_settings

from .factories import UserFactory

_MEDIA_ROOT = tempfile.mkdtemp(prefix="toasoan-test-media-")

TEST_SETTINGS = {
    "MEDIA_ROOT": _MEDIA_ROOT,
    # Per-process memory, emptied before each test (see conftest.py); the Redis
    # test swaps in a real shared cache.
    "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
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


@override_settings(**TEST_SETTINGS)
class NewsroomTestCase(TestCase):
    """An editor, a reporter, a moderator and a reader (anonymous client)."""

    @classmethod
    def setUpTestData(cls):
        cls.editor = UserFactory(username="bientap", is_staff=True)
        cls.editor.user_permissions.set(
            Permission.objects.filter(
                content_type__app_label__in=["articles", "taggit"]
            )
        )
        cls.reporter = UserFactory(username="phongvien", is_staff=True)
        cls.moderator = UserFactory(username="kiemduyet", is_staff=True)
        cls.moderator.user_permissions.set(
            Permission.objects.filter(content_type__app_label="comments")
        )

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(_MEDIA_ROOT, ignore_errors=True)
