from collections.abc import Callable

from django.http import HttpRequest

from .models import Comment


def moderation(request: HttpRequest) -> dict:
    """The pending comment count that every admin page shows to moderators.

    A callable: the template calls it only where it prints the count (the admin
    header), so public pages never pay for the query.
    """

    def pending_count() -> int | None:
        user = getattr(request, "user", None)
        if not (user and user.is_staff and user.has_perm("comments.change_comment")):
            return None
        return Comment.objects.pending().count()

    count: Callable[[], int | None] = pending_count
    return {"comments_pending_count": count}
