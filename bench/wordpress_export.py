"""A WordPress export (WXR 1.2) of N posts, and what importing it costs.

    .venv/bin/python bench/wordpress_export.py 10000 /tmp/wp.xml
    VAR_DIR=/tmp/wp-bench .venv/bin/python bench/wordpress_export.py 10000 \
        /tmp/wp.xml --import

The file has 4 authors, a three-level category tree, 200 tags, and per post a
classic-editor body of 6 paragraphs with a credit line, 2 tags and 2 comments
(one a reply); with ``--photo-every K`` every K-th post also gets an
attachment (a small JPEG under the media folder) as its lead photo. It is
written as a stream: any N fits in constant memory.

``--import`` then runs ``import_wordpress`` on it against the configured
database (use a throwaway ``VAR_DIR``: it migrates it first) and prints the
records per second and the process's peak memory (ru_maxrss) before and
after, and the peak for reading the file alone.
"""

import argparse
import io
import os
import random
import resource
import sys
import time
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

_TEXT = (
    "dân vận nông dân hợp tác xã dừa Bến Tre tỉnh huyện xã hội nghị tổng kết "
    "công tác năm kế hoạch phát triển kinh tế sản xuất thu hoạch giá cả thị "
    "trường người dân cán bộ chính quyền địa phương đường giao thông nông thôn"
)
WORDS = _TEXT.split()
AUTHORS = [("thuhuyen", "Thu Huyền"), ("huuhiep", "Hữu Hiệp"), ("minhthu", "Minh Thư")]
AUTHORS += [("admin", "Quản trị")]


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def write_export(
    n: int, path: Path, *, media: Path | None = None, photo_every: int = 0
) -> None:
    rng = random.Random(42)  # noqa: S311 - a fixed seed: the same file every run
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            "<title>Báo cũ</title><link>https://baocu.vn</link>\n"
            "<wp:wxr_version>1.2</wp:wxr_version>\n"
        )
        for i, (login, name) in enumerate(AUTHORS, start=1):
            out.write(
                f"<wp:author><wp:author_id>{i}</wp:author_id><wp:author_login>"
                f"{cdata(login)}</wp:author_login><wp:author_email>"
                f"{login}@baocu.vn</wp:author_email><wp:author_display_name>"
                f"{cdata(name)}</wp:author_display_name></wp:author>\n"
            )
        categories = []
        for top in range(5):
            categories.append((f"muc-{top}", ""))
            for child in range(3):
                categories.append((f"muc-{top}-{child}", f"muc-{top}"))
                categories.append((f"muc-{top}-{child}-sau", f"muc-{top}-{child}"))
        for i, (slug, parent) in enumerate(categories, start=1):
            out.write(
                f"<wp:category><wp:term_id>{i}</wp:term_id><wp:category_nicename>"
                f"{slug}</wp:category_nicename><wp:category_parent>{parent}"
                f"</wp:category_parent><wp:cat_name>{cdata(slug.title())}"
                "</wp:cat_name></wp:category>\n"
            )
        for i in range(200):
            out.write(
                f"<wp:tag><wp:term_id>{1000 + i}</wp:term_id><wp:tag_slug>tu-khoa-{i}"
                f"</wp:tag_slug><wp:tag_name>{cdata(f'Từ khóa {i}')}</wp:tag_name>"
                "</wp:tag>\n"
            )
        comment_id = 0
        for post_id in range(1, n + 1):
            thumbnail = ""
            if photo_every and media and post_id % photo_every == 0:
                attachment_id = 10_000_000 + post_id
                _write_attachment(out, media, attachment_id, post_id)
                thumbnail = _meta("_thumbnail_id", str(attachment_id))
            login, name = AUTHORS[post_id % 3]
            paragraphs = [sentence(rng, 40) for _ in range(6)]
            body = "\n\n".join([*paragraphs, f"Tin, ảnh: {name}"])
            day = 1 + post_id % 28
            category = categories[post_id % len(categories)][0]
            tags = [f"tu-khoa-{rng.randrange(200)}" for _ in range(2)]
            comments = ""
            for parent in (0, comment_id + 1):
                comment_id += 1
                comments += (
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author>{cdata('Bạn đọc')}</wp:comment_author>"
                    "<wp:comment_author_email>bandoc@example.com"
                    "</wp:comment_author_email><wp:comment_author_IP>203.0.113.9"
                    "</wp:comment_author_IP><wp:comment_date>2024-05-04 09:00:00"
                    "</wp:comment_date><wp:comment_date_gmt>2024-05-04 02:00:00"
                    f"</wp:comment_date_gmt><wp:comment_content>"
                    f"{cdata(sentence(rng, 12))}</wp:comment_content>"
                    "<wp:comment_approved>1</wp:comment_approved><wp:comment_type>"
                    f"comment</wp:comment_type><wp:comment_parent>{parent}"
                    "</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id>"
                    "</wp:comment>"
                )
            out.write(
                f"<item><title>{cdata(sentence(rng, 10))}</title>"
                f"<link>https://baocu.vn/bai-{post_id}/</link>"
                f"<dc:creator>{cdata(login)}</dc:creator>"
                f"<content:encoded>{cdata(body)}</content:encoded>"
                f"<excerpt:encoded>{cdata(paragraphs[0][:200])}</excerpt:encoded>"
                f"<wp:post_id>{post_id}</wp:post_id>"
                f"<wp:post_date>2024-05-{day:02d} 08:30:00</wp:post_date>"
                f"<wp:post_date_gmt>2024-05-{day:02d} 01:30:00</wp:post_date_gmt>"
                "<wp:comment_status>open</wp:comment_status>"
                f"<wp:post_name>bai-{post_id}</wp:post_name>"
                "<wp:status>publish</wp:status><wp:post_parent>0</wp:post_parent>"
                "<wp:post_type>post</wp:post_type><wp:post_password></wp:post_password>"
                f"<wp:is_sticky>0</wp:is_sticky>"
                f'<category domain="category" nicename="{category}">{category}'
                "</category>"
                + "".join(
                    f'<category domain="post_tag" nicename="{t}">{t}</category>'
                    for t in tags
                )
                + f"{thumbnail}{comments}</item>\n"
            )
        out.write("</channel>\n</rss>\n")


