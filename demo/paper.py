"""The demo paper: sample sections, articles, photos, comments and accounts."""

import colorsys
import io
import math
import random
import secrets
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFilter

from articles.models import Article, ArticlePhoto, Contributor, Credit, Section
from articles.services import photo_create
from comments.models import Comment
from comments.services import comment_submit
from paper.models import SiteSettings

from . import content
from .videos import load_demo_videos

DEMO_ACCOUNTS = {
    # username: (full name, role: a group made by articles/migrations/0003)
    "phongvien": ("Phóng viên Demo", "Phóng viên"),
    "bientap": ("Biên tập viên Demo", "Biên tập viên"),
    "tongbientap": ("Tổng biên tập Demo", "Tổng biên tập"),
    "kiemduyet": ("Kiểm duyệt viên Demo", "Kiểm duyệt bình luận"),
}


def make_photo_bytes(hue: int, seed: int, size: tuple[int, int] = (1200, 800)) -> bytes:
    """A JPEG landscape in the given hue: sky, sun, river and palm silhouettes."""
    rng = random.Random(seed)  # noqa: S311 - picture layout, not security
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    h = (hue % 360) / 360
    for y in range(height):
        light = 0.82 - 0.45 * y / height
        r, g, b = colorsys.hls_to_rgb(h, light, 0.55)
        draw.line([(0, y), (width, y)], fill=(int(r * 255), int(g * 255), int(b * 255)))
    sun_x, sun_y = rng.randint(150, width - 150), rng.randint(80, height // 3)
    draw.ellipse([sun_x - 70, sun_y - 70, sun_x + 70, sun_y + 70], fill=(255, 236, 180))
    river_top = int(height * 0.62)
    for y in range(river_top, height):
        shade = 60 + int(50 * math.sin(y / 9))
        draw.line([(0, y), (width, y)], fill=(shade, shade + 40, 110 + shade // 2))
    for _ in range(rng.randint(4, 8)):
        x = rng.randint(0, width)
        top = rng.randint(int(height * 0.25), int(height * 0.45))
        draw.line(
            [(x, river_top), (x + rng.randint(-30, 30), top)],
            fill=(40, 55, 30),
            width=9,
        )
        for angle in range(0, 360, 45):
            dx = int(90 * math.cos(math.radians(angle)))
            dy = int(40 * math.sin(math.radians(angle)))
            draw.line([(x, top), (x + dx, top + dy + 25)], fill=(35, 80, 35), width=7)
    image = image.filter(ImageFilter.SMOOTH)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue()


def _published_at(days_ago: int, hour: int, minute: int, now: datetime) -> datetime:
    day = timezone.localdate(now) - timedelta(days=days_ago)
    when = timezone.make_aware(datetime.combine(day, time(hour, minute)))
    # "Today at 21:00" must not become an invisible, future-dated story.
    return min(when, now - timedelta(minutes=10 + days_ago))


def _body_html(entry: dict) -> str:
    headings = entry.get("subheadings", {})
    quotes = entry.get("pull_quotes", {})
    parts = []
    for index, paragraph in enumerate(entry["paragraphs"]):
        if index in headings:
            parts.append(f"<h2>{headings[index]}</h2>")
        parts.append(f"<p>{paragraph}</p>")
        if index in quotes:
            # As the body editor writes a quotation set as a pull quote.
            parts.append(
                f'<blockquote class="pull-quote"><p>{quotes[index]}</p></blockquote>'
            )
    return "".join(parts)


def _photo(entry: dict, contributors: dict, *, seed: int, name: str):
    """A demo picture through the same checks and cleaning as an upload in
    the admin."""
    return photo_create(
        upload=make_photo_bytes(
            entry["hue"], seed=seed, size=entry.get("size", (1200, 800))
        ),
        name=name,
        caption=entry["caption"],
        alt_text=entry["alt"],
        photographer=contributors[entry["credit"]],
    )


@transaction.atomic
def load_demo_paper() -> int:
    """Fill an empty database with the demo paper; returns how many articles it made."""
    site = SiteSettings.load()
    for field, value in content.SITE.items():
        setattr(site, field, value)
    site.save()

    sections: dict[str, Section] = {}
    for entry in content.SECTIONS:
        sections[entry["slug"]] = Section.objects.create(
            name=entry["name"],
            slug=entry["slug"],
            order=entry["order"],
            parent=sections.get(entry["parent"]) if entry["parent"] else None,
        )
    contributors = {
        entry["slug"]: Contributor.objects.create(
            name=entry["name"], slug=entry["slug"], bio=entry["bio"]
        )
        for entry in content.CONTRIBUTORS
    }

    now = timezone.now()
    for number, entry in enumerate(content.ARTICLES):
        photo = None
        if entry["photo"]:  # some briefs are filed without a picture
            photo = _photo(
                entry["photo"], contributors, seed=number, name=f"demo-{number:02d}.jpg"
            )
        article = Article.objects.create(
            title=entry["title"],
            kind=entry["kind"],
            layout=entry.get("layout", Article.Layout.STANDARD),
            section=sections[entry["section"]],
            lead=entry["lead"],
            body=_body_html(entry),
            status=Article.Status.PUBLISHED,
            published_at=_published_at(
                entry["days_ago"], entry["hour"], entry["minute"], now
            ),
            lead_photo=photo,
            source_name=entry.get("source_name", ""),
            source_url=entry.get("source_url", ""),
            home_placement={"lead": Article.HomePlacement.LEAD}.get(
                entry.get("home", ""), Article.HomePlacement.NONE
            ),
        )
        article.tags.set(entry["tags"])
        for order, (slug, roles) in enumerate(entry["credits"]):
            Credit.objects.create(
                article=article,
                contributor=contributors[slug],
                roles=roles,
                order=order,
            )
        if photo and entry["kind"] == "feature" and len(entry["paragraphs"]) > 3:
            # Features carry a second picture inside the body.
            ArticlePhoto.objects.create(article=article, photo=photo, after_paragraph=2)
        for extra, placed in enumerate(entry.get("body_photos", [])):
            ArticlePhoto.objects.create(
                article=article,
                photo=_photo(
                    placed,
                    contributors,
                    seed=100 + number * 10 + extra,
                    name=f"demo-{number:02d}-{extra + 1}.jpg",
                ),
                after_paragraph=placed["after"],
                is_wide=placed.get("wide", False),
            )
        for offset, comment in enumerate(entry.get("comments", [])):
            sender = {
                "article": article,
                "name": comment["name"],
                "email": comment["email"],
                "body": comment["body"],
                "ip_address": f"203.0.113.{(number * 7 + offset) % 250 + 1}",
                "user_agent": "Mozilla/5.0 (Linux; Android 14) Demo",
            }
            if comment["approved"]:
                made = Comment.objects.create(**sender, status=Comment.Status.APPROVED)
            else:
                # Through the reader's path, so the queue shows the spam
                # score and the reasons a moderator would see.
                made = comment_submit(**sender)
            # Readers comment after publication, and not in the future.
            commented_at = article.published_at + timedelta(hours=1 + offset * 3)
            Comment.objects.filter(pk=made.pk).update(
                created_at=min(commented_at, now - timedelta(minutes=1 + offset))
            )

    # One draft and one story scheduled for tomorrow: readers see neither.
    last = Article.objects.order_by("-id").first()
    Article.objects.filter(pk=last.pk).update(status=Article.Status.DRAFT)
    scheduled = Article.objects.order_by("-id")[1]
    Article.objects.filter(pk=scheduled.pk).update(
        status=Article.Status.SCHEDULED, published_at=now + timedelta(days=1)
    )
    return len(content.ARTICLES) + load_demo_videos()


def ensure_demo_accounts() -> dict[str, str]:
    """Create (or reset) one demo account per role; returns fresh passwords."""
    User = get_user_model()
    passwords = {}
    for username, (full_name, role) in DEMO_ACCOUNTS.items():
        user, _created = User.objects.get_or_create(username=username)
        user.first_name = full_name
        user.is_staff = True
        password = secrets.token_urlsafe(9)
        user.set_password(password)
        user.save()
        # Rights come from the role only: clear any left by older demos.
        user.user_permissions.clear()
        user.groups.set([Group.objects.get(name=role)])
        passwords[username] = password
    return passwords
