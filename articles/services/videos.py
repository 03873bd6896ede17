"""The video library's writes: the admin and every import path save through
``video_save``; files follow the rows (stored with them, deleted after them)."""

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Photo, Video
from ..video_files import PreparedVideo, prepare_captions, prepare_video
from .photos import photo_create


def video_take_file(*, video: Video, prepared: PreparedVideo) -> None:
    """Give ``video`` a checked MP4 (articles.video_files.prepare_video) and
    what its index says; stored when the video is saved."""
    video.file = prepared.file
    video.file_size = prepared.size
    video.duration = prepared.duration
    video.width, video.height = prepared.width, prepared.height


@transaction.atomic
def video_save(*, video: Video, poster_upload: File | None = None) -> Video:
    """Validate and save ``video``; a new poster upload joins the photo
    library (articles.images checks and cleans it) and becomes its poster.

    A replaced or cleared file or caption file is deleted once the save is
    committed; files stored by a save that fails are deleted at once.
    Raises ValidationError and saves nothing when the video is not valid.
    """
    before = (
        Video.objects.filter(pk=video.pk).values("file", "captions").first()
        if video.pk
        else None
    )
    video.full_clean()
    if poster_upload is not None:
        video.poster_photo = photo_create(
            upload=poster_upload,
            alt_text=_("Ảnh bìa video “%(title)s”") % {"title": video.title},
            caption=video.title,
        )
    stored = []
    try:
        for field in (video.file, video.captions):
            if field and not field._committed:
                field.save(field.name, field.file, save=False)
                stored.append(field.name)
        video.save()
    except BaseException:
        # The row is rolled back, not the files: they would be served by URL
        # and named by nothing.
        _delete_files(stored)
        raise
    if before:
        gone = {before["file"], before["captions"]} - {
            video.file.name,
            video.captions.name,
            "",
            None,
        }
        transaction.on_commit(lambda: _delete_files(gone))
    return video


def video_create(
    *,
    title: str,
    upload: File | bytes | None = None,
    url: str = "",
    poster: Photo | None = None,
    captions: File | bytes | None = None,
    description: str = "",
    credit: str = "",
    name: str = "video.mp4",
) -> Video:
    """Take a video into the library from any import path (demo, scripts):
    an MP4 ``upload`` (checked like an admin upload) or a YouTube or Facebook
    ``url``. Raises ValidationError and saves nothing when refused."""
    video = Video(
        title=title,
        url=url,
        poster_photo=poster,
        description=description,
        credit=credit,
    )
    if upload is not None:
        if isinstance(upload, bytes):
            upload = ContentFile(upload, name=name)
        video_take_file(video=video, prepared=prepare_video(upload, name=name))
    if captions is not None:
        if isinstance(captions, bytes):
            captions = ContentFile(captions, name="phu-de.vtt")
        video.captions = prepare_captions(captions)
    return video_save(video=video)


@transaction.atomic
def video_delete(*, video: Video) -> None:
    """Delete ``video`` and, once that is committed, its file and captions.

    Raises ProtectedError, deleting nothing, while a body still shows it;
    stories led by it lose their lead video (and keep their lead photo).
    """
    names = [name for name in (video.file.name, video.captions.name) if name]
    video.delete()
    transaction.on_commit(lambda: _delete_files(names))


def _delete_files(names) -> None:
    for name in names:
        default_storage.delete(name)
