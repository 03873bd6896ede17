"""The photo library's writes: every import path goes through ``photo_create``."""

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from .. import images
from ..models import Contributor, Photo


@transaction.atomic
def photo_create(
    *,
    upload,
    alt_text: str,
    caption: str = "",
    photographer: Contributor | None = None,
    credit_text: str = "",
    focus: tuple[float, float] = (0.5, 0.5),
    name: str | None = None,
) -> Photo:
    """Take a photo into the library from any import path (demo, scripts...).

    ``upload`` is a Django File or bytes. The file is checked and cleaned
    (articles/images.py): a refused file raises ValidationError and nothing is
    saved. Caption and credit left empty are filled from the file's IPTC/EXIF.
    The renditions are made before this returns.
    """
    prepared = images.prepare_upload(upload, name=name)
    photo = Photo(
        image=prepared.file,
        alt_text=alt_text,
        caption=caption or prepared.caption,
        photographer=photographer,
        credit_text=credit_text or ("" if photographer else prepared.credit),
        focus_x=focus[0],
        focus_y=focus[1],
    )
    photo.full_clean()
    try:
        photo.save()
        photo_make_renditions(photo=photo)
    except BaseException:
        # The row is rolled back, the stored original is not. (``_committed``:
        # the file went to storage; before that its name is the upload's.)
        if photo.image._committed:
            default_storage.delete(photo.image.name)
        raise
    return photo


def _renditions_key(photo: Photo) -> str:
    spec = (
        f"{photo.image.name}|{photo.focus_x:.3f}|{photo.focus_y:.3f}|"
        f"{images.RENDITIONS_VERSION}"
    )
    return hashlib.sha256(spec.encode()).hexdigest()[:10]


@transaction.atomic
def photo_make_renditions(*, photo: Photo, force: bool = False) -> bool:
    """Make ``photo``'s renditions unless they are current; True if it made them.

    Idempotent: the renditions carry a key made of the file name, the focal
    point and the renditions version, and nothing is redone while it matches
    (``force`` redoes it anyway). A stored original that still carries EXIF,
    XMP or IPTC (uploaded before this pipeline) is replaced by a cleaned copy
    first. Old rendition files are deleted once the new ones are saved.
    Raises ValidationError if the stored file is no longer a valid picture.
    """
    given, photo = photo, Photo.objects.select_for_update().get(pk=photo.pk)
    if not force and photo.renditions.get("key") == _renditions_key(photo):
        return False
    with photo.image.open("rb") as stored:
        data = stored.read()
    image = images.open_checked(data)
    old_files = _rendition_names(photo.renditions)
    written: list[str] = []
    if (
        images.carries_metadata(image)
        or max(image.size) > settings.PHOTO_MASTER_MAX_SIDE
    ):
        old_original = photo.image.name
        cleaned = images.clean_original(image, images.file_format(data))
        basename = old_original.rsplit("/", 1)[-1]
        # A named file: Django reads the new width and height from it.
        photo.image.save(basename, ContentFile(cleaned, name=basename), save=False)
        written.append(photo.image.name)
        old_files.append(old_original)
        image = images.open_checked(cleaned)

    key = _renditions_key(photo)
    focus = (photo.focus_x, photo.focus_y)
    renditions: dict = {"key": key}
    try:
        for made in images.make_renditions(image, focus=focus):
            extension = "jpg" if made.fmt == "jpeg" else made.fmt
            name = default_storage.save(
                f"photos/r/{photo.pk}/{made.crop}-{made.width}-{key}.{extension}",
                ContentFile(made.content),
            )
            written.append(name)
            renditions.setdefault(made.crop, {}).setdefault(made.fmt, []).append(
                [made.width, made.height, name]
            )
        photo.renditions = renditions
        # With "image", Photo.save writes the file_size noted as it was stored.
        photo.save(update_fields=["image", "width", "height", "renditions"])
    except BaseException:
        # Files are not rolled back with the row: those written so far would
        # be served by URL and named by nothing.
        _delete_files(written)
        raise

    stale = set(old_files) - set(_rendition_names(renditions)) - {photo.image.name}
    transaction.on_commit(lambda: _delete_files(stale))
    given.refresh_from_db(
        fields=["image", "width", "height", "file_size", "renditions"]
    )
    return True


@transaction.atomic
def photo_delete(*, photo: Photo) -> None:
    """Delete ``photo`` and, once that is committed, its original and renditions.

    Files are reachable by URL for as long as they exist, so a photo taken
    down must not leave them behind. Raises ProtectedError, deleting nothing,
    while an article still uses the photo.
    """
    names = [photo.image.name, *_rendition_names(photo.renditions)]
    # Articles led by it lose their lead photo (SET_NULL); the photo's own
    # delete purges the pages that printed it.
    photo.delete()
    transaction.on_commit(lambda: _delete_files(names))


def _rendition_names(renditions: dict) -> list[str]:
    return [
        entry[2]
        for crop, by_format in renditions.items()
        if crop != "key"
        for entries in by_format.values()
        for entry in entries
    ]


def _delete_files(names) -> None:
    for name in names:
        default_storage.delete(name)