def _meta(key: str, value: str) -> str:
    return (
        f"<wp:postmeta><wp:meta_key>{key}</wp:meta_key>"
        f"<wp:meta_value>{cdata(value)}</wp:meta_value></wp:postmeta>"
    )


def _write_attachment(out, media: Path, attachment_id: int, post_id: int) -> None:
    from PIL import Image

    relative = f"2024/05/anh-{post_id}.jpg"
    target = media / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (post_id % 255, 90, 60)).save(buffer, "JPEG")
    target.write_bytes(buffer.getvalue())
    out.write(
        f"<item><title>anh-{post_id}</title><link>https://baocu.vn/anh-{post_id}/</link>"
        f"<excerpt:encoded>{cdata(escape('Ảnh minh họa'))}</excerpt:encoded>"
        f"<wp:post_id>{attachment_id}</wp:post_id><wp:status>inherit</wp:status>"
        f"<wp:post_parent>{post_id}</wp:post_parent>"
        "<wp:post_type>attachment</wp:post_type>"
        f"<wp:attachment_url>https://baocu.vn/wp-content/uploads/{relative}"
        "</wp:attachment_url>" + _meta("_wp_attached_file", relative) + "</item>\n"
    )


def peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(path: Path, media: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from wordpress import wxr

    call_command("migrate", verbosity=0)
    if not os.environ.get("REDIS_URL") and not os.environ.get("BENCH_FILE_CACHE"):
        # Without Redis the project's cache is a file cache that lists its
        # whole folder on every write: each purge mark then costs more than
        # the post it follows. Purges go to memory instead, as cheap as Redis.
        from django.test.utils import override_settings

        override_settings(
            CACHES={
                "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
            }
        ).enable()
        print("purge marks kept in memory (BENCH_FILE_CACHE=1 for the file cache)")
    start_mb = peak_mb()
    started = time.monotonic()
    records = sum(1 for _record in wxr.read(path))
    read_seconds = time.monotonic() - started
    print(
        f"read only: {records} records in {read_seconds:.1f} s "
        f"({records / read_seconds:.0f}/s), peak RSS {start_mb:.0f} -> "
        f"{peak_mb():.0f} MB"
    )
    started = time.monotonic()
    call_command("import_wordpress", str(path), "--media", str(media))
    seconds = time.monotonic() - started
    print(
        f"import: {records} records in {seconds:.1f} s ({records / seconds:.0f}/s), "
        f"peak RSS {start_mb:.0f} -> {peak_mb():.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("posts", type=int)
    parser.add_argument("path", type=Path)
    parser.add_argument("--media", type=Path, default=None)
    parser.add_argument("--photo-every", type=int, default=0)
    parser.add_argument("--import", dest="run_import", action="store_true")
    args = parser.parse_args()
    media = args.media or args.path.with_suffix(".uploads")
    media.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    write_export(args.posts, args.path, media=media, photo_every=args.photo_every)
    size = args.path.stat().st_size / 1024 / 1024
    print(
        f"wrote {args.path} ({size:.1f} MB, {args.posts} posts) "
        f"in {time.monotonic() - started:.1f} s"
    )
    if args.run_import:
        measure(args.path, media)


if __name__ == "__main__":
    main()
