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

import hashlib
import ipaddress
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import ParseError
from zoneinfo import ZoneInfo

from defusedxml import DefusedXmlException
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import validate_email
from django.db import models, transaction
from django.urls import reverse
from django.utils.text import Truncator

from articles import images
from articles.models import (
    Article,
    ArticlePhoto,
    Contributor,
    Credit,
    GalleryPhoto,
    Photo,
    Section,
    Tag,
)
from articles.services import article_record_revision, photo_create
from articles.text import slugify_vi
from comments.models import Comment

from . import content, wxr
from .models import Imported, Redirect
from .report import Report

K = Imported.Kind
S = Article.Status
WP_TIME_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")

# --roles values: our names or the groups' own (articles migration 0003).
ROLES = {
    "reporter": "Phóng viên",
    "editor": "Biên tập viên",
    "chief": "Tổng biên tập",
    "moderator": "Kiểm duyệt bình luận",
}
DEFAULT_ROLE = "reporter"
# Pages get a section of their own, kept off the home page.
PAGES_SECTION = ("trang", "Trang")
UNCATEGORISED_SECTION = ("chua-phan-loai", "Chưa phân loại")
PICTURE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp"}
_RESIZED = re.compile(r"-\d+x\d+(?=\.\w+$)")
_UPLOADS = "/wp-content/uploads/"
PROGRESS_EVERY = 1000
# Items per transaction: one commit per item cost more than the item itself
# (an fsync each on SQLite). A crash loses at most a batch; a rerun redoes it.
BATCH = 200


@dataclass
class Options:
    media: Path
    permalinks: str = "/%postname%/"
    roles: dict[str, str] = field(default_factory=dict)  # login -> role
    dry_run: bool = False


def parse_roles(value: str) -> dict[str, str]:
    """ "ha=editor,lan=chief" -> {"ha": "editor", "lan": "chief"}; raises ValueError."""
    roles = {}
    for pair in filter(None, (p.strip() for p in value.split(","))):
        login, _sep, role = pair.partition("=")
        role = role.strip()
        if role not in ROLES and role not in ROLES.values():
            raise ValueError(f"unknown role {role!r} (use {', '.join(ROLES)})")
        roles[login.strip()] = role
    return roles


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


