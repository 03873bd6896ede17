"""Writes on articles and photos that carry rules.

The newsroom's workflow first, then the photo pipeline.

Every state change is one call to ``article_transition``: it checks the
user's permission and the article's state, writes an audit entry and a
revision, and changes nothing at all if any of that fails.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from . import images
from .models import (
    Article,
    ArticleRevision,
    AuditEntry,
    Contributor,
    Correction,
    Credit,
    Photo,
    Section,
)

S = Article.Status

# The article fields a revision keeps; workflow fields (status, version) are
# recorded beside them, not restored from them.
REVISION_FIELDS = [
    "title",
    "slug",
    "kind",
    "section",
    "lead",
    "body",
    "lead_photo",
    "lead_photo_caption",
    "source_name",
    "source_url",
    "is_commentable",
    "embargo_until",
    "published_at",
]
# What "restore" copies back: not the publication time nor the embargo, which
# belong to the workflow and are set through transitions and by editors.
RESTORED_FIELDS = [
    name for name in REVISION_FIELDS if name not in ("embargo_until", "published_at")
]


@dataclass(frozen=True)
class Transition:
    name: str
    label: Promise
    sources: tuple[str, ...]
    target: str
    permission: str
    needs_note: bool = False
    needs_time: bool = False


_BEFORE_PUBLICATION = (S.DRAFT, S.IN_REVIEW, S.RETURNED, S.APPROVED, S.UNPUBLISHED)

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "submit",
            _("Gửi biên tập"),
            (S.DRAFT, S.RETURNED),
            S.IN_REVIEW,
            "articles.submit_article",
        ),
        Transition(
            "return",
            _("Trả lại tác giả"),
            (S.IN_REVIEW, S.APPROVED, S.UNPUBLISHED),
            S.RETURNED,
            "articles.review_article",
            needs_note=True,
        ),
        Transition(
            "approve",
            _("Duyệt bài"),
            (S.IN_REVIEW,),
            S.APPROVED,
            "articles.review_article",
        ),
        Transition(
            "publish",
            _("Xuất bản ngay"),
            (*_BEFORE_PUBLICATION, S.SCHEDULED),
            S.PUBLISHED,
            "articles.publish_article",
        ),
        Transition(
            "schedule",
            _("Hẹn giờ đăng"),
            (*_BEFORE_PUBLICATION, S.SCHEDULED),
            S.SCHEDULED,
            "articles.publish_article",
            needs_time=True,
        ),
        Transition(
            "unpublish",
            _("Gỡ xuống"),
            (S.SCHEDULED, S.PUBLISHED),
            S.UNPUBLISHED,
            "articles.publish_article",
        ),
        Transition(
            "take_down",
            _("Thu hồi (gỡ bỏ, lưu trữ)"),
            (S.SCHEDULED, S.PUBLISHED, S.UNPUBLISHED),
            S.TAKEN_DOWN,
            "articles.publish_article",
            needs_note=True,
        ),
    ]
}


def can_edit(*, user: AbstractBaseUser, article: Article) -> bool:
    """Whether ``user`` may change the article's content in its current state."""
    if article.pk is None:
        return user.has_perm("articles.add_article")
    if article.status == S.TAKEN_DOWN or not user.has_perm("articles.change_article"):
        # A withdrawn article is evidence: nobody edits it.
        return False
    if user.has_perm("articles.publish_article"):
        return True
    if user.has_perm("articles.review_article"):
        return article.status not in (S.SCHEDULED, S.PUBLISHED, S.UNPUBLISHED)
    return article.created_by_id == user.pk and article.status in (
        S.DRAFT,
        S.RETURNED,
    )


def _may_take(user: AbstractBaseUser, article: Article, transition: Transition):
    if not user.has_perm(transition.permission):
        return False
    if transition.name == "submit" and not user.has_perm("articles.review_article"):
        # Reporters submit their own work only.
        return article.created_by_id == user.pk
    return True


def allowed_transitions(
    *, article: Article, user: AbstractBaseUser
) -> list[Transition]:
    """The transitions ``user`` may take from the article's state, in menu order."""
    return [
        t
        for t in TRANSITIONS.values()
        if article.status in t.sources and _may_take(user, article, t)
    ]


