"""The newsroom's workflow: who may edit an article, and how it moves
from state to state.

Every state change is one call to ``article_transition``: it checks the
user's permission and the article's state, writes an audit entry and a
revision, and changes nothing at all if any of that fails.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from ..models import Article, ArticleRevision, Photo, Section, Video
from .records import (
    RESTORED_FIELDS,
    _audit,
    article_record_revision,
    describe_changes,
    restore_related,
)

S = Article.Status


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

    The state, publication time and embargo are left as they are. Tags,
    credits, body photos and videos, the lead video and the photo story are
    restored as recorded (see ``restore_related``); credits, photos and videos
    only where their contributor or library entry still exists, and the new
    revision's note names what was not.
    """
    if revision.article_id != article.pk:
        raise ValidationError(_("Phiên bản này không thuộc bài viết."))
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if not can_edit(user=by, article=locked):
        raise PermissionDenied(_("Bạn không có quyền sửa bài này."))
    data = revision.data
    for name in RESTORED_FIELDS:
        attname = Article._meta.get_field(name).attname
        # A field added since the revision was written (the lead video, the
        # layout) is left as it is: the revision does not say what it was.
        if attname in data:
            setattr(locked, attname, data[attname])
    if not Section.objects.filter(pk=locked.section_id).exists():
        raise ValidationError(_("Chuyên mục của phiên bản này không còn nữa."))
    skipped = []
    if not Photo.objects.filter(pk=locked.lead_photo_id).exists():
        if locked.lead_photo_id is not None:
            skipped.append(str(_("ảnh đầu bài đã bị xóa khỏi thư viện")))
        locked.lead_photo_id = None
    if not Video.objects.filter(pk=locked.lead_video_id).exists():
        if locked.lead_video_id is not None:
            skipped.append(str(_("video đầu bài đã bị xóa khỏi thư viện")))
        locked.lead_video_id = None
    locked.version += 1
    locked.full_clean()
    locked.save()
    skipped += restore_related(article=locked, data=data)
    note = str(_("Khôi phục phiên bản #%(n)d") % {"n": revision.number})
    if skipped:
        note += "; " + str(_("không khôi phục được: ")) + ", ".join(skipped)
    _audit(locked, action="restore", from_status=locked.status, by=by, note=note)
    article_record_revision(article=locked, by=by, note=note)
    return locked
