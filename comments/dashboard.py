"""The comments' panel on the editors' dashboard (the admin index)."""

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from .models import Comment


def dashboard_panels(user: AbstractBaseUser) -> list[dict]:
    """How many comments wait for a moderator; admin/index.html links it."""
    if not user.has_perm("comments.view_comment"):
        return []
    return [
        {
            "key": "comments",
            "title": _("Bình luận chờ duyệt"),
            "rows": [],
            "count": Comment.objects.pending().count(),
            "empty": "",
        }
    ]
