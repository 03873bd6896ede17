"""Background work: django-tasks (the backport of Django 6's Tasks framework)
with its database backend, run by ``manage.py run_worker``.

Work that is slow or may fail (mail, for now) never runs while a request
waits: the request enqueues a task once its writes commit, a row of the task
table, and the worker does it. A task that fails is enqueued again after a
growing delay, up to ``ATTEMPTS`` times in all, then given up with an ERROR
line; each failed attempt stays in the table with its traceback (the admin's
"Task Results"). Rows outlive a worker's restart: they are in the database.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import partial

from django.core.mail import mail_admins
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

logger = logging.getLogger(__name__)

# Tries in all, the first included; the waits between them grow fourfold:
# 30 s, 2 min, 8 min, 32 min (a mail server's restart or a short outage).
ATTEMPTS = 5
FIRST_WAIT = timedelta(seconds=30)


def wait_before(attempt: int) -> timedelta:
    """How long after failed attempt ``attempt`` the next one runs."""
    return FIRST_WAIT * 4 ** (attempt - 1)


def enqueue_on_commit(task_: Task, *args, **kwargs) -> None:
    """Enqueue ``task_`` once the current transaction commits (at once outside
    one): a rolled-back write queues nothing, and the worker never looks for
    rows that are not there yet. A queue that cannot take the task (the
    database went away after the commit) is logged, not raised: the reader's
    write stands."""
    transaction.on_commit(partial(task_.enqueue, *args, **kwargs), robust=True)


@contextmanager
def retried(task_: Task, *args, attempt: int, **kwargs) -> Iterator[None]:
    """Around a task's work: when it raises, the same task with the same
    arguments is enqueued again to run after ``wait_before(attempt)``, with
    ``attempt + 1``, unless this was the last attempt; then the error goes on
    up, so the worker records this attempt as failed."""
    try:
        yield
    except Exception as error:
        if attempt >= ATTEMPTS:
            logger.error(
                "Task %s failed %d times; given up (%s).", task_.name, attempt, error
            )
        else:
            wait = wait_before(attempt)
            task_.using(run_after=timezone.now() + wait).enqueue(
                *args, attempt=attempt + 1, **kwargs
            )
            logger.warning(
                "Task %s failed (attempt %d of %d: %s); next try in %s.",
                task_.name,
                attempt,
                ATTEMPTS,
                error,
                wait,
            )
        raise


@task()
def send_admins_mail(
    subject: str, message: str, html_message: str | None = None, attempt: int = 1
) -> None:
    """Django's error mail to ADMINS (paper.logs.QueuedAdminEmailHandler)."""
    with retried(
        send_admins_mail, subject, message, html_message=html_message, attempt=attempt
    ):
        mail_admins(subject, message, html_message=html_message)
