"""Small WordPress exports written by hand, as WordPress 6 writes them."""

import io
import shutil
import tempfile
from pathlib import Path

from django.core.management import call_command
from PIL import Image

from tests.base import NewsroomTestCase


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def wxr(*records: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:wfw="http://wellformedweb.org/CommentAPI/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
        "<title>Báo cũ</title><link>https://baocu.vn</link>\n"
        "<wp:wxr_version>1.2</wp:wxr_version>\n"
        + "\n".join(records)
        + "\n</channel>\n</rss>\n"
    )


def author(login="thuhuyen", name="Thu Huyền", wp_id=2, email="huyen@baocu.vn") -> str:
    return (
        f"<wp:author><wp:author_id>{wp_id}</wp:author_id>"
        f"<wp:author_login>{cdata(login)}</wp:author_login>"
        f"<wp:author_email>{cdata(email)}</wp:author_email>"
        f"<wp:author_display_name>{cdata(name)}</wp:author_display_name>"
        "<wp:author_first_name></wp:author_first_name>"
        "<wp:author_last_name></wp:author_last_name></wp:author>"
    )


def category(wp_id, slug, name, parent="") -> str:
    return (
        f"<wp:category><wp:term_id>{wp_id}</wp:term_id>"
        f"<wp:category_nicename>{cdata(slug)}</wp:category_nicename>"
        f"<wp:category_parent>{cdata(parent)}</wp:category_parent>"
        f"<wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>"
    )


def tag(wp_id, slug, name) -> str:
    return (
        f"<wp:tag><wp:term_id>{wp_id}</wp:term_id>"
        f"<wp:tag_slug>{cdata(slug)}</wp:tag_slug>"
        f"<wp:tag_name>{cdata(name)}</wp:tag_name></wp:tag>"
    )


def term(wp_id, taxonomy, slug, name, parent="") -> str:
    return (
        f"<wp:term><wp:term_id>{wp_id}</wp:term_id>"
        f"<wp:term_taxonomy>{cdata(taxonomy)}</wp:term_taxonomy>"
        f"<wp:term_slug>{cdata(slug)}</wp:term_slug>"
        f"<wp:term_parent>{cdata(parent)}</wp:term_parent>"
        f"<wp:term_name>{cdata(name)}</wp:term_name></wp:term>"
    )


def meta(key, value) -> str:
    return (
        f"<wp:postmeta><wp:meta_key>{cdata(key)}</wp:meta_key>"
        f"<wp:meta_value>{cdata(str(value))}</wp:meta_value></wp:postmeta>"
    )


def comment(
    wp_id,
    text="Bài hay quá.",
    *,
    name="Bạn đọc A",
    approved="1",
    parent=0,
    kind="comment",
    email="a@example.com",
    ip="203.0.113.5",
    date="2024-05-04 09:00:00",
    user_id=0,
) -> str:
    return (
        f"<wp:comment><wp:comment_id>{wp_id}</wp:comment_id>"
        f"<wp:comment_author>{cdata(name)}</wp:comment_author>"
        f"<wp:comment_author_email>{cdata(email)}</wp:comment_author_email>"
        f"<wp:comment_author_IP>{cdata(ip)}</wp:comment_author_IP>"
        f"<wp:comment_date>{cdata(date)}</wp:comment_date>"
        f"<wp:comment_date_gmt>{cdata(date)}</wp:comment_date_gmt>"
        f"<wp:comment_content>{cdata(text)}</wp:comment_content>"
        f"<wp:comment_approved>{cdata(approved)}</wp:comment_approved>"
        f"<wp:comment_type>{cdata(kind)}</wp:comment_type>"
        f"<wp:comment_parent>{parent}</wp:comment_parent>"
        f"<wp:comment_user_id>{user_id}</wp:comment_user_id></wp:comment>"
    )