class _Run:
    """One import: the maps from WordPress names to our rows, kept small (terms
    and authors, never posts), and the report."""

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

    # The two passes.

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

    # Authors: a contributor and an account that cannot log in until an
    # administrator sets its password.

    def author(self, author: wxr.Author) -> Contributor:
        login = author.login
        role = self.options.roles.get(login, DEFAULT_ROLE)
        group_name = ROLES.get(role, role)
        name = author.display_name or login
        digest = _digest(login, name, author.email, group_name)
        found, contributor = self._lookup(K.AUTHOR, login, Contributor)
        if author.wp_id:
            self.author_ids.add(author.wp_id)
        if contributor is not None and found.digest == digest:
            self.authors[login] = contributor
            self.report.count(K.AUTHOR, "unchanged")
            return contributor
        User = get_user_model()
        username = re.sub(r"[^\w.@+-]", "", login)[:150] or f"wp{author.wp_id}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, is_staff=True)
            user.set_unusable_password()
        elif found is None:
            self.report.note(f"Author {login}: linked to the existing account.")
        if found is None or user.pk is None or not user.has_usable_password():
            # Accounts the import made follow the export; others stay as they are.
            user.email = author.email if _valid_email(author.email) else ""
            user.first_name = author.first_name[:150]
            user.last_name = author.last_name[:150]
            user.save()
            user.groups.set([Group.objects.get(name=group_name)])
        contributor = contributor or Contributor.objects.filter(user=user).first()
        if contributor is None:
            contributor = Contributor(
                slug=_unique_slug(Contributor, name, 100), user=user
            )
        contributor.name = name[:100]
        contributor.full_clean()
        contributor.save()
        self._remember(K.AUTHOR, login, contributor, digest)
        self.redirect(f"/author/{unquote(login)}/", contributor)
        self.authors[login] = contributor
        self._outcome(K.AUTHOR, found)
        return contributor

    # Terms.

    def tag(self, term: wxr.Term) -> Tag:
        name = content.plain(term.name)[:100] or unquote(term.slug)
        found, tag = self._lookup(K.TAG, term.wp_id, Tag)
        if tag is None:
            tag = Tag.objects.filter(name__iexact=name).first() or Tag(name=name)
        elif tag.name != name:
            tag.name = name
        else:
            self.tags[term.slug] = tag.pk
            self.report.count(K.TAG, "unchanged")
            return tag
        tag.save()
        self._remember(K.TAG, term.wp_id, tag)
        self.redirect(f"/tag/{unquote(term.slug)}/", tag)
        self.tags[term.slug] = tag.pk
        self._outcome(K.TAG, found)
        return tag

    def import_categories(self) -> None:
        """Sections from the category tree, parents first. Ours nest one level:
        deeper categories hang under their top-level ancestor."""
        by_slug = {term.slug: term for term in self.categories}

        def ancestors(term: wxr.Term) -> list[wxr.Term]:
            chain, seen = [term], {term.slug}
            while chain[-1].parent in by_slug and chain[-1].parent not in seen:
                seen.add(chain[-1].parent)
                chain.append(by_slug[chain[-1].parent])
            return chain[::-1]  # top-level first

        chains = sorted((ancestors(t) for t in self.categories), key=len)
        for chain in chains:
            term = chain[-1]
            self.category_paths[term.slug] = "/".join(unquote(t.slug) for t in chain)
            self._item(K.CATEGORY, term.wp_id, self.category, chain)

    def category(self, chain: list[wxr.Term]) -> Section:
        term = chain[-1]
        parent_id = self.sections.get(chain[0].slug) if len(chain) > 1 else None
        if len(chain) > 2:
            self.report.note(
                f"Category {' › '.join(t.name for t in chain)}: nested "
                f"{len(chain)} deep, placed under “{chain[0].name}”."
            )
        name = content.plain(term.name)[:80] or term.slug
        found, section = self._lookup(K.CATEGORY, term.wp_id, Section)
        digest = _digest(name, parent_id, term.description)
        if section is not None and found.digest == digest:
            self.sections[term.slug] = section.pk
            self.report.count(K.CATEGORY, "unchanged")
            return section
        if section is None:
            slug = slugify_vi(unquote(term.slug), max_length=80) or slugify_vi(name)
            section = Section.objects.filter(slug=slug).first()
            if section is not None:
                self.report.note(f"Category {name}: merged into existing section.")
            else:
                section = Section(slug=slug or _unique_slug(Section, name, 80))
        if found is not None or section.pk is None:
            section.name = name
            section.parent_id = parent_id
            section.description = content.plain(term.description)[:300]
        section.full_clean()
        section.save()
        self._remember(K.CATEGORY, term.wp_id, section, digest)
        self.redirect(f"/category/{self.category_paths[term.slug]}/", section)
        self.sections[term.slug] = section.pk
        self._outcome(K.CATEGORY, found)
        return section

    # Photos.

    def _media_file(self, relative: str) -> Path | None:
        """The original under --media, never a resized copy; None if absent.

        Paths come from the export: anything leading outside --media is refused.
        """
        relative = unquote(relative).lstrip("/")
        candidates = [_RESIZED.sub("", relative)]
        if "-scaled." in candidates[0]:  # WordPress 5.3+ shrinks big uploads
            candidates.insert(0, candidates[0].replace("-scaled.", "."))
        for candidate in candidates:
            path = (self.media / candidate).resolve()
            if path.is_relative_to(self.media) and path.is_file():
                return path
        return None

    def _photo_from_file(
        self, relative: str, *, alt: str, caption: str
    ) -> Photo | None:
        relative = _RESIZED.sub("", unquote(relative).lstrip("/"))
        known = self._target(K.FILE, relative, Photo)
        if known is not None:
            return known
        path = self._media_file(relative)
        if path is None:
            return None
        if self.options.dry_run:
            # Files written to the media storage would outlive the rollback:
            # the picture is only checked, as photo_create would check it.
            images.prepare_upload(path.read_bytes(), name=path.name)
            return Photo(pk=0, alt_text=alt)
        with path.open("rb") as opened:
            photo = photo_create(
                upload=File(opened, name=path.name),
                alt_text=(alt or path.stem)[:300],
                caption=caption[:500],
            )
        self._remember(K.FILE, relative, photo)
        self.redirect(f"{_UPLOADS}{relative}", photo)
        return photo

    def attachment(self, item: wxr.Item) -> Photo | None:
        relative = item.meta_value("_wp_attached_file") or _upload_path(
            item.attachment_url
        )
        if Path(relative).suffix.lower() not in PICTURE_EXTENSIONS:
            self.report.count(K.ATTACHMENT, "skipped", "not a picture")
            return None
        caption = content.plain(item.excerpt)[:500]
        alt = content.plain(item.meta_value("_wp_attachment_image_alt"))[:300]
        alt = alt or content.plain(item.title)[:300] or caption[:300]
        digest = _digest(relative, caption, alt)
        found, photo = self._lookup(K.ATTACHMENT, item.wp_id, Photo)
        if photo is not None and found.digest == digest:
            self.report.count(K.ATTACHMENT, "unchanged")
            return photo
        if photo is None:
            photo = self._photo_from_file(relative, alt=alt, caption=caption)
            if photo is None:
                self.report.missing_media.append(f"attachment {item.wp_id}: {relative}")
                self.report.count(K.ATTACHMENT, "skipped", "file missing")
                return None
        if self.options.dry_run:
            self.dry_attachments.add(item.wp_id)
            self._outcome(K.ATTACHMENT, found)
            return photo
        photo.caption, photo.alt_text = caption, alt or photo.alt_text
        photo.full_clean()
        photo.save()
        self._remember(K.ATTACHMENT, item.wp_id, photo, digest)
        self.redirect(f"/?attachment_id={int(item.wp_id)}", photo)
        link = _link_path(item.link)
        if link and "?" not in link:
            self.redirect(link, photo)
        self._outcome(K.ATTACHMENT, found)
        return photo

    def _body_photo(self, post: str, ref: content.ImageRef) -> Photo | None:
        if ref.attachment_id:
            photo = self._target(K.ATTACHMENT, ref.attachment_id, Photo)
            if photo is not None:
                return photo
        relative = _upload_path(ref.src)
        photo = None
        if relative:
            photo = self._photo_from_file(relative, alt=ref.alt, caption=ref.caption)
        if photo is None:
            self.report.missing_media.append(f"{post}: {ref.src}")
        return photo

    # Posts and pages.

    def article(self, item: wxr.Item) -> Article | None:
        kind = K.POST if item.post_type == "post" else K.PAGE
        if item.status in ("trash", "auto-draft", "inherit"):
            self.report.count(kind, "skipped", f"status {item.status}")
            return None
        label = f"{kind} {item.wp_id}"
        thumbnail = item.meta_value("_thumbnail_id")
        digest = _digest(
            item.title,
            item.content,
            item.excerpt,
            item.status,
            item.date,
            item.date_gmt,
            item.slug,
            item.creator,
            item.terms,
            item.is_sticky,
            item.password,
            thumbnail,
            item.comment_status,
            item.meta.get("_wp_old_slug"),
            self.options.permalinks,
        )
        found, article = self._lookup(kind, item.wp_id, Article)
        if article is not None and found.digest == digest:
            self.report.count(kind, "unchanged")
            return article
        body = content.convert(item.content)
        self.report.saw_shortcodes(label, body.shortcodes)
        title = content.plain(item.title)[:250] or "(không tiêu đề)"
        article = article or Article()
        article.title = title
        article.slug = slugify_vi(unquote(item.slug)) or slugify_vi(title)
        article.body = body.html
        article.lead = (
            content.plain(item.excerpt)
            or Truncator(body.first_paragraph).chars(300)
            or title
        )[:1000]
        article.kind = body.kind or Article.Kind.NEWS
        article.source_name = body.source_name
        article.section_id = self._section_for(item)
        article.is_commentable = item.comment_status == "open"
        article.home_placement = (
            Article.HomePlacement.LEAD if item.is_sticky else article.home_placement
        )
        author = self.authors.get(item.creator)
        if article.pk is None and author is not None:
            article.created_by = author.user
        self._set_status(article, item, label)
        article.lead_photo = (
            self._target(K.ATTACHMENT, thumbnail, Photo) if thumbnail else None
        )
        if (
            thumbnail
            and article.lead_photo is None
            and thumbnail not in self.dry_attachments
        ):
            self.report.missing_media.append(f"{label}: lead photo {thumbnail}")
        article.version += 1
        article.full_clean()
        article.save()
        article.tags.set(self._tags_for(item))
        self._credits(article, body, author)
        article.body_photos.all().delete()
        for after, ref in body.photos:
            photo = self._body_photo(label, ref)
            if photo is not None and photo.pk:
                ArticlePhoto.objects.create(
                    article=article,
                    photo=photo,
                    after_paragraph=after,
                    caption=ref.caption[:500],
                )
        article.gallery_photos.all().delete()
        for order, wp_id in enumerate(body.gallery):
            photo = self._target(K.ATTACHMENT, wp_id, Photo)
            if photo is not None:
                GalleryPhoto.objects.create(article=article, photo=photo, order=order)
            elif wp_id not in self.dry_attachments:
                self.report.missing_media.append(f"{label}: gallery photo {wp_id}")
        article_record_revision(article=article, by=None, note="Nhập từ WordPress")
        self._remember(kind, item.wp_id, article, digest)
        if article.status in Article.VISIBLE_STATUSES:
            for path in self._old_paths(item, kind):
                self.redirect(path, article)
        self._outcome(kind, found)
        return article

    def _tags_for(self, item: wxr.Item) -> list:
        """Tag rows by slug; a tag the export did not declare is made by name."""
        terms = [(s, n) for t, s, n in item.terms if t == "post_tag"]
        ids = [self.tags[s] for s, _n in terms if s in self.tags]
        unknown = [content.plain(n)[:100] for s, n in terms if s not in self.tags]
        return [*Tag.objects.filter(pk__in=ids), *filter(None, unknown)]

    def _section_for(self, item: wxr.Item) -> int:
        if item.post_type == "page":
            slug, name = PAGES_SECTION
            section, _c = Section.objects.get_or_create(
                slug=slug, defaults={"name": name, "is_on_home": False, "order": 99}
            )
            return section.pk
        for taxonomy, slug, _name in item.terms:
            if taxonomy == "category" and slug in self.sections:
                return self.sections[slug]
        slug, name = UNCATEGORISED_SECTION
        section, _c = Section.objects.get_or_create(
            slug=slug, defaults={"name": name, "order": 98}
        )
        return section.pk

    def _set_status(self, article: Article, item: wxr.Item, label: str) -> None:
        when = _wp_datetime(item.date, item.date_gmt)
        status = {
            "publish": S.PUBLISHED,
            "future": S.SCHEDULED,
            "pending": S.IN_REVIEW,
        }.get(item.status, S.DRAFT)
        if item.status == "private":
            self.report.note(f"{label}: private in WordPress, imported as a draft.")
        if item.password and status in Article.VISIBLE_STATUSES:
            status = S.DRAFT
            self.report.note(
                f"{label}: password-protected in WordPress, imported as a draft "
                "(not public)."
            )
        if status in Article.VISIBLE_STATUSES and not article.body:
            status = S.DRAFT
            self.report.note(f"{label}: empty body, imported as a draft.")
        if status in Article.VISIBLE_STATUSES and when is None:
            status = S.DRAFT
            self.report.note(f"{label}: no date, imported as a draft.")
        article.status = status
        article.published_at = when if status in Article.VISIBLE_STATUSES else None

    def _credits(
        self, article: Article, body: content.Body, author: Contributor | None
    ) -> None:
        """The credit line of the body when it has one, else the WordPress author."""
        article.credits.all().delete()
        credits = [
            (self._contributor_named(name), [str(role) for role in roles])
            for name, roles in body.credits
        ]
        if not credits and author is not None:
            credits = [(author, ["text"])]
        for order, (contributor, roles) in enumerate(credits):
            Credit.objects.create(
                article=article, contributor=contributor, roles=roles, order=order
            )

    def _contributor_named(self, name: str) -> Contributor:
        found = Contributor.objects.filter(name__iexact=name).first()
        if found is None:
            found = Contributor.objects.create(
                name=name, slug=_unique_slug(Contributor, name, 100)
            )
        return found

    def _old_paths(self, item: wxr.Item, kind: str) -> list[str]:
        paths = [_link_path(item.link)]
        if kind == K.PAGE:
            paths.append(f"/?page_id={int(item.wp_id)}")
            return [p for p in paths if p]
        paths.append(f"/?p={int(item.wp_id)}")
        slugs = [item.slug, *item.meta.get("_wp_old_slug", [])]
        for slug in filter(None, slugs):
            paths.append(self._permalink(item, unquote(slug.strip())))
        return list(dict.fromkeys(p for p in paths if p))

    def _permalink(self, item: wxr.Item, slug: str) -> str:
        """The post's path under the --permalinks structure, as WordPress made it."""
        local = _wp_datetime(item.date, "") or datetime(1970, 1, 1, tzinfo=UTC)
        category = next(
            (
                self.category_paths.get(s, unquote(s))
                for t, s, _n in item.terms
                if t == "category"
            ),
            "uncategorized",
        )
        tokens = {
            "%year%": f"{local:%Y}",
            "%monthnum%": f"{local:%m}",
            "%day%": f"{local:%d}",
            "%hour%": f"{local:%H}",
            "%minute%": f"{local:%M}",
            "%second%": f"{local:%S}",
            "%postname%": slug,
            "%post_id%": str(int(item.wp_id)),
            "%category%": category,
            "%author%": unquote(item.creator),
        }
        path = self.options.permalinks
        for token, value in tokens.items():
            path = path.replace(token, value)
        return "/" + path.lstrip("/")

    # Comments.

    def comments(self, item: wxr.Item, article: Article) -> None:
        for comment in sorted(item.comments, key=lambda c: int(c.wp_id or 0)):
            if comment.type in ("pingback", "trackback"):
                self.report.count(K.COMMENT, "skipped", comment.type)
                continue
            self._item(K.COMMENT, comment.wp_id, self.comment, (comment, article))

    def comment(self, pair: tuple[wxr.Comment, Article]) -> Comment:
        wp, article = pair
        status = {
            "1": Comment.Status.APPROVED,
            "0": Comment.Status.PENDING,
            "spam": Comment.Status.SPAM,
        }.get(wp.approved, Comment.Status.REJECTED)  # trash, post-trashed
        digest = _digest(wp.author, wp.email, wp.content, wp.approved, wp.parent)
        found, row = self._lookup(K.COMMENT, wp.wp_id, Comment)
        if row is not None and found.digest == digest:
            self.report.count(K.COMMENT, "unchanged")
            return row
        parent = None
        if wp.parent not in ("", "0"):
            parent = self._target(K.COMMENT, wp.parent, Comment)
            # Ours thread one level: a reply to a reply answers the first comment.
            if parent is not None and parent.parent_id:
                parent = parent.parent
        row = row or Comment(article=article)
        row.parent = parent
        row.name = content.plain(wp.author)[:80] or "Bạn đọc"
        row.email = wp.email if _valid_email(wp.email) else ""
        row.body = _comment_text(wp.content)[:3000]
        row.status = status
        row.ip_address = _valid_ip(wp.ip)
        row.user_agent = wp.agent[:300]
        row.is_newsroom = wp.user_id not in ("", "0") and wp.user_id in self.author_ids
        # Email may be empty: WordPress lets readers post without one.
        # Threads and statuses are WordPress's: clean() (which refuses a reply
        # to a pending comment) is for readers posting now.
        row.clean_fields(exclude=["email", "parent", "article"])
        row.save()
        when = _wp_datetime(wp.date, wp.date_gmt)
        if when is not None:  # created_at is auto_now_add
            Comment.objects.filter(pk=row.pk).update(created_at=when)
        self._remember(K.COMMENT, wp.wp_id, row, digest)
        self._outcome(K.COMMENT, found)
        return row


def _upload_path(url: str) -> str:
    """ "https://site/wp-content/uploads/2024/05/a.jpg" -> "2024/05/a.jpg"."""
    path = urlsplit(url).path
    return path.split(_UPLOADS, 1)[1] if _UPLOADS in path else ""


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


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def _comment_text(raw: str) -> str:
    """Comments are plain text here: WordPress's paragraphs become blank lines."""
    text = re.sub(r"</p>\s*<p[^>]*>|<br\s*/?>", "\n", raw or "", flags=re.I)
    lines = [content.plain(line) for line in text.split("\n")]
    return "\n".join(lines).strip()
