"""What is read of articles: every public surface goes through these methods."""

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import connection, models
from django.db.models import Exists, F, Min, OuterRef, Q, Subquery, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Greatest, RowNumber
from django.utils import timezone

from .people import Section, TaggedArticle
from .photos import ArticlePhoto, GalleryPhoto
from .videos import ArticleVideo

if TYPE_CHECKING:
    from .articles import Article


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None) -> "ArticleQuerySet":
        """THE rule for what readers may see now, on every public surface.

        Published or scheduled, dated now or earlier, and past any embargo. A
        scheduled article becomes visible at its time by this rule alone: no cron
        has to run first (``publish_scheduled`` only does the side effects).
        Taken-down, unpublished and unfinished articles never match.
        ``Article.is_public`` is the same rule for one row in memory: change
        both together (``VisibilityRuleTests`` holds them equal).
        """
        now = now or timezone.now()
        return self.filter(
            Q(embargo_until__isnull=True) | Q(embargo_until__lte=now),
            status__in=self.model.VISIBLE_STATUSES,
            published_at__lte=now,
        )

    def due_for_publication(self, now=None) -> "ArticleQuerySet":
        """Scheduled articles whose time has come (readers already see them)."""
        now = now or timezone.now()
        return self.filter(
            Q(embargo_until__isnull=True) | Q(embargo_until__lte=now),
            status=self.model.Status.SCHEDULED,
            published_at__lte=now,
        )

    def next_visibility_change(self, now=None) -> datetime | None:
        """When the clock next changes what readers see: a scheduled article
        or an embargo coming due, or a breaking-news banner ending."""
        now = now or timezone.now()
        due = self.filter(status__in=self.model.VISIBLE_STATUSES).aggregate(
            visible=Min(
                Greatest("published_at", Coalesce("embargo_until", "published_at")),
                filter=Q(published_at__gt=now) | Q(embargo_until__gt=now),
            ),
            banner_ends=Min(
                "breaking_until", filter=Q(is_breaking=True, breaking_until__gt=now)
            ),
        )
        return min((m for m in due.values() if m is not None), default=None)

    def for_dashboard(self) -> "ArticleQuerySet":
        """A title, a state and a time per row, for the editors' dashboard."""
        return self.select_related("section").only(
            "id", "title", "status", "published_at", "updated_at", "section__name"
        )

    def visible_to(self, user) -> "ArticleQuerySet":
        """What a staff member may open in the admin: reporters see their own."""
        if user.has_perm("articles.review_article"):
            return self
        return self.filter(created_by=user)

    def for_listing(self) -> "ArticleQuerySet":
        """What a list of article cards shows: section and lead photo, no body."""
        return (
            self.select_related("section", "lead_photo")
            .defer(*self._DERIVED, "body")
            .with_comment_count()
        )

    def video_stories(self) -> "ArticleQuerySet":
        """Video stories (a lead video), as cards with the video's length."""
        return (
            self.filter(lead_video__isnull=False)
            .for_listing()
            .select_related("lead_video")
        )

    def for_search_results(self) -> "ArticleQuerySet":
        """Cards plus the body, for a snippet where the body matched."""
        return self.for_listing().defer(None).defer(*self._DERIVED)

    # Long derived columns stay in the database: no page prints them.
    _DERIVED = ("search_text", "search_exact")

    def with_comment_count(self) -> "ArticleQuerySet":
        """Annotate ``comment_count``: approved comments, in the same query.

        A correlated subquery rather than ``Count``: no GROUP BY, so it composes
        with the window of ``latest_per_section`` and with tag or credit joins.
        COUNT as a plain function (Django's documented way to aggregate inside
        a subquery) counts without a GROUP BY of its own, so an article
        without comments gets 0, not NULL. The comments app's model is reached
        through its relation to articles: articles never imports comments.
        """
        comments = self.model._meta.get_field("comments").related_model
        approved = (
            comments.objects.approved()
            .filter(article=models.OuterRef("pk"))
            .order_by()
            .values(n=models.Func("pk", function="COUNT"))
        )
        return self.annotate(
            comment_count=models.Subquery(approved, output_field=models.IntegerField())
        )

    def most_read(self, *, since) -> "ArticleQuerySet":
        """Articles by views counted since ``since``, most read first."""
        return (
            self.filter(read_counts__hour__gte=since)
            .annotate(views=models.Sum("read_counts__views"))
            .order_by("-views", "-published_at", "-id")
        )

    def related_to(self, article: "Article") -> "ArticleQuerySet":
        """Related stories in one query: editor's picks, then shared tags, then
        the same section, newest first within each."""
        # Prefetched by for_detail(): no query for them.
        tag_ids = [tag.pk for tag in article.tags.all()]
        picks = self.model.related_articles.through.objects.filter(
            from_article_id=article.pk
        )
        picked = picks.filter(to_article=OuterRef("pk"))
        # COUNT as a plain function: no GROUP BY, 0 when none (see
        # with_comment_count).
        shared = (
            TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag__in=tag_ids)
            .order_by()
            .values(n=models.Func("pk", function="COUNT"))
        )
        # Candidates first, from indexes: the picks, the articles carrying one
        # of these tags, and the newest of the section. Annotating every
        # visible article and filtering afterwards took 700-900 ms per article
        # page on the 100,000-article benchmark archive.
        if connection.vendor == "postgresql":
            candidates = self._related_candidates(article, tag_ids)
        else:  # SQLite: small archives, no bound per tag or section.
            candidates = picks.values("to_article").union(
                TaggedArticle.objects.filter(tag__in=tag_ids)
                .order_by()
                .values("content_object"),
                self.model.objects.published()
                .filter(section=article.section_id)
                .order_by()
                .values("pk"),
                all=True,
            )
        return (
            self.exclude(pk=article.pk)
            .filter(pk__in=candidates)
            .annotate(
                is_pick=Exists(picked),
                shared_tags=Subquery(shared, output_field=models.IntegerField()),
            )
            .order_by("-is_pick", "-shared_tags", "-published_at", "-id")
        )

    _RELATED_FROM_SECTION = 12
    _RELATED_PER_TAG = 50

    def _related_candidates(self, article: "Article", tag_ids: list[int]) -> RawSQL:
        """PostgreSQL: the ids related_to() ranks, as one SQL expression.

        A bounded slice per tag (a common tag, "hòa giải", carries 44,000
        articles; its newest ones, by tagged_newest_idx, are the candidates)
        and of the section. Written as SQL because building and compiling the
        same union in the ORM, one slice per tag, took 7 ms of CPU per article
        page. The section slice only narrows the candidates along
        article_visible_section_idx: related_to() applies ``published()``.
        """
        picks = self.model.related_articles.through._meta
        tagged = TaggedArticle._meta
        articles = self.model._meta
        # Tables and foreign-key columns named by the models' metadata; every
        # value is a parameter.
        sql = f"""
            SELECT {picks.get_field("to_article").column} FROM {picks.db_table}
            WHERE {picks.get_field("from_article").column} = %s
            UNION ALL
            SELECT slice.id FROM unnest(%s::bigint[]) AS tag (id)
            CROSS JOIN LATERAL (
                SELECT {tagged.get_field("content_object").column} AS id
                FROM {tagged.db_table}
                WHERE {tagged.get_field("tag").column} = tag.id
                ORDER BY 1 DESC LIMIT %s
            ) AS slice
            UNION ALL (
                SELECT id FROM {articles.db_table}
                WHERE {articles.get_field("section").column} = %s
                AND status = ANY(%s) AND published_at <= %s AND id <> %s
                ORDER BY published_at DESC, id DESC LIMIT %s
            )"""  # noqa: S608
        params = (
            article.pk,
            tag_ids,
            self._RELATED_PER_TAG,
            article.section_id,
            list(self.model.VISIBLE_STATUSES),
            timezone.now(),
            article.pk,
            self._RELATED_FROM_SECTION,
        )
        return RawSQL(sql, params)  # noqa: S611 - the values are parameters

    def using_photos(self, photos) -> "ArticleQuerySet":
        """Articles that print one of ``photos`` (a queryset or a list): as
        lead photo, in the body or in the photo story."""
        return self.filter(
            Q(lead_photo__in=photos)
            | Q(pk__in=ArticlePhoto.objects.filter(photo__in=photos).values("article"))
            | Q(pk__in=GalleryPhoto.objects.filter(photo__in=photos).values("article"))
        )

    def for_detail(self) -> "ArticleQuerySet":
        """Everything the article page prints of the article, in a fixed
        number of queries whatever it carries."""
        # Credit is defined beside Article, whose module imports this one: it
        # is reached through its relation instead.
        credit = self.model._meta.get_field("credits").related_model
        return (
            self.select_related(
                "section",
                "section__parent",
                "lead_photo",
                "lead_photo__photographer",
                "lead_video__poster_photo",
            )
            .prefetch_related(
                models.Prefetch(
                    "credits", queryset=credit.objects.select_related("contributor")
                ),
                models.Prefetch(
                    "body_photos",
                    queryset=ArticlePhoto.objects.select_related("photo__photographer"),
                ),
                models.Prefetch(
                    "body_videos",
                    queryset=ArticleVideo.objects.select_related("video__poster_photo"),
                ),
                models.Prefetch(
                    "gallery_photos",
                    queryset=GalleryPhoto.objects.select_related("photo__photographer"),
                ),
                "tags",
                # The correction block under the story.
                "corrections",
            )
            .defer(*self._DERIVED)
        )

    def for_syndication(self) -> "ArticleQuerySet":
        """A list that prints each article's section, lead photo with its
        photographer, credits and tags, but no body (the content API): three
        queries whatever the number of articles."""
        credit = self.model._meta.get_field("credits").related_model
        return (
            self.select_related(
                "section", "section__parent", "lead_photo__photographer"
            )
            .prefetch_related(
                models.Prefetch(
                    "credits", queryset=credit.objects.select_related("contributor")
                ),
                "tags",
            )
            .defer(*self._DERIVED, "body")
        )

    def in_section(self, section: Section) -> "ArticleQuerySet":
        """A section page lists its own articles and those of its subsections."""
        # A subquery, not an OR across the join: PostgreSQL then walks
        # article_section_idx once per (sub)section instead of filtering the
        # index entries of every section (the page count went 58 ms -> 16 ms on
        # the 100,000-article benchmark archive).
        sections = Section.objects.filter(Q(pk=section.pk) | Q(parent=section))
        return self.filter(section__in=sections.values("pk"))

    def latest_per_section(
        self, per_section: int, *, sections: models.QuerySet | None = None
    ) -> "ArticleQuerySet":
        """The newest ``per_section`` articles of every section, in one query.

        On PostgreSQL, with ``sections`` given, the ids come from one LIMIT
        subquery per section (``unnest(ARRAY(... LIMIT n))``), each walking
        article_visible_section_idx from the newest entry: the cost follows the
        number of sections, not the archive (a window over every visible row
        took 360 ms at 100,000 articles). Elsewhere (SQLite, the demo) the
        window function, which is fine for small archives.
        """
        if sections is not None and connection.vendor == "postgresql":
            from django.contrib.postgres.expressions import ArraySubquery

            newest = (
                self.filter(section=OuterRef("pk"))
                .order_by("-published_at", "-id")
                .values("pk")[:per_section]
            )
            ids = sections.annotate(
                article_id=models.Func(ArraySubquery(newest), function="unnest")
            ).values("article_id")
            return self.filter(pk__in=ids).order_by(
                "section_id", "-published_at", "-id"
            )
        if sections is not None:
            self = self.filter(section__in=sections)
        return (
            self.annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("section_id")],
                    order_by=[F("published_at").desc(), F("id").desc()],
                )
            )
            .filter(rank__lte=per_section)
            .order_by("section_id", "rank")
        )