def post(
    wp_id,
    title="Hội nghị tổng kết công tác dân vận",
    body="Đoạn một.\n\nĐoạn hai.",
    *,
    slug=None,
    status="publish",
    post_type="post",
    date="2024-05-03 08:30:00",
    date_gmt="2024-05-03 01:30:00",
    creator="thuhuyen",
    categories=(),
    tags=(),
    excerpt="",
    sticky=False,
    password="",
    extra="",
    link=None,
) -> str:
    slug = f"bai-{wp_id}" if slug is None else slug
    link = link or f"https://baocu.vn/{slug}/"
    terms = "".join(
        f'<category domain="category" nicename="{s}">{cdata(s)}</category>'
        for s in categories
    ) + "".join(
        f'<category domain="post_tag" nicename="{s}">{cdata(s)}</category>'
        for s in tags
    )
    return (
        f"<item><title>{cdata(title)}</title><link>{link}</link>"
        f'<guid isPermaLink="false">https://baocu.vn/?p={wp_id}</guid>'
        f"<dc:creator>{cdata(creator)}</dc:creator>"
        f"<content:encoded>{cdata(body)}</content:encoded>"
        f"<excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>"
        f"<wp:post_id>{wp_id}</wp:post_id>"
        f"<wp:post_date>{cdata(date)}</wp:post_date>"
        f"<wp:post_date_gmt>{cdata(date_gmt)}</wp:post_date_gmt>"
        "<wp:comment_status>open</wp:comment_status>"
        f"<wp:post_name>{cdata(slug)}</wp:post_name>"
        f"<wp:status>{cdata(status)}</wp:status>"
        "<wp:post_parent>0</wp:post_parent>"
        f"<wp:post_type>{cdata(post_type)}</wp:post_type>"
        f"<wp:post_password>{cdata(password)}</wp:post_password>"
        f"<wp:is_sticky>{int(sticky)}</wp:is_sticky>{terms}{extra}</item>"
    )


def attachment(wp_id, file, *, title="IMG_0001", caption="", alt="", parent=0) -> str:
    url = f"https://baocu.vn/wp-content/uploads/{file}"
    return (
        f"<item><title>{cdata(title)}</title>"
        f"<link>https://baocu.vn/anh-{wp_id}/</link>"
        f"<content:encoded>{cdata('')}</content:encoded>"
        f"<excerpt:encoded>{cdata(caption)}</excerpt:encoded>"
        f"<wp:post_id>{wp_id}</wp:post_id>"
        "<wp:post_date>2024-05-01 10:00:00</wp:post_date>"
        "<wp:post_date_gmt>2024-05-01 03:00:00</wp:post_date_gmt>"
        f"<wp:post_name>anh-{wp_id}</wp:post_name><wp:status>inherit</wp:status>"
        f"<wp:post_parent>{parent}</wp:post_parent>"
        "<wp:post_type>attachment</wp:post_type>"
        f"<wp:attachment_url>{url}</wp:attachment_url>"
        + meta("_wp_attached_file", file)
        + (meta("_wp_attachment_image_alt", alt) if alt else "")
        + "</item>"
    )


class ImportTestCase(NewsroomTestCase):
    """A temporary export file and uploads folder for each test."""

    def setUp(self):
        super().setUp()
        self.tmp = Path(tempfile.mkdtemp(prefix="wp-import-test-"))
        self.media = self.tmp / "uploads"
        self.media.mkdir()
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)

    def picture(self, relative: str, size=(400, 300), colour=(30, 120, 60)) -> Path:
        path = self.media / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        Image.new("RGB", size, colour).save(buffer, "JPEG")
        path.write_bytes(buffer.getvalue())
        return path

    def run_import(self, xml: str, *args: str) -> str:
        """Run the command on ``xml``; its stdout."""
        export = self.tmp / "export.xml"
        export.write_text(xml, encoding="utf-8")
        out = io.StringIO()
        call_command(
            "import_wordpress",
            str(export),
            "--media",
            str(self.media),
            "--report",
            str(self.tmp / "report.txt"),
            *args,
            stdout=out,
        )
        return out.getvalue()
