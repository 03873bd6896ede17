"""Time the print edition's pipeline on the demo paper's layout: the upload's
check, then each page drawn (pictures and text) one at a time and two at a
time, as the worker does; prints seconds and the pictures' sizes.

    .venv/bin/python bench/print_pages.py [--issues 3]

Each issue is the demo's four A3 pages (demo/print_edition.py).
"""

import argparse
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.pages import setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=3)
    args = parser.parse_args()
    setup_django()
    from django.core.files.base import ContentFile

    from demo import content
    from demo.paper import make_photo_bytes
    from demo.print_edition import Story, find_fonts, make_issue_pdf
    from editions import pdf

    stories = [
        Story(e["title"], e["lead"], e["paragraphs"], e["section"])
        for e in content.ARTICLES
    ][:9]
    photos = [make_photo_bytes(hue=60 * i, seed=i) for i in range(4)]
    data = make_issue_pdf(
        paper="Báo Dừa Xanh",
        tagline="Tiếng nói của xứ dừa",
        number=1,
        day=date(2026, 12, 5),
        stories=stories,
        photos=photos,
        fonts=find_fonts(),
    )
    print(f"PDF: 4 pages, {len(data) / 1024:.0f} KiB")
    for run in range(args.issues):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "so.pdf"
            path.write_bytes(data)
            start = time.perf_counter()
            pdf.check(ContentFile(data, name="so.pdf"))
            checked = time.perf_counter()
            one = [
                pdf.render_page(path, n, Path(folder) / f"a{n}") for n in (1, 2, 3, 4)
            ]
            alone = time.perf_counter()
            with ThreadPoolExecutor(2) as pool:
                list(
                    pool.map(
                        lambda n, path=path, folder=folder: pdf.render_page(
                            path, n, Path(folder) / f"b{n}"
                        ),
                        (1, 2, 3, 4),
                    )
                )
            paired = time.perf_counter()
            sizes = {
                kind: sum(page.files[kind].stat().st_size for page in one) / 4 / 1024
                for kind in ("thumb", "phone", "desktop", "jpeg")
            }
            print(
                f"run {run + 1}: check {checked - start:.2f} s, 4 pages one at a "
                f"time {alone - checked:.2f} s, two at a time {paired - alone:.2f} s; "
                "per page KiB: "
                + ", ".join(f"{kind} {size:.0f}" for kind, size in sizes.items())
            )


if __name__ == "__main__":
    main()
