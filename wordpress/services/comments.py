"""Comments: readers' and the newsroom's, threaded one level as ours are."""

import ipaddress
import re

from articles.models import Article
from comments.models import Comment

from .. import content, wxr
from .base import K, RunBase, _digest, _valid_email, _wp_datetime


class CommentImport(RunBase):
    def comments(self, item: wxr.Item, article: Article) -> None:
        for comment in sorted(item.comments, key=lambda c: int(c.wp_id or 0)):
            if comment.type in ("pingback", "trackback"):
                self.report.count(K.COMMENT, "skipped", comment.type)
                continue
            self._item(K.COMMENT, comment.wp_id, self.comment, (comment, article))

    def comment(self, pair: tuple[wxr.Comment, Article]) -> Comment:
        wp, article = pair
        status = {
            "1": Comment.Status.APPROVED,
            "0": Comment.Status.PENDING,
            "spam": Comment.Status.SPAM,
        }.get(wp.approved, Comment.Status.REJECTED)  # trash, post-trashed
        digest = _digest(wp.author, wp.email, wp.content, wp.approved, wp.parent)
        found, row = self._lookup(K.COMMENT, wp.wp_id, Comment)
        if row is not None and found.digest == digest:
            self.report.count(K.COMMENT, "unchanged")
            return row
        parent = None
        if wp.parent not in ("", "0"):
            parent = self._target(K.COMMENT, wp.parent, Comment)
            # Ours thread one level: a reply to a reply answers the first comment.
            if parent is not None and parent.parent_id:
                parent = parent.parent
        row = row or Comment(article=article)
        row.parent = parent
        row.name = content.plain(wp.author)[:80] or "Bạn đọc"
        row.email = wp.email if _valid_email(wp.email) else ""
        row.body = _comment_text(wp.content)[:3000]
        row.status = status
        row.ip_address = _valid_ip(wp.ip)
        row.user_agent = wp.agent[:300]
        row.is_newsroom = wp.user_id not in ("", "0") and wp.user_id in self.author_ids
        # Email may be empty: WordPress lets readers post without one.
        # Threads and statuses are WordPress's: clean() (which refuses a reply
        # to a pending comment) is for readers posting now.
        row.clean_fields(exclude=["email", "parent", "article"])
        row.save()
        when = _wp_datetime(wp.date, wp.date_gmt)
        if when is not None:  # created_at is auto_now_add
            Comment.objects.filter(pk=row.pk).update(created_at=when)
        self._remember(K.COMMENT, wp.wp_id, row, digest)
        self._outcome(K.COMMENT, found)
        return row


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def _comment_text(raw: str) -> str:
    """Comments are plain text here: WordPress's paragraphs become blank lines."""
    text = re.sub(r"</p>\s*<p[^>]*>|<br\s*/?>", "\n", raw or "", flags=re.I)
    lines = [content.plain(line) for line in text.split("\n")]
    return "\n".join(lines).strip()
