"""The newsroom day's Django-side steps: what readers ask for, what editors
change, and putting the archive back as it was afterwards.

    prepare.py plan --out plan.json                  # URLs, queries, targets
    prepare.py stage --plan plan.json --setup 1 --duration 60 --out stage.json
    prepare.py restore                               # undo every bench write

``plan`` only reads the archive, except that it creates (or resets) the
benchmark's editor, ``newsroom_day``: a chief editor who also moderates
comments. Before the first write it notes what the day will change (the
titles and states of the stories it edits and takes down) in
``work/restore.json``. ``restore`` puts those rows back with ``update()``
(no new ``updated_at``, no version bump), deletes the articles the editor
created and the comments the benchmark made, with the audit entries and
revisions of the day, so that ``generate_archive --reuse`` keeps the archive
for the next run (it checks the article count). ``stage`` restores, then
makes the pending comments one set-up decides on, so the three set-ups see
the same archive and the same writes.
"""

import argparse
import json
import math
import os
import random
import re
import secrets
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
STATE = HERE / "work" / "restore.json"
USERNAME = "newsroom_day"
# Comments the benchmark makes carry this address; restore deletes them.
COMMENT_DOMAIN = "newsroom-day.invalid"
# Article fields a write of the day may change; restore writes them back.
RESTORED = [
    "title",
    "slug",
    "status",
    "version",
    "published_at",
    "updated_at",
    "search_text",
    "search_exact",
]
SEARCH_QUERIES = 1000


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()


def _article_url(slug: str, pk: int) -> str:
    # articles.urls "detail": "<slug>-<pk>.html" at the root; checked once
    # against reverse() in plan().
    return f"/{slug}-{pk}.html"


def _search_queries(titles: list[str], rng: random.Random) -> list[str]:
    """The 1,000 most frequent 2-3 word phrases of the titles, most asked
    first; every other one typed without accents, as on a phone."""
    from articles.text import fold

    counts: Counter = Counter()
    spelled: dict[str, str] = {}
    for title in titles:
        words = [w for w in re.split(r"[\s:,.;!?()“”\"–-]+", title) if w]
        for n in (2, 3):
            for i in range(len(words) - n + 1):
                phrase = words[i : i + n]
                if not all(w.isalpha() and len(w) > 1 for w in phrase):
                    continue
                text = " ".join(phrase)
                key = fold(text)
                counts[key] += 1
                spelled.setdefault(key, text.lower())
    top = [key for key, _ in counts.most_common(SEARCH_QUERIES)]
    return [key if rank % 2 else spelled[key] for rank, key in enumerate(top)]


def _pages_of(article, sections: dict) -> dict:
    """The public pages listing ``article`` (page 1 of each), and its own."""
    section = sections[article.section_id]
    return {
        "id": article.pk,
        "url": _article_url(article.slug, article.pk),
        "title": article.title,
        "sections": section["urls"],
        "feeds": section["feeds"],
        "tags": [tag.get_absolute_url() for tag in article.tags.all()],
        "contributors": [
            credit.contributor.get_absolute_url() for credit in article.credits.all()
        ],
    }