def check_transition(
    *,
    article: Article,
    name: str,
    by: AbstractBaseUser,
    note: str = "",
    at: datetime | None = None,
    now: datetime | None = None,
) -> Transition:
    """Raise PermissionDenied or ValidationError unless the transition may happen.

    Looks at the article as given (its current ``status`` included), so callers
    that hold a lock pass the locked row.
    """
    now = now or timezone.now()
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise ValidationError(_("Thao tác không hợp lệ."))
    if not _may_take(by, article, transition):
        raise PermissionDenied(
            _("Bạn không có quyền “%(action)s” bài này.") % {"action": transition.label}
        )
    if article.status not in transition.sources:
        raise ValidationError(
            _("Không thể “%(action)s” một bài đang ở trạng thái “%(status)s”.")
            % {"action": transition.label, "status": article.get_status_display()}
        )
    if transition.needs_note and not note.strip():
        raise ValidationError(
            _("Hãy ghi rõ lý do khi “%(action)s”.") % {"action": transition.label}
        )
    embargo = article.embargo_until
    if transition.needs_time:
        if at is None or at <= now:
            raise ValidationError(_("Giờ hẹn đăng phải ở tương lai."))
        if embargo and at < embargo:
            raise ValidationError(
                _("Giờ hẹn đăng sớm hơn giờ cấm đăng (%(embargo)s).")
                % {"embargo": _local(embargo)}
            )
    if transition.name == "publish" and embargo and embargo > now:
        raise ValidationError(
            _("Bài bị cấm đăng trước %(embargo)s: hãy hẹn giờ từ lúc đó.")
            % {"embargo": _local(embargo)}
        )
    return transition


def _local(value: datetime) -> str:
    return date_format(timezone.localtime(value), "d/m/Y H:i")


def _snapshot(article: Article) -> dict:
    data: dict = {}
    for name in REVISION_FIELDS:
        field = Article._meta.get_field(name)
        value = getattr(article, field.attname)
        data[field.attname] = (
            value.isoformat() if isinstance(value, datetime) else value
        )
    data["section_name"] = str(article.section) if article.section_id else ""
    data["tags"] = sorted(tag.name for tag in article.tags.all())
    data["credits"] = [
        {
            "contributor_id": credit.contributor_id,
            "name": credit.contributor.name,
            "roles": credit.roles,
            "order": credit.order,
        }
        for credit in article.credits.select_related("contributor")
    ]
    return data


def article_record_revision(
    *, article: Article, by: AbstractBaseUser | None, note: str = ""
) -> ArticleRevision:
    """Freeze the article as saved (tags and credits included) as a new revision."""
    last = article.revisions.aggregate(last=Max("number"))["last"] or 0
    revision = ArticleRevision(
        article=article,
        number=last + 1,
        article_version=article.version,
        status=article.status,
        was_public=article.is_public,
        data=_snapshot(article),
        note=note[:300],
        created_by=by,
    )
    revision.full_clean()
    revision.save()
    return revision


