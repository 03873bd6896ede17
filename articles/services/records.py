"""What the newsroom keeps of each article: a revision at every save, an
audit entry at every step of the workflow, and what changed between two
revisions."""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Max
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from ..models import Article, ArticleRevision, AuditEntry

# The article fields a revision keeps; workflow fields (status, version) are
# recorded beside them, not restored from them.
REVISION_FIELDS = [
    "title",
    "slug",
    "kind",
    "section",
    "lead",
    "body",
    "lead_photo",
    "lead_photo_caption",
    "source_name",
    "source_url",
    "is_commentable",
    "embargo_until",
    "published_at",
]
# What "restore" copies back: not the publication time nor the embargo, which
# belong to the workflow and are set through transitions and by editors.
RESTORED_FIELDS = [
    name for name in REVISION_FIELDS if name not in ("embargo_until", "published_at")
]


def _snapshot(article: Article) -> dict:
    data: dict = {}
    for name in REVISION_FIELDS:
        field = Article._meta.get_field(name)
        value = getattr(article, field.attname)
        data[field.attname] = (
            value.isoformat() if isinstance(value, datetime) else value
        )
    data["section_name"] = str(article.section) if article.section_id else ""
    data["tags"] = sorted(tag.name for tag in article.tags.all())
    data["credits"] = [
        {
            "contributor_id": credit.contributor_id,
            "name": credit.contributor.name,
            "roles": credit.roles,
            "order": credit.order,
        }
        for credit in article.credits.select_related("contributor")
    ]
    return data


def article_record_revision(
    *, article: Article, by: AbstractBaseUser | None, note: str = ""
) -> ArticleRevision:
    """Freeze the article as saved (tags and credits included) as a new revision."""
    last = article.revisions.aggregate(last=Max("number"))["last"] or 0
    revision = ArticleRevision(
        article=article,
        number=last + 1,
        article_version=article.version,
        status=article.status,
        was_public=article.is_public,
        data=_snapshot(article),
        note=note[:300],
        created_by=by,
    )
    revision.full_clean()
    revision.save()
    return revision


def _audit(
    article: Article,
    *,
    action: str,
    from_status: str,
    by: AbstractBaseUser | None,
    note: str = "",
) -> AuditEntry:
    """Record that ``by`` (None: the system) moved ``article`` from
    ``from_status`` to its current state. For this package's services only."""
    entry = AuditEntry(
        article=article,
        action=action,
        from_status=from_status,
        to_status=article.status,
        note=note,
        actor=by,
    )
    entry.full_clean()
    entry.save()
    return entry


def describe_changes(old: dict, new: dict) -> list[tuple[str, str, str]]:
    """(field label, old value, new value) for each field two snapshots differ in."""
    labels = {
        Article._meta.get_field(name).attname: Article._meta.get_field(name)
        for name in REVISION_FIELDS
    }
    changes = []
    for key in [*labels, "tags", "credits"]:
        if key == "section_id":
            before, after = old.get("section_name"), new.get("section_name")
        elif key == "credits":
            before = ", ".join(c["name"] for c in old.get("credits", []))
            after = ", ".join(c["name"] for c in new.get("credits", []))
        elif key == "tags":
            before = ", ".join(old.get("tags", []))
            after = ", ".join(new.get("tags", []))
        else:
            before, after = old.get(key), new.get(key)
        if before != after:
            label = {"tags": _("từ khóa"), "credits": _("tác giả")}.get(key)
            label = label or labels[key].verbose_name
            changes.append((str(label), _plain(before), _plain(after)))
    return changes


def _plain(value) -> str:
    return "" if value is None else strip_tags(str(value))
