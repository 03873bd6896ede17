"""Photos: attachments and the pictures a body shows, read from --media."""

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.files import File

from articles import images
from articles.models import Photo
from articles.services import photo_create

from .. import content, wxr
from .base import K, RunBase, _digest, _link_path

PICTURE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp"}
_RESIZED = re.compile(r"-\d+x\d+(?=\.\w+$)")
_UPLOADS = "/wp-content/uploads/"


class MediaImport(RunBase):
    def _media_file(self, relative: str) -> Path | None:
        """The original under --media, never a resized copy; None if absent.

        Paths come from the export: anything leading outside --media is refused.
        """
        relative = unquote(relative).lstrip("/")
        candidates = [_RESIZED.sub("", relative)]
        if "-scaled." in candidates[0]:  # WordPress 5.3+ shrinks big uploads
            candidates.insert(0, candidates[0].replace("-scaled.", "."))
        for candidate in candidates:
            path = (self.media / candidate).resolve()
            if path.is_relative_to(self.media) and path.is_file():
                return path
        return None

    def _photo_from_file(
        self, relative: str, *, alt: str, caption: str
    ) -> Photo | None:
        relative = _RESIZED.sub("", unquote(relative).lstrip("/"))
        known = self._target(K.FILE, relative, Photo)
        if known is not None:
            return known
        path = self._media_file(relative)
        if path is None:
            return None
        if self.options.dry_run:
            # Files written to the media storage would outlive the rollback:
            # the picture is only checked, as photo_create would check it.
            images.prepare_upload(path.read_bytes(), name=path.name)
            return Photo(pk=0, alt_text=alt)
        with path.open("rb") as opened:
            photo = photo_create(
                upload=File(opened, name=path.name),
                alt_text=(alt or path.stem)[:300],
                caption=caption[:500],
            )
        self._remember(K.FILE, relative, photo)
        self.redirect(f"{_UPLOADS}{relative}", photo)
        return photo

    def attachment(self, item: wxr.Item) -> Photo | None:
        relative = item.meta_value("_wp_attached_file") or _upload_path(
            item.attachment_url
        )
        if Path(relative).suffix.lower() not in PICTURE_EXTENSIONS:
            self.report.count(K.ATTACHMENT, "skipped", "not a picture")
            return None
        caption = content.plain(item.excerpt)[:500]
        alt = content.plain(item.meta_value("_wp_attachment_image_alt"))[:300]
        alt = alt or content.plain(item.title)[:300] or caption[:300]
        digest = _digest(relative, caption, alt)
        found, photo = self._lookup(K.ATTACHMENT, item.wp_id, Photo)
        if photo is not None and found.digest == digest:
            self.report.count(K.ATTACHMENT, "unchanged")
            return photo
        if photo is None:
            photo = self._photo_from_file(relative, alt=alt, caption=caption)
            if photo is None:
                self.report.missing_media.append(f"attachment {item.wp_id}: {relative}")
                self.report.count(K.ATTACHMENT, "skipped", "file missing")
                return None
        if self.options.dry_run:
            self.dry_attachments.add(item.wp_id)
            self._outcome(K.ATTACHMENT, found)
            return photo
        photo.caption, photo.alt_text = caption, alt or photo.alt_text
        photo.full_clean()
        photo.save()
        self._remember(K.ATTACHMENT, item.wp_id, photo, digest)
        self.redirect(f"/?attachment_id={int(item.wp_id)}", photo)
        link = _link_path(item.link)
        if link and "?" not in link:
            self.redirect(link, photo)
        self._outcome(K.ATTACHMENT, found)
        return photo

    def _body_photo(self, post: str, ref: content.ImageRef) -> Photo | None:
        if ref.attachment_id:
            photo = self._target(K.ATTACHMENT, ref.attachment_id, Photo)
            if photo is not None:
                return photo
        relative = _upload_path(ref.src)
        photo = None
        if relative:
            photo = self._photo_from_file(relative, alt=ref.alt, caption=ref.caption)
        if photo is None:
            self.report.missing_media.append(f"{post}: {ref.src}")
        return photo


def _upload_path(url: str) -> str:
    """ "https://site/wp-content/uploads/2024/05/a.jpg" -> "2024/05/a.jpg"."""
    path = urlsplit(url).path
    return path.split(_UPLOADS, 1)[1] if _UPLOADS in path else ""