def plan(args: argparse.Namespace) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models import Count, Max, Min
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from articles.models import Article, Contributor, Section, Tag

    rng = random.Random(args.seed)  # noqa: S311 - a workload, not a secret
    published = Article.objects.published()
    span = published.aggregate(first=Min("published_at"), last=Max("published_at"))
    days = max(1, (span["last"] - span["first"]).days)
    # The last week's stories, and at least a week's worth at the archive's
    # average rate: generate_archive keeps its newest rows as drafts and
    # scheduled stories, so a fresh archive has published nothing for weeks
    # and then a few stories a day as their times come.
    recent = published.filter(published_at__gt=timezone.now() - timedelta(days=7))
    weekly = round(published.count() * 7 / days)
    hot = list(
        published.order_by("-published_at", "-id")
        .select_related("section")
        .prefetch_related("tags", "credits__contributor")[: max(recent.count(), weekly)]
    )
    rng.shuffle(hot)  # popularity rank: not simply the newest first
    every = list(published.order_by("id").values_list("slug", "pk"))
    first = Article.objects.get(pk=every[0][1])
    if first.get_absolute_url() != _article_url(*every[0]):
        sys.exit("articles:detail is no longer /<slug>-<pk>.html: update prepare.py")

    sections = {}
    for section in Section.objects.select_related("parent"):
        chain = [section] + ([section.parent] if section.parent_id else [])
        sections[section.pk] = {
            "urls": [s.get_absolute_url() for s in chain],
            "feeds": [f"/rss/{s.slug}.rss" for s in chain],
        }
    tags = Tag.objects.annotate(n=Count("tagged_articles")).order_by("-n", "pk")
    tag_urls = [tag.get_absolute_url() for tag in tags]
    contributors = list(Contributor.objects.order_by("pk"))
    titles = list(published.values_list("title", flat=True))
    sitemap_pages = math.ceil(len(every) / 1000)

    User = get_user_model()
    user, _ = User.objects.get_or_create(username=USERNAME)
    password = secrets.token_urlsafe(16)
    user.set_password(password)
    user.is_staff = True
    user.is_active = True
    user.save()
    user.groups.set(
        Group.objects.filter(name__in=["Tổng biên tập", "Kiểm duyệt bình luận"])
    )
    # A chief editor signs in with a one-time code (accounts/second_factor.py):
    # the benchmark's editor has an authenticator, its key in the plan.
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name=USERNAME, confirmed=True)

    # The stories editors touch are among the most read: the pages readers
    # ask for most, so the caches hold them when the write lands.
    by_rank = [a for a in hot if a.is_commentable]
    takedowns = by_rank[1:40:6]
    edits = [a for a in by_rank[:40] if a not in takedowns]
    commented = by_rank[:20]
    section_ids = [pk for pk, s in sections.items() if len(s["urls"]) == 2]
    feeds = {feed for section in sections.values() for feed in section["feeds"]}
    plan = {
        "seed": args.seed,
        "hot_articles": [_article_url(a.slug, a.pk) for a in hot],
        "all_articles": [_article_url(slug, pk) for slug, pk in every],
        "sections": sorted({urls["urls"][0] for urls in sections.values()}),
        "tags": tag_urls,
        "contributors": [c.get_absolute_url() for c in contributors],
        "searches": _search_queries(titles, rng),
        "feeds": ["/rss/tin-moi-nhat.rss", *sorted(feeds)],
        "sitemaps": {
            "index": "/sitemap.xml",
            "news": "/sitemap-news.xml",
            "sections": "/sitemap-chuyen-muc.xml",
            "articles": [
                "/sitemap-bai-viet.xml" + (f"?p={n}" if n > 1 else "")
                for n in range(1, sitemap_pages + 1)
            ],
        },
        "editor": {"username": USERNAME, "password": password, "totp_key": device.key},
        "new_article": {
            "sections": {str(pk): sections[pk] for pk in section_ids},
            "tags": [
                {"name": tag.name, "url": tag.get_absolute_url()} for tag in tags[:40]
            ],
            "contributors": [
                {"id": c.pk, "url": c.get_absolute_url()} for c in contributors
            ],
        },
        "edits": [_pages_of(a, sections) for a in edits],
        "takedowns": [_pages_of(a, sections) for a in takedowns],
        "commented": [
            {"id": a.pk, "url": _article_url(a.slug, a.pk)} for a in commented
        ],
    }
    Path(args.out).write_text(json.dumps(plan, ensure_ascii=False))

    touched = [a["id"] for a in plan["edits"] + plan["takedowns"]]
    state = _load_state()
    kept = {int(pk) for pk in state.get("articles", {})}
    originals = Article.objects.filter(pk__in=set(touched) - kept).values(
        "pk", *RESTORED
    )
    for row in originals:
        pk = row.pop("pk")
        state.setdefault("articles", {})[str(pk)] = {
            name: value.isoformat() if hasattr(value, "isoformat") else value
            for name, value in row.items()
        }
    STATE.parent.mkdir(exist_ok=True)
    STATE.write_text(json.dumps(state))
    print(
        f"  {len(plan['hot_articles'])} recent stories (the last week, or a "
        "week's worth), "
        f"{len(every)} published, {len(plan['searches'])} search queries, "
        f"{len(plan['tags'])} tags, editor {USERNAME!r}"
    )


def _load_state() -> dict:
    return json.loads(STATE.read_text()) if STATE.exists() else {}


def _restore() -> str:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils.dateparse import parse_datetime

    from articles.models import Article, ArticleRevision, AuditEntry
    from comments.models import Comment

    state = _load_state()
    user = get_user_model().objects.filter(username=USERNAME).first()
    with transaction.atomic():
        for pk, fields in state.get("articles", {}).items():
            for name in ("published_at", "updated_at"):
                if fields[name]:
                    fields[name] = parse_datetime(fields[name])
            Article.objects.filter(pk=pk).update(**fields)
        comments = Comment.objects.filter(email__endswith="@" + COMMENT_DOMAIN)
        n_comments = comments.delete()[0]
        n_articles = n_records = 0
        if user is not None:
            # The day's audit entries protect their articles: they go first.
            n_records = AuditEntry.objects.filter(actor=user).delete()[0]
            n_records += ArticleRevision.objects.filter(created_by=user).delete()[0]
            created = Article.objects.filter(created_by=user)
            n_articles = created.count()
            created.delete()
    return (
        f"{len(state.get('articles', {}))} stories put back, {n_articles} new "
        f"articles and {n_comments} comments deleted, {n_records} records"
    )


