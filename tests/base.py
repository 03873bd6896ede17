"""The newsroom's people, shared by every test."""

import shutil
import signal
import tempfile
from unittest import mock

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from taggit.utils import edit_string_for_tags

from accounts.second_factor import confirmed_device, is_required
from pagecache.purge import next_change

from .factories import UserFactory

_MEDIA_ROOT = tempfile.mkdtemp(prefix="toasoan-test-media-")

TEST_SETTINGS = {
    "MEDIA_ROOT": _MEDIA_ROOT,
    # Per-process memory, emptied before each test (see conftest.py); the Redis
    # test swaps in a real shared cache. The page cache is on, as in production.
    "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    # Tests do not run collectstatic; the manifest storage would need it.
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    },
}


# The article page's queries, whatever the article carries: the article with
# section, lead photo and lead video, then its credits, body photos, body
# videos, photo story, tags and corrections; related articles; comment
# settings and comments; then site settings and sections (masthead,
# navigation, footer). A body with pasted YouTube or Facebook links adds one:
# their library entries (tests/articles/test_video_pages.py).
ARTICLE_PAGE_QUERIES = 12
# The home page: pinned and breaking stories, most read (24 hours, 7 days),
# latest, section blocks, then site settings and navigation.
HOME_PAGE_QUERIES = 7


def assert_in_order(test: TestCase, html: str, parts: list[str]) -> None:
    """Each part appears in the page body, after the one before it."""
    position = html.index("<body")
    for part in parts:
        found = html.find(part, position)
        test.assertGreaterEqual(found, 0, f"missing, or out of order: {part}")
        position = found + len(part)


def run_tasks() -> None:
    """What the worker does in production (``manage.py run_worker``), in this
    process: every task that is ready, then back. Requests enqueue into the
    database backend as they do in production; a test calls this where the
    worker would have run."""
    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    handlers = {number: signal.getsignal(number) for number in signals}
    try:
        # Between tasks the worker drops connections left in a transaction; a
        # test's whole run is one. Django's test client skips the same call
        # around each request for the same reason.
        with mock.patch(
            "django_tasks_db.management.commands.db_worker.close_old_connections"
        ):
            call_command(
                "run_worker", batch=True, interval=0, startup_delay=False, reload=False
            )
    finally:
        # The worker's graceful stop is for its own process, not the tests'.
        for number, handler in handlers.items():
            signal.signal(number, handler)


def _staff(username: str, role: str):
    user = UserFactory(username=username, is_staff=True)
    user.groups.set([Group.objects.get(name=role)])
    return user


class CommittingClient(Client):
    """A test client whose every request ends as it would in production: the
    writes it made are committed, so their on-commit work (cache purges) runs
    when it returns. (A test runs inside one transaction that never commits.)"""

    def request(self, **request):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)

    def force_login(self, user, backend=None):
        """Signed in as ``user`` would be; one who must give a code has given
        one this session (the sign-in itself: tests/accounts/)."""
        super().force_login(user, backend)
        if is_required(user):
            device = confirmed_device(user) or TOTPDevice.objects.create(
                user=user, name="Ứng dụng xác thực", confirmed=True
            )
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()


@override_settings(**TEST_SETTINGS)
class NewsroomTestCase(TestCase):
    """A reporter, a desk editor, a chief editor, a moderator and a reader
    (anonymous client), each holding the role the data migration created.

    Writes made outside a request go in ``with self.committed():`` when a test
    reads pages after them, as a command or a shell session would commit."""

    client_class = CommittingClient

    def committed(self):
        return self.captureOnCommitCallbacks(execute=True)

    def assertPageQueries(self, expected: int):
        """assertNumQueries for what a page costs to render. The clock (when
        the next scheduled change comes) is read first: a running site reads
        it once a minute, not per page."""
        next_change()
        return self.assertNumQueries(expected)

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


def article_form_data(article, **changes) -> dict:
    """What the admin's change form posts for ``article``, as last loaded."""
    credits = list(article.credits.all())
    published_fields = {"embargo_until_0": "", "embargo_until_1": ""}
    if article.embargo_until:
        local = timezone.localtime(article.embargo_until)
        published_fields = {
            "embargo_until_0": local.strftime("%d/%m/%Y"),
            "embargo_until_1": local.strftime("%H:%M:%S"),
        }
    data = {
        "title": article.title,
        "slug": article.slug,
        "kind": article.kind,
        "layout": article.layout,
        "section": article.section_id,
        "lead": article.lead,
        "body": article.body,
        # As the admin's tag field prints them: a name with a space is quoted.
        "tags": edit_string_for_tags(list(article.tags.all())),
        "lead_photo": article.lead_photo_id or "",
        "lead_photo_caption": article.lead_photo_caption,
        "lead_video": article.lead_video_id or "",
        "source_name": article.source_name,
        "source_url": article.source_url,
        **published_fields,
        "is_commentable": "on" if article.is_commentable else "",
        "workflow_note": "",
        "schedule_at_0": "",
        "schedule_at_1": "",
        "loaded_version": article.version,
        "credits-TOTAL_FORMS": str(len(credits)),
        "credits-INITIAL_FORMS": str(len(credits)),
        "credits-MIN_NUM_FORMS": "0",
        "credits-MAX_NUM_FORMS": "1000",
    }
    for i, credit in enumerate(credits):
        data[f"credits-{i}-id"] = credit.pk
        data[f"credits-{i}-article"] = article.pk
        data[f"credits-{i}-contributor"] = credit.contributor_id
        data[f"credits-{i}-roles"] = credit.roles
        data[f"credits-{i}-order"] = credit.order
    # The photos and videos in the body and the photo story, as inline rows.
    for prefix, uses, position in (
        ("body_photos", article.body_photos.all(), "after_paragraph"),
        ("body_videos", article.body_videos.all(), "after_paragraph"),
        ("gallery_photos", article.gallery_photos.all(), "order"),
    ):
        uses = list(uses)
        data[f"{prefix}-TOTAL_FORMS"] = str(len(uses))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(uses))
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for i, use in enumerate(uses):
            data[f"{prefix}-{i}-id"] = use.pk
            data[f"{prefix}-{i}-article"] = article.pk
            library = "video" if prefix == "body_videos" else "photo"
            data[f"{prefix}-{i}-{library}"] = getattr(use, f"{library}_id")
            data[f"{prefix}-{i}-{position}"] = getattr(use, position)
            data[f"{prefix}-{i}-caption"] = use.caption
            if prefix == "body_photos" and use.is_wide:
                data[f"{prefix}-{i}-is_wide"] = "on"
    data.update(changes)
    return data
