"""Writes on comments: a reader's submission and report, a moderator's decisions."""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Permission
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article
from pagecache.purge import purge
from paper.models import SiteSettings
from paper.tasks import enqueue_on_commit

from . import defences, spam
from .models import Comment, CommentSettings, body_fingerprint
from .normalise import read

# A reader naming themselves like the newsroom would borrow its authority.
_NEWSROOM_NAMES = ("toasoan", "banbientap", "banquantri", "quantrivien", "admin")
# Shorter texts ("Hay quá", "Đồng ý") are said alike by many readers.
_DUPLICATE_MIN_CHARS = 30


def is_newsroom_user(user: AbstractBaseUser | None) -> bool:
    """Staff who may moderate comments reply as "Tòa soạn"."""
    return bool(
        user
        and user.is_authenticated
        and user.is_staff
        and user.has_perm("comments.change_comment")
    )


def _looks_like_newsroom(name: str) -> bool:
    compact = read(name).compact
    paper = read(SiteSettings.load().name).compact
    return any(part in compact for part in (*_NEWSROOM_NAMES, paper) if part)


def _repeated(comment: Comment, config: CommentSettings) -> bool:
    """The same text, within the window, from this sender on another article
    or from another reader anywhere (the same sender on the same article was
    refused already)."""
    since = timezone.now() - timedelta(days=config.duplicate_window_days)
    earlier = Comment.objects.filter(body_hash=comment.body_hash, created_at__gte=since)
    if len(read(comment.body).compact) < _DUPLICATE_MIN_CHARS:
        # Short praise is said alike by many readers; only the sender's own
        # repeats count.
        same_sender = Q(email__iexact=comment.email)
        if comment.ip_address:
            same_sender |= Q(ip_address=comment.ip_address)
        earlier = earlier.filter(same_sender)
    return earlier.exists()


def _screen(
    comment: Comment, *, config: CommentSettings, issued_at: float | None
) -> list[str]:
    """Set the status a reader's comment starts with, its spam score and
    signals; returns why it was held or marked."""
    fields = (comment.name, comment.email, comment.body, comment.ip_address or "")
    reading = read(comment.body)
    signals = spam.reading_signals(reading)
    reasons = []
    blocked = defences.match_word_list(config.blocked_list, *fields)
    if blocked:
        reasons.append(_("Chứa từ bị chặn “%s”.") % blocked)
    word = defences.match_word_list(config.moderation_list, *fields)
    if word:
        reasons.append(_("Chứa từ cần kiểm duyệt “%s”.") % word)
    if len(reading.links) > config.max_links:
        reasons.append(
            _("Có %(links)d liên kết (tối đa %(max)d).")
            % {"links": len(reading.links), "max": config.max_links}
        )
    if issued_at is not None:
        seconds = defences.clock() - issued_at
        if seconds < config.min_seconds_to_post:
            signals.append(spam.Signal.FAST)
            reasons.append(
                _("Gửi chỉ %d giây sau khi mở trang, có thể là máy gửi.")
                % max(int(seconds), 0)
            )
    if _looks_like_newsroom(comment.name):
        signals.append(spam.Signal.NEWSROOM_NAME)
        reasons.append(spam.Signal.describe(spam.Signal.NEWSROOM_NAME))
    if _repeated(comment, config):
        signals.append(spam.Signal.DUPLICATE)
        reasons.append(spam.Signal.describe(spam.Signal.DUPLICATE))
    comment.spam_signals = " ".join(signals)
    # Rules hold a comment for a moderator; they never mark it as spam on
    # their own: only the moderators' word list and the learned score do.
    held = bool(reasons)
    found = spam.score(spam.features(reading, comment.name, signals))
    if found is not None:
        comment.spam_score = found.value
        if found.value >= config.spam_hold_score:
            held = True
            reasons.append(_("Điểm rác %d/100.") % found.value)
            if found.telling:
                reasons.append(_("Từ đáng ngờ: %s.") % ", ".join(found.telling))
            # What in the text a moderator should look at; the other signals
            # already gave their reason above.
            reasons.extend(
                spam.Signal.describe(signal, reading)
                for signal in signals
                if signal in spam.Signal.CLUES
            )
    if blocked or (found and found.value >= config.spam_score_threshold):
        comment.status = Comment.Status.SPAM
    elif held or config.require_approval:
        comment.status = Comment.Status.PENDING
    else:
        comment.status = Comment.Status.APPROVED
    return reasons


