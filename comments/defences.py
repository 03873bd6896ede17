"""Spam and abuse defences for reader comments, all offline.

Each defence is a small pure function so it can be tested with hostile input;
``services.comment_submit`` applies them in order. Time comes from ``clock()``
so tests move it instead of sleeping.
"""

import ipaddress
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from articles.models import Article

from . import normalise
from .models import CommentSettings

_TOKEN_SALT = "comments.form-token"  # noqa: S105 - a signing salt, not a secret


def clock() -> float:
    """Seconds since the epoch; patched in tests."""
    return time.time()


# --- The signed form token -------------------------------------------------


def form_token(article_id: int, issued_at: float | None = None) -> str:
    """A token for the comment form that says which article and when it was
    served; ``read_form_token`` checks it."""
    # The exact time: whole seconds made "posted after N seconds" off by up to
    # one (and the speed check's test flaky).
    issued = clock() if issued_at is None else issued_at
    return signing.dumps({"a": article_id, "t": issued}, salt=_TOKEN_SALT)


class TokenError(Exception):
    def __init__(self, message: str, *, expired: bool = False):
        super().__init__(message)
        self.message = message
        self.expired = expired


def read_form_token(token: str, *, article_id: int, max_age_hours: int) -> float:
    """When the form was served; raises TokenError when forged, foreign or expired."""
    try:
        data = signing.loads(token, salt=_TOKEN_SALT)
        issued_at = float(data["t"])
        token_article = int(data["a"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise TokenError(
            _("Biểu mẫu không hợp lệ. Vui lòng tải lại trang rồi gửi lại.")
        ) from None
    if token_article != article_id:
        raise TokenError(
            _("Biểu mẫu không hợp lệ. Vui lòng tải lại trang rồi gửi lại.")
        )
    if clock() - issued_at > max_age_hours * 3600:
        raise TokenError(
            _(
                "Trang đã mở quá lâu nên biểu mẫu hết hạn. Bình luận của bạn vẫn "
                "còn bên dưới: hãy bấm “Gửi bình luận” lần nữa."
            ),
            expired=True,
        )
    return issued_at


# --- Word lists ----------------------------------------------------------------


def match_word_list(terms: list[str], *values: str) -> str | None:
    """The first listed term found in any value, however it was disguised;
    see ``normalise.find_term`` for how words match."""
    readings = [(normalise.read(value or ""), value or "") for value in values]
    for term in terms:
        if any(normalise.find_term(term, reading, raw) for reading, raw in readings):
            return term
    return None


# --- Rate limits -------------------------------------------------------------


class RateLimited(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _key(scope: str, value: str, window: int) -> str:
    slot = int(clock() // window)
    # Hashed: the cache never holds a reader's IP or email in clear.
    digest = salted_hmac("comments.rate", value).hexdigest()[:32]
    return f"comments:rate:{scope}:{window}:{slot}:{digest}"


def _hit(key: str, window: int) -> int:
    """Count one attempt in the current fixed window; returns the new count.

    ``add`` then ``incr`` are atomic on Redis and on the locking file cache, so
    concurrent processes never lose a count.
    """
    cache.add(key, 0, timeout=window + 60)
    try:
        return cache.incr(key)
    except ValueError:
        # The key expired between add and incr.
        cache.add(key, 1, timeout=window + 60)
        return 1


def check_rate_limits(*, ip_address: str | None, email: str, config) -> None:
    """Count this comment against every limit; raise RateLimited past any of them.

    Per minute and per day, for the address and for the email. Refused
    attempts count towards the minute only, so a burst does not eat a
    reader's whole day.
    """
    subjects = [
        ("email", email.strip().lower(), config.email_per_minute, config.email_per_day)
    ]
    if ip_address:
        subjects.insert(0, ("ip", ip_address, config.ip_per_minute, config.ip_per_day))
    day_spent = RateLimited(
        _("Bạn đã gửi quá nhiều bình luận hôm nay. Vui lòng quay lại vào ngày mai.")
    )
    too_fast = RateLimited(
        _(
            "Bạn gửi bình luận quá nhanh. Vui lòng chờ một phút rồi gửi lại; nội "
            "dung bạn viết vẫn còn bên dưới."
        )
    )
    day_keys = []
    for scope, value, _per_minute, per_day in subjects:
        day_key = _key(scope, value, 86400)
        # Once the day is spent, say so rather than "wait a minute".
        if (cache.get(day_key) or 0) >= per_day:
            raise day_spent
        day_keys.append((day_key, per_day))
    for scope, value, per_minute, _per_day in subjects:
        if _hit(_key(scope, value, 60), 60) > per_minute:
            raise too_fast
    for day_key, per_day in day_keys:
        if _hit(day_key, 86400) > per_day:
            raise day_spent


def first_report(*, comment_id: int, ip_address: str | None) -> bool:
    """True the first time this address reports this comment (kept 30 days)."""
    digest = salted_hmac("comments.report", ip_address or "-").hexdigest()[:32]
    return cache.add(f"comments:report:{comment_id}:{digest}", 1, timeout=30 * 86400)


# --- Request and article helpers --------------------------------------------


def client_ip(request: HttpRequest) -> str | None:
    """The reader's address; behind our proxy, the one the proxy saw."""
    candidates = []
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        # The proxy appends the address it saw: the right-most entry is the
        # only one a reader cannot forge.
        candidates.append(forwarded.rsplit(",", 1)[-1].strip())
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def closes_at(article: Article, config: CommentSettings) -> datetime | None:
    """When comments on this article close by age; None when they never do."""
    days = article.section.comments_close_after_days
    if days is None:
        days = config.close_after_days
    if not days or article.published_at is None:
        return None
    return article.published_at + timedelta(days=days)


def comments_open(article: Article, config: CommentSettings) -> bool:
    """Whether readers may comment now: per article, then by age."""
    if not article.is_commentable:
        return False
    closing = closes_at(article, config)
    now = datetime.fromtimestamp(clock(), tz=timezone.get_current_timezone())
    return closing is None or now < closing
