"""The print edition's background work: making an issue's pages."""

from django_tasks import task

from paper.tasks import retried

from .models import Issue


@task()
def render_issue(issue_id: int, attempt: int = 1) -> None:
    """Make the pages of an uploaded issue (``services.issue_render``). A
    refused PDF is recorded on the issue, not tried again; a failure of the
    storage or the database is (paper.tasks.retried)."""
    from .services import issue_render

    issue = Issue.objects.filter(pk=issue_id).first()
    if issue is None:
        return  # deleted since it was queued
    with retried(render_issue, issue_id, attempt=attempt):
        issue_render(issue=issue)