def comment_submit(
    *,
    article: Article,
    name: str,
    email: str,
    body: str,
    parent_id: int | None = None,
    issued_at: float | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
    by: AbstractBaseUser | None = None,
    config: CommentSettings | None = None,
) -> Comment:
    """Store a comment; a reader's passes every defence first.

    Raises RateLimited (nothing stored, nothing else checked) past a rate limit,
    and ValidationError (nothing stored) on invalid input or a repeat of the
    same text on the same article. A newsroom reply is approved at once.
    """
    config = config or CommentSettings.load()
    newsroom = is_newsroom_user(by)
    if not newsroom:
        # Before any database work: a flood costs a few cache operations each.
        defences.check_rate_limits(ip_address=ip_address, email=email, config=config)
    with transaction.atomic():
        comment = Comment(
            article=article,
            parent_id=parent_id,
            name=name,
            email=email,
            body=body,
            ip_address=ip_address,
            # Headers are not validated by the form: keep printable text only.
            user_agent="".join(ch for ch in user_agent if ch.isprintable())[:300],
            body_hash=body_fingerprint(body),
        )
        comment.full_clean()
        if newsroom:
            comment.is_newsroom = True
            comment.status = Comment.Status.APPROVED
            comment.moderated_by = by
            comment.moderated_at = timezone.now()
        else:
            same_sender = Q(email__iexact=email)
            if ip_address:
                # Never "IS NULL": purged comments have no address.
                same_sender |= Q(ip_address=ip_address)
            repeat = Comment.objects.filter(
                article=article, body_hash=comment.body_hash
            ).filter(same_sender)
            if repeat.exists():
                raise ValidationError(
                    _("Bạn đã gửi bình luận này rồi; nó đang chờ hoặc đã hiển thị."),
                    code="duplicate",
                )
            reasons = _screen(comment, config=config, issued_at=issued_at)
            comment.held_reason = " ".join(reasons)[:500]
        comment.save()
    if comment.status == Comment.Status.PENDING:
        _notify_moderators(config)
    return comment


def _moderate(comments: Iterable[Comment], status: str, by: AbstractBaseUser) -> int:
    comments = list(comments)
    ids = [comment.pk for comment in comments]
    changes = {"status": status, "moderated_at": timezone.now(), "moderated_by": by}
    if status == Comment.Status.APPROVED:
        # Approved again after reports: new reports start counting from zero.
        changes["report_count"] = 0
    changed = Comment.objects.filter(pk__in=ids).update(**changes)
    spam.learn_from_decisions(comments, status)
    # An update() sends no signal: purge what the rows' own saves would.
    purge(*set().union(*(comment.purge_keys() for comment in comments)))
    return changed


@transaction.atomic
def comments_approve(*, comments: Iterable[Comment], by: AbstractBaseUser) -> int:
    """Show these comments to readers. Returns how many were changed."""
    return _moderate(comments, Comment.Status.APPROVED, by)


@transaction.atomic
def comments_reject(*, comments: Iterable[Comment], by: AbstractBaseUser) -> int:
    """Hide these comments; they are kept for the record."""
    return _moderate(comments, Comment.Status.REJECTED, by)


@transaction.atomic
def comments_mark_spam(*, comments: Iterable[Comment], by: AbstractBaseUser) -> int:
    """Hide these comments as spam; they are kept for the record."""
    return _moderate(comments, Comment.Status.SPAM, by)


