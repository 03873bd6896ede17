"""The print edition's writes: an upload is saved at once, its pages are made by
the worker (``render_issue``), and a deleted issue takes its files with it."""

import logging
import secrets
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from paper.tasks import enqueue_on_commit

from . import pdf
from .models import Issue, IssuePage, search_line

log = logging.getLogger(__name__)


@transaction.atomic
def issue_save(
    *, issue: Issue, pdf_changed: bool, by=None, render_now: bool = False
) -> Issue:
    """Save ``issue`` as an editor's form left it (its PDF already checked by
    ``pdf.check``). A new PDF is queued for the worker, which makes the pages;
    until then readers see the old pages, or nothing for a new issue.
    ``render_now`` makes them in this process instead (the demo paper)."""
    if issue.pk is None:
        issue.created_by = by
    replaced = ""
    if pdf_changed and issue.pk is not None:
        # Readers are offered the new file from this save on.
        replaced = Issue.objects.filter(pk=issue.pk).values_list("pdf", flat=True)[0]
    if pdf_changed:
        issue.pdf_size = issue.pdf.size
        issue.status = Issue.Status.PENDING
        issue.error = ""
    issue.full_clean()
    issue.save()
    if replaced and replaced != issue.pdf.name:
        transaction.on_commit(lambda: _delete_files([replaced]))
    if pdf_changed and render_now:
        issue_render(issue=issue)
    elif pdf_changed:
        issue_queue_render(issue=issue)
    return issue


def issue_queue_render(*, issue: Issue) -> None:
    """Ask the worker to make ``issue``'s pages once this transaction commits."""
    from .tasks import render_issue

    if issue.status != Issue.Status.PENDING:
        issue.status = Issue.Status.PENDING
        issue.error = ""
        issue.save(update_fields=["status", "error", "updated_at"])
    enqueue_on_commit(render_issue, issue.pk)


def _store(
    issue: Issue, key: str, page: pdf.RenderedPage, written: list[str]
) -> dict[str, str]:
    names = {}
    for kind, path in page.files.items():
        with path.open("rb") as stream:
            names[kind] = default_storage.save(
                f"bao-in/trang/{issue.pk}/{key}/{page.number}-{kind}{path.suffix}",
                File(stream),
            )
        written.append(names[kind])
    return names


def issue_render(*, issue: Issue) -> bool:
    """Make the pictures and text of every page of ``issue``'s PDF and put
    them in place in one transaction; True when done, False when the PDF was
    refused (the reason is in ``issue.error``, the status is FAILED).

    Pages are drawn two at a time, each in its own limited process
    (editions/pdf.py). New files get new names (a key per run), so a picture
    a reader's browser or a CDN keeps is never replaced under the same name;
    the previous run's files are deleted once the new rows are committed. An
    issue whose PDF was replaced meanwhile is left to the run queued by that
    replacement. Storage or database failures are raised, for the task to
    try again; nothing written by this run is left behind.
    """
    pdf_name = issue.pdf.name
    key = secrets.token_hex(5)
    written: list[str] = []
    try:
        with tempfile.TemporaryDirectory(prefix="bao-in-") as folder:
            with issue.pdf.open("rb") as stored, pdf.local_copy(stored) as path:
                facts = pdf.check_path(path)
                with ThreadPoolExecutor(settings.PRINT_RENDER_PROCESSES) as pool:
                    pages = list(
                        pool.map(
                            lambda number: pdf.render_page(
                                path, number, Path(folder) / str(number)
                            ),
                            range(1, facts.page_count + 1),
                        )
                    )
            stored_names = [_store(issue, key, page, written) for page in pages]
            return _put_in_place(issue, pdf_name, pages, stored_names, written)
    except pdf.PdfRefused as refused:
        _delete_files(written)
        _mark_failed(issue, pdf_name, refused.message)
        return False
    except BaseException:
        _delete_files(written)
        raise


@transaction.atomic
def _put_in_place(
    issue: Issue,
    pdf_name: str,
    pages: list[pdf.RenderedPage],
    names: list[dict[str, str]],
    written: list[str],
) -> bool:
    locked = Issue.objects.select_for_update().get(pk=issue.pk)
    if locked.pdf.name != pdf_name:
        transaction.on_commit(lambda: _delete_files(written))
        return False
    existing = {page.number: page for page in locked.pages.all()}
    stale = [name for page in existing.values() for name in page.file_names()]
    new = []
    for page, files in zip(pages, names, strict=True):
        fields = {
            "width": page.width,
            "height": page.height,
            "text": page.text,
            "search_text": search_line(page.text),
            **files,
        }
        if page.number in existing:
            # update(): one purge for the issue below, not one per page.
            IssuePage.objects.filter(pk=existing[page.number].pk).update(**fields)
        else:
            new.append(IssuePage(issue=locked, number=page.number, **fields))
    IssuePage.objects.bulk_create(new)
    IssuePage.objects.filter(issue=locked, number__gt=len(pages)).delete()
    locked.page_count = len(pages)
    locked.status = Issue.Status.READY
    locked.error = ""
    locked.rendered_at = timezone.now()
    # Saving the issue purges its page and the lists (pagecache.purge.watch).
    locked.save(
        update_fields=["page_count", "status", "error", "rendered_at", "updated_at"]
    )
    transaction.on_commit(lambda: _delete_files(stale))
    issue.refresh_from_db()
    return True


@transaction.atomic
def _mark_failed(issue: Issue, pdf_name: str, message: str) -> None:
    locked = Issue.objects.select_for_update().get(pk=issue.pk)
    if locked.pdf.name == pdf_name:
        locked.status = Issue.Status.FAILED
        locked.error = message
        locked.save(update_fields=["status", "error", "updated_at"])
        log.warning("Print issue %s refused: %s", locked.pk, message)
    issue.refresh_from_db()


@transaction.atomic
def issue_delete(*, issue: Issue) -> None:
    """Delete ``issue`` and, once that is committed, its PDF and pictures:
    they are reachable by URL for as long as they exist."""
    names = [issue.pdf.name] if issue.pdf else []
    names += [name for page in issue.pages.all() for name in page.file_names()]
    issue.delete()
    transaction.on_commit(lambda: _delete_files(names))


def _delete_files(names) -> None:
    for name in names:
        default_storage.delete(name)
