"""The comments' background work, done by the worker (paper/tasks.py)."""

from django_tasks import task

from paper.tasks import retried

from .services import comment_digest_send_if_due


@task()
def send_comment_digest(attempt: int = 1) -> bool:
    """The moderators' digest, when one is due; enqueued when a comment is
    held or sent back to the queue. True when one was sent."""
    with retried(send_comment_digest, attempt=attempt):
        return comment_digest_send_if_due()
