"""MEDIA_STORAGE_URL read into the media storage's settings."""

from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase

from newsroom.media_storage import storage_settings
from tests.newsroom.test_settings import _manage


def _options(url: str, **kwargs) -> tuple[dict, str]:
    storage, media_url = storage_settings(url, **kwargs)
    return storage["OPTIONS"], media_url


class MediaStorageUrlTests(SimpleTestCase):
    def test_an_s3_compatible_service_is_addressed_by_path(self):
        options, media_url = _options(
            "s3://anh-bao?endpoint_url=https://s3.example.vn&region=hcm-1"
        )
        self.assertEqual(options["bucket_name"], "anh-bao")
        self.assertEqual(options["endpoint_url"], "https://s3.example.vn")
        self.assertEqual(options["region_name"], "hcm-1")
        self.assertEqual(options["addressing_style"], "path")
        self.assertEqual(media_url, "https://s3.example.vn/anh-bao/")
        self.assertEqual(
            (options["url_protocol"], options["custom_domain"]),
            ("https:", "s3.example.vn/anh-bao"),
        )
        # Public, unsigned, never replacing a file, no ACL of its own.
        self.assertFalse(options["querystring_auth"])
        self.assertFalse(options["file_overwrite"])
        self.assertIsNone(options["default_acl"])
        # Keys from the environment (AWS_ACCESS_KEY_ID...), not the settings.
        self.assertNotIn("access_key", options)

    def test_aws_s3_by_its_region_and_a_cdn_in_front(self):
        _, media_url = _options("s3://anh-bao?region=ap-southeast-1")
        self.assertEqual(media_url, "https://anh-bao.s3.ap-southeast-1.amazonaws.com/")
        _, media_url = _options("s3://anh.baoduaxanh.vn?region=ap-southeast-1")
        self.assertEqual(
            media_url, "https://s3.ap-southeast-1.amazonaws.com/anh.baoduaxanh.vn/"
        )
        options, media_url = _options(
            "s3://anh-bao/bao-dua-xanh?region=ap-southeast-1",
            media_url="https://anh.baoduaxanh.vn",
        )
        self.assertEqual(options["location"], "bao-dua-xanh")
        self.assertEqual(options["custom_domain"], "anh.baoduaxanh.vn")
        self.assertEqual(media_url, "https://anh.baoduaxanh.vn/bao-dua-xanh/")

    def test_virtual_host_addressing_keys_in_the_url_and_an_acl(self):
        options, media_url = _options(
            "s3://KEY123:se%2Fcret@anh-bao?endpoint_url=https://sgp1.spaces.example"
            "&addressing_style=virtual&acl=public-read&timeout=2&attempts=5"
        )
        self.assertEqual(media_url, "https://anh-bao.sgp1.spaces.example/")
        self.assertEqual(
            (options["access_key"], options["secret_key"]), ("KEY123", "se/cret")
        )
        self.assertEqual(options["default_acl"], "public-read")
        self.assertEqual((options["timeout"], options["attempts"]), (2.0, 5))

    def test_a_wrong_url_is_a_clear_error(self):
        for url, message in [
            ("https://s3.example.vn/anh-bao", "must look like s3://bucket"),
            ("s3://anh-bao?endpoint=https://x", "unknown parameter(s) endpoint"),
            ("s3://anh-bao?endpoint_url=s3.example.vn", "must start with https://"),
            ("s3://anh-bao?timeout=0", "timeout must be a positive number"),
            ("s3://anh-bao?addressing_style=dns", "path or virtual"),
        ]:
            with (
                self.subTest(url),
                self.assertRaisesMessage(ImproperlyConfigured, message),
            ):
                storage_settings(url)
        with self.assertRaisesMessage(ImproperlyConfigured, "MEDIA_URL must be a full"):
            storage_settings("s3://anh-bao", media_url="/media/")

    def test_a_deployment_with_the_variable_stores_media_in_the_bucket(self):
        shown = _manage(
            "shell",
            "--no-imports",
            "-c",
            "from django.conf import settings\n"
            "from django.core.files.storage import storages\n"
            "print(type(storages['default']).__mro__[1].__module__)\n"
            "print(settings.MEDIA_URL, settings.SERVE_MEDIA)\n"
            "print(storages['default'].url('photos/r/1/full-480-abc.webp'))",
            MEDIA_STORAGE_URL="s3://anh-bao?endpoint_url=https://s3.example.vn",
            MEDIA_URL="https://anh.baoduaxanh.vn/",
        )
        self.assertEqual(shown.returncode, 0, shown.stderr)
        self.assertEqual(
            shown.stdout.splitlines(),
            [
                "storages.backends.s3",
                "https://anh.baoduaxanh.vn/ False",
                "https://anh.baoduaxanh.vn/photos/r/1/full-480-abc.webp",
            ],
        )
