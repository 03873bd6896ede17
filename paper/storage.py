"""Media on S3-compatible object storage (MEDIA_STORAGE_URL, see
newsroom/media_storage.py): django-storages' S3Storage with timeouts, a
bounded number of tries and cache headers chosen per kind of file."""

from botocore.config import Config
from storages.backends.s3 import S3Storage

# A rendition's name carries the photo, the crop, the width and a key made of
# the original's name, the focal point and the renditions version
# (articles.services.photos): new content always gets a new name, so a cache
# may keep one for a year without asking again.
IMMUTABLE = "public, max-age=31536000, immutable"
# An original keeps its name, but a deleted photo's name can be taken by a
# later upload of a file called alike: a day, not a year.
ORIGINAL = "public, max-age=86400"
# Kept uploads of a half-filled form and the health probe: never cached.
PRIVATE = "no-store"

CACHE_CONTROL = [
    ("photos/r/", IMMUTABLE),
    ("photos/staging/", PRIVATE),
    # Print pages' pictures: a new drawing of an issue gets new names
    # (editions.services.issue_render). Its PDF keeps a name a replaced
    # file may take again: a day, like a photo's original.
    ("bao-in/trang/", IMMUTABLE),
    ("bao-in/pdf/", ORIGINAL),
]
CACHE_CONTROL_PHOTOS = ("photos/", ORIGINAL)


def cache_control(name: str) -> str:
    """The Cache-Control header stored with the file ``name`` (relative to
    the media root)."""
    for prefix, value in CACHE_CONTROL:
        if name.startswith(prefix):
            return value
    prefix, value = CACHE_CONTROL_PHOTOS
    return value if name.startswith(prefix) else PRIVATE


class MediaStorage(S3Storage):
    """The media storage when MEDIA_STORAGE_URL is set.

    ``timeout`` (seconds to connect and to wait for an answer) and
    ``attempts`` bound how long a request can hang when the service is down:
    an editor's upload fails with an error page and /healthz answers 503
    within seconds, instead of botocore's 60-second timeouts and retries.
    """

    def __init__(self, *, timeout: float = 5, attempts: int = 3, **settings):
        if settings.get("client_config") is None:
            settings["client_config"] = Config(
                s3={"addressing_style": settings.get("addressing_style")},
                connect_timeout=timeout,
                read_timeout=timeout,
                retries={"max_attempts": attempts, "mode": "standard"},
                # A backup moves this many files at once (paper.backups).
                max_pool_connections=16,
                # Checksums only where S3 demands them: recent botocore adds
                # them to every upload, and not every S3-compatible service
                # accepts that.
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            )
        super().__init__(**settings)

    def get_object_parameters(self, name: str) -> dict:
        params = super().get_object_parameters(name)
        if "CacheControl" not in params:
            relative = name.removeprefix(self.location).lstrip("/")
            params["CacheControl"] = cache_control(relative)
        return params
