"""What the newsroom keeps of each article: a revision at every save, an
audit entry at every step of the workflow, what changed between two
revisions, and how a revision's related rows are put back."""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Max
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from ..credits import Role
from ..models import (
    Article,
    ArticlePhoto,
    ArticleRevision,
    ArticleVideo,
    AuditEntry,
    Contributor,
    Credit,
    GalleryPhoto,
    Photo,
    Video,
)

# The article fields a revision keeps; workflow fields (status, version) are
# recorded beside them, not restored from them.
REVISION_FIELDS = [
    "title",
    "slug",
    "kind",
    "layout",
    "section",
    "lead",
    "body",
    "lead_photo",
    "lead_photo_caption",
    "lead_video",
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
    # The photos placed in the body and the photo story, with the caption
    # readers saw (the article's own, else the library's) kept for the record:
    # a library caption edited later does not rewrite what was printed.
    data["body_photos"] = [
        {
            "photo_id": use.photo_id,
            "after_paragraph": use.after_paragraph,
            "is_wide": use.is_wide,
            "caption": use.caption,
            "shown_caption": use.shown_caption,
        }
        for use in article.body_photos.select_related("photo")
    ]
    data["body_videos"] = [
        {
            "video_id": use.video_id,
            "after_paragraph": use.after_paragraph,
            "caption": use.caption,
            "shown_caption": use.shown_caption,
        }
        for use in article.body_videos.select_related("video")
    ]
    data["gallery_photos"] = [
        {
            "photo_id": use.photo_id,
            "order": use.order,
            "caption": use.caption,
            "shown_caption": use.shown_caption,
        }
        for use in article.gallery_photos.select_related("photo")
    ]
    return data


def restore_related(*, article: Article, data: dict) -> list[str]:
    """Put back the tags, credits, body photos and videos and the photo story
    a snapshot holds.

    A key missing from ``data`` (a revision written before it was recorded)
    leaves those rows as they are: the revision does not say what they were,
    and emptying them would delete work nothing can bring back. A credit,
    photo or video whose contributor or library entry was deleted since is
    skipped;
    returns what was skipped, in words, for the restore's note.
    """
    skipped = []
    if "tags" in data:
        article.tags.set(data["tags"])
    if "credits" in data:
        rows = data["credits"]
        known = set(
            Contributor.objects.filter(
                pk__in=[row["contributor_id"] for row in rows]
            ).values_list("pk", flat=True)
        )
        article.credits.all().delete()
        for row in rows:
            if row["contributor_id"] in known:
                Credit.objects.create(
                    article=article,
                    contributor_id=row["contributor_id"],
                    roles=row["roles"],
                    order=row["order"],
                )
        if missing := len([r for r in rows if r["contributor_id"] not in known]):
            skipped.append(_("%(n)d tác giả đã bị xóa") % {"n": missing})
    for key, model, library, position, label in (
        ("body_photos", ArticlePhoto, Photo, "after_paragraph", _("ảnh trong bài")),
        ("gallery_photos", GalleryPhoto, Photo, "order", _("ảnh phóng sự")),
        ("body_videos", ArticleVideo, Video, "after_paragraph", _("video trong bài")),
    ):
        if key not in data:
            continue
        rows = data[key]
        # "photo_id" or "video_id": the use's link to its library entry.
        link = f"{library._meta.model_name}_id"
        known = set(
            library.objects.filter(pk__in=[row[link] for row in rows]).values_list(
                "pk", flat=True
            )
        )
        model.objects.filter(article=article).delete()
        for row in rows:
            if row[link] in known:
                use = model(
                    article=article,
                    caption=row["caption"],
                    **{link: row[link], position: row[position]},
                )
                if "is_wide" in row:  # not recorded before long-form pages
                    use.is_wide = row["is_wide"]
                use.full_clean()
                use.save()
        if missing := len([r for r in rows if r[link] not in known]):
            skipped.append(
                _("%(n)d %(what)s đã bị xóa khỏi thư viện")
                % {"n": missing, "what": label}
            )
    return [str(reason) for reason in skipped]


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
    """(field label, old value, new value) for each field two snapshots differ in.

    Tags, credits and photos a revision did not record (one written before
    they were) read "not recorded", never as an empty list.
    """
    labels = {
        Article._meta.get_field(name).attname: Article._meta.get_field(name)
        for name in REVISION_FIELDS
    }
    changes = []
    for key, field in labels.items():
        if key == "section_id":
            before, after = old.get("section_name"), new.get("section_name")
        else:
            before, after = old.get(key), new.get(key)
        if before != after:
            if field.choices:  # "E-magazine (bài dài)" rather than "emagazine"
                labels_of = dict(field.flatchoices)
                before = labels_of.get(before, before)
                after = labels_of.get(after, after)
            changes.append((str(field.verbose_name), _plain(before), _plain(after)))
    for key, (label, separator, describe) in _RELATED.items():
        before = _related_text(old, key, separator, describe)
        after = _related_text(new, key, separator, describe)
        if before != after:
            changes.append((str(label), before, after))
    return changes


def _credit_text(credit: dict, index: int) -> str:
    roles = ", ".join(str(Role(role).label).lower() for role in credit["roles"])
    return f"{credit['name']} ({roles})" if roles else credit["name"]


def _body_photo_text(use: dict, index: int) -> str:
    text = _("sau đoạn %(n)d: %(caption)s (ảnh #%(id)d)") % {
        "n": use["after_paragraph"],
        "caption": use["shown_caption"],
        "id": use["photo_id"],
    }
    return text + ", " + str(_("ảnh rộng")) if use.get("is_wide") else text


def _body_video_text(use: dict, index: int) -> str:
    return _("sau đoạn %(n)d: %(caption)s (video #%(id)d)") % {
        "n": use["after_paragraph"],
        "caption": use["shown_caption"],
        "id": use["video_id"],
    }


def _gallery_photo_text(use: dict, index: int) -> str:
    # Numbered as readers see them ("2/5"), whatever the stored order values.
    return _("%(n)d. %(caption)s (ảnh #%(id)d)") % {
        "n": index + 1,
        "caption": use["shown_caption"],
        "id": use["photo_id"],
    }


# The rows a snapshot keeps beside the article's fields: label, how items are
# joined (captions may hold commas), how each is written.
_RELATED = {
    "tags": (_("từ khóa"), ", ", lambda tag, index: tag),
    "credits": (_("tác giả"), ", ", _credit_text),
    "body_photos": (_("ảnh trong bài"), "; ", _body_photo_text),
    "body_videos": (_("video trong bài"), "; ", _body_video_text),
    "gallery_photos": (_("phóng sự ảnh"), "; ", _gallery_photo_text),
}


def _related_text(data: dict, key: str, separator: str, describe) -> str:
    if key not in data:
        return str(_("(phiên bản này không ghi lại)"))
    return separator.join(
        strip_tags(str(describe(item, index))) for index, item in enumerate(data[key])
    )


def _plain(value) -> str:
    return "" if value is None else strip_tags(str(value))