def stage(args: argparse.Namespace) -> None:
    from comments.models import Comment, body_fingerprint

    plan = json.loads(Path(args.plan).read_text())
    print(f"  restored: {_restore()}")
    rng = random.Random(plan["seed"] * 100 + args.setup)  # noqa: S311
    # One decision every 5 s; two in three approve a pending comment.
    needed = math.ceil(args.duration / 5) + 10
    comments = []
    for n in range(needed):
        article = plan["commented"][n % len(plan["commented"])]
        marker = f"ykbd{args.setup}x{n}q{rng.randrange(10**6)}"
        body = (
            f"Ý kiến bạn đọc {marker}: mong tỉnh sớm có giải pháp cho bà con "
            "vùng này, nhất là mùa khô sắp tới."
        )
        comments.append(
            Comment(
                article_id=article["id"],
                name=f"Bạn đọc {n}",
                email=f"bandoc{n}@{COMMENT_DOMAIN}",
                body=body,
                body_hash=body_fingerprint(body),
                status=Comment.Status.PENDING,
                ip_address="127.0.0.1",
            )
        )
    # Pending comments show nowhere: made in bulk, with no purge to send.
    made = Comment.objects.bulk_create(comments)
    out = [
        {
            "id": comment.pk,
            "article_url": plan["commented"][n % len(plan["commented"])]["url"],
            "marker": re.search(r"ykbd\S+", comment.body).group(0).rstrip(":"),
        }
        for n, comment in enumerate(made)
    ]
    publications = [
        _new_story(plan, rng, f"xb{args.setup}n{n}k{rng.randrange(10**5)}")
        for n in range(math.ceil(args.duration / 60) + 2)
    ]
    Path(args.out).write_text(
        json.dumps({"comments": out, "publications": publications}, ensure_ascii=False)
    )
    print(f"  {len(out)} pending comments made")


def _new_story(plan: dict, rng: random.Random, marker: str) -> dict:
    """What the editor types into the add form for one new story; ``marker``
    makes its title unique and searchable."""
    from articles.text import slugify_vi
    from demo.archive import ACTIONS, PLACES, TOPICS

    new = plan["new_article"]
    section = rng.choice(sorted(new["sections"]))
    tags = rng.sample(new["tags"], 2)
    contributor = rng.choice(new["contributors"])
    topic, place = rng.choice(TOPICS), rng.choice(PLACES)
    title = f"{rng.choice(ACTIONS)} {topic} ở {place} (bản tin {marker})"
    return {
        "marker": marker,
        "title": title,
        "slug": slugify_vi(title),
        "lead": f"DXO – {title}: chính quyền và bà con cùng bàn cách làm.",
        "body": "".join(
            f"<p>Đoạn {i}: tin về {topic} ở {place}, cập nhật trong ngày.</p>"
            for i in range(1, 6)
        ),
        "section": int(section),
        "section_urls": new["sections"][section]["urls"],
        "feeds": new["sections"][section]["feeds"],
        "tags": [tag["name"] for tag in tags],
        "tag_urls": [tag["url"] for tag in tags],
        "contributor": contributor["id"],
        "contributor_url": contributor["url"],
    }


def restore(args: argparse.Namespace) -> None:
    print(f"  {_restore()}")
    STATE.unlink(missing_ok=True)
    if STATE.parent.exists() and not any(STATE.parent.iterdir()):
        STATE.parent.rmdir()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(required=True)
    command = commands.add_parser("plan")
    command.add_argument("--out", required=True)
    command.add_argument("--seed", type=int, default=1)
    command.set_defaults(run=plan)
    command = commands.add_parser("stage")
    command.add_argument("--plan", required=True)
    command.add_argument("--setup", type=int, required=True)
    command.add_argument("--duration", type=int, default=60)
    command.add_argument("--out", required=True)
    command.set_defaults(run=stage)
    command = commands.add_parser("restore")
    command.set_defaults(run=restore)
    args = parser.parse_args()
    setup_django()
    args.run(args)


if __name__ == "__main__":
    main()
