"""Posts and pages: articles with their body, photos, tags, credits and the
old addresses that lead to them."""

from datetime import UTC, datetime
from urllib.parse import unquote

from django.utils.text import Truncator

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
from articles.services import article_record_revision
from articles.text import slugify_vi

from .. import content, wxr
from .base import K, _digest, _link_path, _unique_slug, _wp_datetime
from .media import MediaImport

S = Article.Status
# Pages get a section of their own, kept off the home page.
PAGES_SECTION = ("trang", "Trang")
UNCATEGORISED_SECTION = ("chua-phan-loai", "Chưa phân loại")


class PostImport(MediaImport):
    """Posts come after photos: a body shows them, a post leads with one."""

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
        # WordPress's sticky flag pins the lead. Unstuck there, the post is
        # unpinned here on the run that sees the change; a pin an editor sets
        # here stays while the WordPress post is unchanged (unchanged items
        # are not touched, above).
        if item.is_sticky:
            article.home_placement = Article.HomePlacement.LEAD
        elif article.home_placement == Article.HomePlacement.LEAD:
            article.home_placement = Article.HomePlacement.NONE
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