def comment_report(
    *,
    comment: Comment,
    ip_address: str | None,
    config: CommentSettings | None = None,
) -> bool:
    """Count a reader's report; at the threshold the comment goes back to the queue.

    One report per address and comment counts. Returns True when the comment was
    sent back to the queue by this report.
    """
    config = config or CommentSettings.load()
    if not defences.first_report(comment_id=comment.pk, ip_address=ip_address):
        return False
    with transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(report_count=F("report_count") + 1)
        # Row-locked on PostgreSQL: two reports at the threshold requeue once.
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        requeue = (
            locked.status == Comment.Status.APPROVED
            and locked.report_count >= max(config.report_threshold, 1)
        )
        if requeue:
            locked.status = Comment.Status.PENDING
            locked.held_reason = _("Bạn đọc báo vi phạm %d lần.") % locked.report_count
            locked.save(update_fields=["status", "held_reason"])
    if requeue:
        _notify_moderators(config)
    return requeue


def _moderator_emails(config: CommentSettings) -> list[str]:
    if config.notify_list:
        return config.notify_list
    perm = Permission.objects.filter(
        content_type__app_label="comments", codename="change_comment"
    ).first()
    if perm is None:
        return []
    users = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions=perm)
            | Q(groups__permissions=perm)
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    return sorted(users)


def _digest_due(config: CommentSettings, now) -> bool:
    last = config.digest_sent_at
    return last is None or last <= now - timedelta(
        minutes=config.notify_interval_minutes
    )


def _notify_moderators(config: CommentSettings) -> None:
    """A comment waits: the worker sends the digest if one is due. Nothing is
    mailed while the reader's request waits. Within an interval nothing is
    enqueued; the periodic ``send_comment_digest`` tells of those comments."""
    if _digest_due(config, timezone.now()):
        from .tasks import send_comment_digest

        enqueue_on_commit(send_comment_digest)


def comment_digest_send_if_due(*, config: CommentSettings | None = None) -> bool:
    """Email moderators about waiting comments, at most once per interval.

    Run by the worker (comments.tasks) and the periodic job, never in a
    request. The interval is claimed with one conditional UPDATE in the
    transaction that sends: concurrent runs in several processes send a single
    digest, and a send that fails (or a worker killed while it sends) rolls the
    claim back, so the next try sends it. Returns True when one was sent;
    raises what the mail server raised.
    """
    config = config or CommentSettings.load()
    pending = Comment.objects.pending()
    waiting = pending.count()
    if not waiting:
        return False
    recipients = _moderator_emails(config)
    if not recipients:
        return False
    now = timezone.now()
    due_before = now - timedelta(minutes=config.notify_interval_minutes)
    with transaction.atomic():
        claimed = (
            CommentSettings.objects.filter(pk=config.pk)
            .filter(Q(digest_sent_at__isnull=True) | Q(digest_sent_at__lte=due_before))
            .update(digest_sent_at=now)
        )
        if not claimed:
            return False
        oldest = list(pending.select_related("article").order_by("created_at")[:10])
        context = {
            "waiting": waiting,
            "oldest": oldest,
            "queue_url": settings.SITE_URL
            + reverse("admin:comments_comment_changelist")
            + "?status__exact=pending",
        }
        # EMAIL_TIMEOUT bounds how long the claimed row stays locked.
        send_mail(
            subject=_("[Tòa soạn] %d bình luận đang chờ duyệt") % waiting,
            message=render_to_string("comments/digest_email.txt", context),
            from_email=None,
            recipient_list=recipients,
        )
    return True


def comment_personal_data_purge(*, older_than_days: int, dry_run: bool = False) -> int:
    """Erase IP addresses and user agents of comments older than the retention.

    Comments themselves are kept (rejected and spam ones too, for the legal
    record). Idempotent: returns how many comments still held such data.
    """
    cutoff = timezone.now() - timedelta(days=older_than_days)
    stale = Comment.objects.filter(created_at__lt=cutoff).filter(
        Q(ip_address__isnull=False) | ~Q(user_agent="")
    )
    if dry_run:
        return stale.count()
    with transaction.atomic():
        return stale.update(ip_address=None, user_agent="")
