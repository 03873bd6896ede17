"""The child process that opens editors' PDFs: run by editions/pdf.py, never
imported by the site.

A PDF is a program of sorts, and an editor's file may be broken or built to
hurt (a page the size of a field, a stream that inflates to gigabytes). PDFium
(pypdfium2) reads it here, in a process of its own that limits its own memory,
CPU time and file sizes before it opens anything, and that the parent kills
after a timeout: a crash, a runaway allocation or an endless page ends this
process, never a web or worker process. It imports neither Django nor the
project, so it starts in a tenth of a second.

    renderer.py LIMITS inspect PDF MAX_PAGES
        prints {"pages": n, "sizes": [[w, h], ...], "encrypted": bool}
        (sizes in points, only when n <= MAX_PAGES) or {"error": "password"}
    renderer.py LIMITS render PDF INDEX OUTDIR WIDTH,WIDTH,... JPEG_WIDTH
        writes OUTDIR/<width>.webp for each width and OUTDIR/<JPEG_WIDTH>.jpg,
        prints {"width": w, "height": h, "text": "..."} (the size of the
        largest picture, in pixels)

LIMITS is "memory MiB:cpu seconds".
"""

import contextlib
import json
import resource
import sys

# What a page's text may hold: a real page has a few thousand words; a page
# made of millions of tiny letters is cut rather than stored.
MAX_TEXT = 100_000
# pdfium's error codes (fpdfview.h), named for the parent.
ERRORS = {2: "file", 3: "format", 4: "password", 5: "security"}


def limit(memory_mib: int, cpu_seconds: int) -> None:
    """Cap this process before it reads the file. Where the platform has no
    such limit (RLIMIT_AS on macOS), the parent's timeout still holds."""
    caps = [
        (resource.RLIMIT_AS, memory_mib * 2**20),
        (resource.RLIMIT_CPU, cpu_seconds),
        (resource.RLIMIT_FSIZE, 256 * 2**20),
        (resource.RLIMIT_CORE, 0),
    ]
    for kind, value in caps:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(kind, (value, value))


def open_pdf(path: str):
    import pypdfium2 as pdfium

    return pdfium.PdfDocument(path)


def inspect(path: str, max_pages: int) -> dict:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        document = open_pdf(path)
    except pdfium.PdfiumError as error:
        return {"error": ERRORS.get(getattr(error, "err_code", None), "format")}
    count = len(document)
    facts = {
        "pages": count,
        # -1 for a document without a security handler; owner-password-only
        # files open without a password but still carry one.
        "encrypted": raw.FPDF_GetSecurityHandlerRevision(document) != -1,
        "sizes": [],
    }
    if count <= max_pages:
        # The page dictionary's box only: no page content is parsed.
        facts["sizes"] = [list(document.get_page_size(i)) for i in range(count)]
    return facts


def render(
    path: str, index: int, outdir: str, widths: list[int], jpeg_width: int
) -> dict:
    from PIL import Image

    document = open_pdf(path)
    page = document[index]
    points_wide, points_high = page.get_size()
    largest = max(widths)
    scale = largest / points_wide
    # The parent refused pages of absurd proportions; this bounds what a page
    # whose size was misreported could still ask for.
    if points_high * scale > 5 * largest:
        raise SystemExit("page proportions")
    picture = page.render(scale=scale, fill_color=(255, 255, 255, 255)).to_pil()
    picture = picture.convert("RGB")
    textpage = page.get_textpage()
    text = textpage.get_text_bounded()[:MAX_TEXT]
    # Each width from the next larger one: sharp text at a fraction of the
    # cost of scaling every width down from the largest.
    made, largest_size = picture, None
    for width in sorted(set(widths) | {jpeg_width}, reverse=True):
        if made.width != width:
            height = max(1, round(made.height * width / made.width))
            made = made.resize((width, height), Image.Resampling.LANCZOS)
        largest_size = largest_size or made.size
        if width in widths:
            made.save(f"{outdir}/{width}.webp", "WEBP", quality=78, method=2)
        if width == jpeg_width:
            made.save(f"{outdir}/{width}.jpg", "JPEG", quality=80, optimize=True)
    return {"width": largest_size[0], "height": largest_size[1], "text": text}


def main(argv: list[str]) -> int:
    memory, cpu = (int(part) for part in argv[1].split(":"))
    limit(memory, cpu)
    command = argv[2]
    if command == "inspect":
        result = inspect(argv[3], int(argv[4]))
    elif command == "render":
        widths = [int(width) for width in argv[6].split(",")]
        result = render(argv[3], int(argv[4]), argv[5], widths, int(argv[7]))
    else:
        raise SystemExit(f"unknown command {command}")
    json.dump(result, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
