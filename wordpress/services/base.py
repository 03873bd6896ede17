"""What every kind of imported item shares: the run's options and state, the
``Imported`` bookkeeping, redirects, and the small helpers the writers use."""

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.urls import reverse

from articles.models import Contributor
from articles.text import slugify_vi

from .. import wxr
from ..models import Imported, Redirect
from ..report import Report

K = Imported.Kind
WP_TIME_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass
class Options:
    media: Path
    permalinks: str = "/%postname%/"
    roles: dict[str, str] = field(default_factory=dict)  # login -> role
    dry_run: bool = False


def _digest(*parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _wp_datetime(local: str, gmt: str) -> datetime | None:
    """WordPress's GMT time when it has one (drafts have none), else local time."""
    for value, zone in ((gmt, UTC), (local, WP_TIME_ZONE)):
        if value and not value.startswith("0000"):
            try:
                parsed = datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
            except ValueError:
                continue
            return parsed.replace(tzinfo=zone)
    return None


def _unique_slug(model: type[models.Model], text: str, max_length: int) -> str:
    base = slugify_vi(text, max_length=max_length - 4) or model._meta.model_name
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _link_path(link: str) -> str:
    """The path (and WordPress query) of an old link, decoded as Django sees it."""
    parts = urlsplit(link.strip())
    if not parts.path and not parts.query:
        return ""
    path = unquote(parts.path or "/")
    return f"{path}?{parts.query}" if parts.query else path


def _valid_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


class RunBase:
    """One import: the maps from WordPress names to our rows, kept small (terms
    and authors, never posts), and the report. Each kind of item is written by
    a class of its own module on top of this one (importer.py joins them)."""

    def __init__(self, options: Options, report: Report, progress, total: int):
        self.options = options
        self.report = report
        self.progress = progress
        self.total = total * 2  # the file is read twice
        self.seen = 0
        self.media = options.media.resolve()
        self.categories: list[wxr.Term] = []
        self.category_paths: dict[str, str] = {}  # slug -> "parent/child"
        self.sections: dict[str, int] = {}  # category slug -> section id
        self.tags: dict[str, int] = {}  # tag slug -> tag id
        self.authors: dict[str, Contributor] = {}  # login -> contributor
        self.author_ids: set[str] = set()  # WordPress user ids (newsroom comments)
        self.types: dict[type, ContentType] = {}
        # A dry run makes no photo (its files would outlive the rollback):
        # attachments it would have made, so posts do not call them missing.
        self.dry_attachments: set[str] = set()

    def _item(self, kind: str, wp_id: str, write, record):
        """``write(record)`` in a savepoint; a failure is reported, not raised."""
        try:
            with transaction.atomic():
                return write(record)
        except (ValidationError, ValueError, OSError, LookupError) as error:
            message = getattr(error, "messages", None) or [str(error)]
            self.report.fail(kind, wp_id, "; ".join(map(str, message)))
        except Exception as error:  # one bad item must not stop the run
            self.report.fail(kind, wp_id, f"{type(error).__name__}: {error}")
        return None

    # Bookkeeping.

    def _type(self, model) -> ContentType:
        if model not in self.types:
            self.types[model] = ContentType.objects.get_for_model(model)
        return self.types[model]

    def _found(self, kind: str, wp_id: str) -> Imported | None:
        return Imported.objects.filter(kind=kind, wp_id=wp_id).first()

    def _lookup(self, kind: str, wp_id: str, model) -> tuple[Imported | None, object]:
        """The bookkeeping row of a WordPress object, and the row it became."""
        found = self._found(kind, wp_id)
        if found is None:
            return None, None
        return found, model.objects.filter(pk=found.object_id).first()

    def _target(self, kind: str, wp_id: str, model):
        return self._lookup(kind, wp_id, model)[1]

    def _remember(self, kind: str, wp_id: str, row, digest: str = "") -> None:
        Imported.objects.update_or_create(
            kind=kind,
            wp_id=wp_id,
            defaults={
                "content_type": self._type(type(row)),
                "object_id": row.pk,
                "digest": digest,
            },
        )

    def _outcome(self, kind: str, found: Imported | None) -> None:
        self.report.count(kind, "updated" if found else "imported")

    def redirect(self, old_path: str, target=None, url: str = "") -> None:
        old_path = Redirect.normalise(old_path)
        if not old_path.startswith("/") or len(old_path) > 500:
            return
        values = {
            "target_url": url,
            "content_type": self._type(type(target)) if target else None,
            "object_id": target.pk if target else None,
        }
        existing = Redirect.objects.filter(old_path=old_path).first()
        if existing is None:
            Redirect.objects.create(old_path=old_path, **values)
            self.report.redirects["created"] += 1
        elif any(getattr(existing, k) != v for k, v in values.items()):
            Redirect.objects.filter(pk=existing.pk).update(**values)
            self.report.redirects["updated"] += 1

    def feed_redirect(self, _record) -> None:
        self.redirect("/feed/", url=reverse("articles:feed"))
