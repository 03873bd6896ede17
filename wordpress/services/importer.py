"""The WordPress import: authors, terms, photos, posts, pages and comments.

``wordpress_import()`` reads the export twice, streaming (wordpress/wxr.py):
first authors, categories, tags and attachments, so that the second pass
finds every photo, section and tag a post refers to, whatever their order in
the file. Before either, a quick pass checks the whole file parses: a broken
or hostile file is refused before anything is written.

Every WordPress object is recorded in ``Imported`` with a digest of what it
was made from; a second run updates what changed and skips the rest. Each
item is written in its own transaction (a savepoint in a dry run, which rolls
back everything at the end): one bad item is reported and the others go on.
"""

import time
from collections.abc import Callable
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from django.db import transaction

from .. import wxr
from ..report import Report
from .authors import AuthorImport
from .base import K, Options
from .comments import CommentImport
from .posts import PostImport
from .terms import TermImport

PROGRESS_EVERY = 1000
# Items per transaction: one commit per item cost more than the item itself
# (an fsync each on SQLite). A crash loses at most a batch; a rerun redoes it.
BATCH = 200


def check_file(path: Path | str) -> int:
    """Parse the whole export without writing; return its record count.

    Raises ParseError or a defusedxml error for a broken or hostile file.
    """
    return sum(1 for _record in wxr.read(path))


def wordpress_import(
    *,
    path: Path | str,
    options: Options,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Import a WordPress export; see the module docstring for the guarantees."""
    report = Report(source=str(path), dry_run=options.dry_run)
    started = time.monotonic()
    try:
        total = check_file(path)
    except (ParseError, DefusedXmlException, OSError) as error:
        report.fatal = f"{type(error).__name__}: {error}"
        return report
    run = _Run(options, report, progress, total)
    if options.dry_run:
        with transaction.atomic():
            run.run(path)
            transaction.set_rollback(True)
    else:
        run.run(path)
    report.items = total
    report.seconds = time.monotonic() - started
    return report


class _Run(AuthorImport, TermImport, PostImport, CommentImport):
    """The two passes over the export, each record handed to the writer of its
    kind (authors.py, terms.py, media.py, posts.py, comments.py)."""

    def run(self, path) -> None:
        for record in self._in_batches(wxr.read(path)):
            self._tick()
            if isinstance(record, wxr.Author):
                self._item(K.AUTHOR, record.login, self.author, record)
            elif isinstance(record, wxr.Term) and record.taxonomy == "category":
                # A term may come twice (<wp:category> and <wp:term>).
                if record.wp_id not in {t.wp_id for t in self.categories}:
                    self.categories.append(record)
            elif isinstance(record, wxr.Term) and record.taxonomy == "post_tag":
                self._item(K.TAG, record.wp_id, self.tag, record)
            elif isinstance(record, wxr.Item) and record.post_type == "attachment":
                self._item(K.ATTACHMENT, record.wp_id, self.attachment, record)
        self.import_categories()
        self._item("redirect", "feed", self.feed_redirect, None)
        for record in self._in_batches(wxr.read(path)):
            self._tick()
            if not isinstance(record, wxr.Item) or record.post_type == "attachment":
                continue
            if record.post_type not in ("post", "page"):
                self.report.count("other", "skipped", f"post type {record.post_type}")
                continue
            kind = K.POST if record.post_type == "post" else K.PAGE
            article = self._item(kind, record.wp_id, self.article, record)
            if article is not None:
                self.comments(record, article)

    def _in_batches(self, records):
        """The records, each batch of them read inside one transaction."""
        records = iter(records)
        while True:
            with transaction.atomic():
                for n, record in enumerate(records, start=1):
                    yield record
                    if n == BATCH:
                        break
                else:
                    return

    def _tick(self) -> None:
        self.seen += 1
        if self.progress and self.seen % PROGRESS_EVERY == 0:
            self.progress(self.seen, self.total)
