"""The background worker: django-tasks' ``db_worker``, which first takes back
the tasks a worker of this server was running when it died."""

import logging
import os
import socket

from django_tasks import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def take_back_cut_off_tasks(worker_id: str) -> int:
    """Tasks left RUNNING by a dead worker of this server go back to READY.

    A worker stopped by SIGTERM (systemctl stop, a deploy) finishes its task
    first; one killed outright (SIGKILL, out of memory, a power cut) leaves the
    row RUNNING, and no worker would ever take it again. Workers are named
    ``host:pid``, so a row claimed on this host by a process that is gone (or
    by this very pid, a previous life in a container) was cut off. Such a task
    runs again: work is done at least once, not exactly once (a mail may
    arrive twice). Workers given another id are left alone.
    """
    host, _, _ = worker_id.rpartition(":")
    taken = 0
    for row in DBTaskResult.objects.running().only("id", "worker_ids"):
        claimer = row.worker_ids[-1] if row.worker_ids else ""
        claimer_host, _, pid = claimer.rpartition(":")
        if claimer_host != host or not pid.isdigit():
            continue
        if claimer != worker_id and _alive(int(pid)):
            continue
        taken += (
            DBTaskResult.objects.running()
            .filter(pk=row.pk)
            .update(status=TaskResultStatus.READY, started_at=None)
        )
    return taken


class Command(db_worker.Command):
    help = (
        "Run the background worker (django-tasks' db_worker: mail and other "
        "work enqueued by requests). Takes back first the tasks a worker of this "
        "server was running when it died. Stops cleanly on SIGTERM after the "
        "task at hand; --batch does what is ready, then exits."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # host:pid rather than a random id: take_back_cut_off_tasks reads it.
        parser.set_defaults(worker_id=f"{socket.gethostname()[:50]}:{os.getpid()}")

    def handle(self, *args, worker_id: str, **options):
        taken = take_back_cut_off_tasks(worker_id)
        if taken:
            logger.warning(
                "Took back %d task(s) cut off when a worker of this server died.",
                taken,
            )
        super().handle(*args, worker_id=worker_id, **options)