def _audit(
    article: Article,
    *,
    action: str,
    from_status: str,
    by: AbstractBaseUser | None,
    note: str = "",
) -> AuditEntry:
    entry = AuditEntry(
        article=article,
        action=action,
        from_status=from_status,
        to_status=article.status,
        note=note,
        actor=by,
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def article_save(
    *, article: Article, by: AbstractBaseUser, expected_version: int | None = None
) -> Article:
    """Save the article's own fields as ``by``, refusing a save from a stale copy.

    Call ``article_record_revision`` once tags and credits are saved too.
    """
    if article.pk is None:
        article.created_by = by
    elif expected_version is not None:
        current = Article.objects.select_for_update().only("version").get(pk=article.pk)
        if current.version != expected_version:
            raise ValidationError(
                _("Bài đã được người khác lưu sau khi bạn mở; hãy tải lại.")
            )
    if not can_edit(user=by, article=article):
        raise PermissionDenied(_("Bạn không có quyền sửa bài này."))
    article.version += 1
    article.full_clean()
    article.save()
    return article


@transaction.atomic
def article_transition(
    *,
    article: Article,
    name: str,
    by: AbstractBaseUser,
    note: str = "",
    at: datetime | None = None,
) -> Article:
    """Move the article along the workflow (see ``TRANSITIONS``).

    Checks permission and state on the locked row, sets the publication time,
    validates, saves, and writes an audit entry and a revision. Raises
    PermissionDenied or ValidationError and changes nothing otherwise.
    """
    now = timezone.now()
    locked = Article.objects.select_for_update().get(pk=article.pk)
    article.status = locked.status
    article.version = locked.version
    transition = check_transition(
        article=article, name=name, by=by, note=note, at=at, now=now
    )
    from_status = article.status
    article.status = transition.target
    if transition.name == "schedule":
        article.published_at = at
    elif transition.name == "publish" and (
        article.published_at is None or article.published_at > now
    ):
        # Re-publishing keeps the original date; a story published ahead of
        # its schedule is dated now.
        article.published_at = now
    article.version += 1
    article.full_clean()
    article.save()
    _audit(article, action=transition.name, from_status=from_status, by=by, note=note)
    article_record_revision(article=article, by=by, note=str(transition.label))
    return article


def article_publish(
    *, article: Article, by: AbstractBaseUser, at: datetime | None = None
) -> Article:
    """Publish ``article`` now, or schedule it for ``at`` (readers see it then).

    Keeps an existing publication time so re-publishing does not re-date a story.
    """
    name = "schedule" if at and at > timezone.now() else "publish"
    return article_transition(article=article, name=name, by=by, at=at)


def article_unpublish(*, article: Article, by: AbstractBaseUser) -> Article:
    """Take ``article`` off every public page; it can be published again."""
    return article_transition(article=article, name="unpublish", by=by)


@transaction.atomic
def article_publish_due(*, article_id: int, now: datetime | None = None) -> bool:
    """Mark one due scheduled article as published, as the system.

    Readers already see it (``published()`` looks at the time); this records
    the fact and runs the side effects. Returns False when there was nothing
    to do, e.g. another run took it first: safe to run twice at once.
    """
    now = now or timezone.now()
    article = (
        Article.objects.due_for_publication(now)
        .select_for_update(skip_locked=True)
        .filter(pk=article_id)
        .first()
    )
    if article is None:
        return False
    article.status = S.PUBLISHED
    article.version += 1
    article.save()
    note = str(_("Tự động đăng theo lịch"))
    _audit(article, action="publish", from_status=S.SCHEDULED, by=None, note=note)
    article_record_revision(article=article, by=None, note=note)
    return True


@transaction.atomic
def article_restore(
    *, article: Article, revision: ArticleRevision, by: AbstractBaseUser
) -> Article:
    """Copy a revision's content back onto the article, as a new revision.

    The state, publication time and embargo are left as they are. Tags are
    restored; credits and the lead photo only where their records still exist.
    """
    if revision.article_id != article.pk:
        raise ValidationError(_("Phiên bản này không thuộc bài viết."))
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if not can_edit(user=by, article=locked):
        raise PermissionDenied(_("Bạn không có quyền sửa bài này."))
    data = revision.data
    for name in RESTORED_FIELDS:
        attname = Article._meta.get_field(name).attname
        setattr(locked, attname, data.get(attname))
    if not Section.objects.filter(pk=locked.section_id).exists():
        raise ValidationError(_("Chuyên mục của phiên bản này không còn nữa."))
    if not Photo.objects.filter(pk=locked.lead_photo_id).exists():
        locked.lead_photo_id = None
    locked.version += 1
    locked.full_clean()
    locked.save()
    locked.tags.set(data.get("tags", []))
    contributors = set(
        Contributor.objects.filter(
            pk__in=[c["contributor_id"] for c in data.get("credits", [])]
        ).values_list("pk", flat=True)
    )
    locked.credits.all().delete()
    for credit in data.get("credits", []):
        if credit["contributor_id"] in contributors:
            Credit.objects.create(
                article=locked,
                contributor_id=credit["contributor_id"],
                roles=credit["roles"],
                order=credit["order"],
            )
    note = str(_("Khôi phục phiên bản #%(n)d") % {"n": revision.number})
    _audit(locked, action="restore", from_status=locked.status, by=by, note=note)
    article_record_revision(article=locked, by=by, note=note)
    return locked


@transaction.atomic
def correction_publish(*, correction: Correction, by: AbstractBaseUser) -> Correction:
    """Attach a dated correction to a published (or withdrawn) article.

    The work's title, section and publication date are copied as they stand,
    as the legal form requires. Corrections are never edited afterwards.
    """
    if not by.has_perm("articles.publish_article"):
        raise PermissionDenied(_("Chỉ tổng biên tập được đăng đính chính."))
    article = correction.article
    if article.published_at is None or article.status not in (
        S.PUBLISHED,
        S.SCHEDULED,
        S.UNPUBLISHED,
        S.TAKEN_DOWN,
    ):
        raise ValidationError(_("Chỉ đính chính được bài đã xuất bản."))
    correction.work_title = article.title
    correction.work_section = str(article.section)
    correction.work_published_at = article.published_at
    correction.created_by = by
    correction.published_at = timezone.now()
    correction.full_clean()
    correction.save()
    _audit(
        article,
        action="correct",
        from_status=article.status,
        by=by,
        note=correction.text,
    )
    return correction


def describe_changes(old: dict, new: dict) -> list[tuple[str, str, str]]:
    """(field label, old value, new value) for each field two snapshots differ in."""
    labels = {
        Article._meta.get_field(name).attname: Article._meta.get_field(name)
        for name in REVISION_FIELDS
    }
    changes = []
    for key in [*labels, "tags", "credits"]:
        if key == "section_id":
            before, after = old.get("section_name"), new.get("section_name")
        elif key == "credits":
            before = ", ".join(c["name"] for c in old.get("credits", []))
            after = ", ".join(c["name"] for c in new.get("credits", []))
        elif key == "tags":
            before = ", ".join(old.get("tags", []))
            after = ", ".join(new.get("tags", []))
        else:
            before, after = old.get(key), new.get(key)
        if before != after:
            label = {"tags": _("từ khóa"), "credits": _("tác giả")}.get(key)
            label = label or labels[key].verbose_name
            changes.append((str(label), _plain(before), _plain(after)))
    return changes


def _plain(value) -> str:
    return "" if value is None else strip_tags(str(value))


def stale_save_message(*, article: Article, loaded: int) -> str:
    """Why a save from version ``loaded`` is refused, and what others changed."""
    revisions = {
        r.article_version: r
        for r in article.revisions.filter(
            article_version__in=[loaded, article.version]
        ).select_related("created_by")
    }
    latest = revisions.get(article.version)
    who = _("một người khác")
    when = ""
    if latest is not None:
        if latest.created_by is not None:
            who = latest.created_by.get_full_name() or latest.created_by.get_username()
        when = _local(latest.created_at)
    message = _(
        "Không lưu: %(who)s đã lưu bài này lúc %(when)s, sau khi bạn mở nó. "
        "Phần bạn vừa sửa vẫn còn trong biểu mẫu; hãy mở bài ở thẻ mới để xem "
        "bản mới nhất rồi chép phần của mình vào."
    ) % {"who": who, "when": when}
    if latest is not None and loaded in revisions:
        changes = describe_changes(revisions[loaded].data, latest.data)
        if changes:
            parts = [
                f"{label}: “{Truncator(old).chars(60)}” → “{Truncator(new).chars(60)}”"
                for label, old, new in changes
            ]
            message += " " + str(_("Đã thay đổi:")) + " " + "; ".join(parts)
    return message


# Photos: every import path goes through photo_create.


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
    photo.save()
    photo_make_renditions(photo=photo)
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
    if (
        images.carries_metadata(image)
        or max(image.size) > settings.PHOTO_MASTER_MAX_SIDE
    ):
        old_original = photo.image.name
        cleaned = images.clean_original(image, image.format)
        basename = old_original.rsplit("/", 1)[-1]
        # A named file: Django reads the new width and height from it.
        photo.image.save(basename, ContentFile(cleaned, name=basename), save=False)
        old_files.append(old_original)
        image = images.open_checked(cleaned)

    key = _renditions_key(photo)
    focus = (photo.focus_x, photo.focus_y)
    renditions: dict = {"key": key}
    for made in images.make_renditions(image, focus=focus):
        extension = "jpg" if made.fmt == "jpeg" else made.fmt
        name = default_storage.save(
            f"photos/r/{photo.pk}/{made.crop}-{made.width}-{key}.{extension}",
            ContentFile(made.content),
        )
        renditions.setdefault(made.crop, {}).setdefault(made.fmt, []).append(
            [made.width, made.height, name]
        )
    photo.renditions = renditions
    photo.save(update_fields=["image", "width", "height", "renditions"])

    stale = set(old_files) - set(_rendition_names(renditions)) - {photo.image.name}
    transaction.on_commit(lambda: _delete_files(stale))
    given.refresh_from_db(fields=["image", "width", "height", "renditions"])
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
