"""The worker benchmark's task (bench/worker_throughput.py): does nothing, so
what is measured is the worker and the task table."""

from django_tasks import task


@task()
def trivial(n: int) -> int:
    return n
