"""The demo paper's print edition: PDFs laid out here from the demo's own
stories (demo/content.py), with PDFium (pypdfium2) writing real text in an
embedded font, so the pages render and their text is found by search.

The font comes from the machine (DejaVu, Noto or Liberation on Linux, Times
New Roman on macOS and Windows): the project ships none. Without one, the
demo paper has no print issues, and says so.
"""

import ctypes
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import ImageFont

# (regular, bold): fonts that carry every Vietnamese letter.
FONTS = [
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf",
        "/usr/share/fonts/truetype/noto/NotoSerif-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf",
    ),
    (
        "/System/Library/Fonts/Supplemental/Times New Roman.ttf",
        "/System/Library/Fonts/Supplemental/Times New Roman Bold.ttf",
    ),
    ("C:/Windows/Fonts/times.ttf", "C:/Windows/Fonts/timesbd.ttf"),
]
# An A3 page (297 × 420 mm), in points, and its margins.
WIDTH, HEIGHT = 842, 1191
MARGIN = 42
BRAND = (158, 27, 27)
ADVERTS = [
    [
        "Kẹo dừa Cô Ba Xứ Dừa",
        "Ngọt vừa, thơm béo, làm tay mỗi ngày.",
        "Giao tận nhà trong tỉnh. Điện thoại: 0275.3999.020",
    ],
    [
        "Vườn cây giống Tám Lành",
        "Dừa xiêm, bưởi da xanh, sầu riêng ghép: cây khỏe, đúng giống.",
        "Ấp Phú Hòa, xã Vĩnh Thành. Tư vấn miễn phí.",
    ],
    [
        "Học bơi hè cho thiếu nhi",
        "Mười buổi biết bơi, có huấn luyện viên kèm từng em.",
        "Nhà văn hóa phường, đăng ký trước ngày 30.",
    ],
]
INK = (27, 27, 27)


def find_fonts() -> tuple[Path, Path] | None:
    for regular, bold in FONTS:
        if Path(regular).is_file() and Path(bold).is_file():
            return Path(regular), Path(bold)
    return None


@dataclass
class Story:
    title: str
    lead: str
    paragraphs: list[str]
    section: str


class _Font:
    """A TrueType font embedded in the document, measured with Pillow."""

    def __init__(self, document: pdfium.PdfDocument, path: Path):
        data = path.read_bytes()
        self._buffer = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
        self.handle = pdfium_c.FPDFText_LoadFont(
            document.raw, self._buffer, len(data), pdfium_c.FPDF_FONT_TRUETYPE, 1
        )
        self.path = path
        self._measures: dict[float, ImageFont.FreeTypeFont] = {}

    def width(self, text: str, size: float) -> float:
        if size not in self._measures:
            # Measured at 10 times the size, for sub-point precision.
            self._measures[size] = ImageFont.truetype(str(self.path), int(size * 10))
        return self._measures[size].getlength(text) / 10


class _Page:
    def __init__(self, document: pdfium.PdfDocument):
        self.document = document
        self.page = document.new_page(WIDTH, HEIGHT)

    def text(self, font: _Font, size: float, x: float, y: float, line: str, colour=INK):
        obj = pdfium_c.FPDFPageObj_CreateTextObj(self.document.raw, font.handle, size)
        wide = ctypes.create_string_buffer((line + "\x00").encode("utf-16-le"))
        pdfium_c.FPDFText_SetText(obj, ctypes.cast(wide, pdfium_c.FPDF_WIDESTRING))
        pdfium_c.FPDFPageObj_SetFillColor(obj, *colour, 255)
        pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
        pdfium_c.FPDFPage_InsertObject(self.page.raw, obj)

    def rect(self, x: float, y: float, w: float, h: float, colour=INK):
        obj = pdfium_c.FPDFPageObj_CreateNewRect(x, y, w, h)
        pdfium_c.FPDFPageObj_SetFillColor(obj, *colour, 255)
        pdfium_c.FPDFPath_SetDrawMode(obj, pdfium_c.FPDF_FILLMODE_ALTERNATE, 0)
        pdfium_c.FPDFPage_InsertObject(self.page.raw, obj)

    def photo(self, jpeg: bytes, x: float, y: float, w: float, h: float):
        image = pdfium.PdfImage.new(self.document)
        image.load_jpeg(io.BytesIO(jpeg), pages=[self.page])
        image.set_matrix(pdfium.PdfMatrix().scale(w, h).translate(x, y))
        self.page.insert_obj(image)

    def wrap(self, font: _Font, size: float, width: float, text: str) -> list[str]:
        lines, line = [], ""
        for word in text.split():
            tried = f"{line} {word}".strip()
            if line and font.width(tried, size) > width:
                lines.append(line)
                line = word
            else:
                line = tried
        return [*lines, line] if line else lines

    def block(self, font, size, x, top, width, text, *, leading=1.3, colour=INK):
        """Wrapped text from ``top`` down; returns where it ended."""
        y = top
        for line in self.wrap(font, size, width, text):
            y -= size * leading
            self.text(font, size, x, y, line, colour)
        return y

    def columns(
        self, font, size, top, bottom, count, paragraphs, *, right=WIDTH - MARGIN
    ):
        """Body text poured into ``count`` columns between ``top`` and
        ``bottom``; what does not fit is left out, as a page cuts a story."""
        gap, x0 = 14, MARGIN
        width = (right - x0 - gap * (count - 1)) / count
        lines = []
        for paragraph in paragraphs:
            lines += [*self.wrap(font, size, width, paragraph), ""]
        column, y = 0, top
        for line in lines:
            if y - size * 1.35 < bottom:
                column += 1
                y = top
                if column == count:
                    return
            y -= size * 1.35
            if line:
                self.text(font, size, x0 + column * (width + gap), y, line)
        for rule in range(1, count):
            x = x0 + rule * (width + gap) - gap / 2
            self.rect(x, bottom, 0.5, top - bottom, (180, 170, 160))

    def advert(self, bold: _Font, regular: _Font, x, top, width, number: int):
        """A made-up advertisement, as inside pages carry."""
        lines = ADVERTS[number % len(ADVERTS)]
        height = 260
        self.rect(x, top - height, width, height, (246, 236, 214))
        self.rect(x, top - 6, width, 6, BRAND)
        y = top - 50
        for index, line in enumerate(lines):
            font, size = (bold, 22) if index == 0 else (regular, 13)
            for part in self.wrap(font, size, width - 40, line):
                self.text(font, size, x + (width - font.width(part, size)) / 2, y, part)
                y -= size * 1.5
            y -= 10

    def footer(self, font: _Font, paper: str, number: int):
        self.rect(MARGIN, 36, WIDTH - 2 * MARGIN, 0.8)
        label = f"{paper} · Trang {number}"
        self.text(font, 9, (WIDTH - font.width(label, 9)) / 2, 22, label)

    def finish(self):
        self.page.gen_content()


def make_issue_pdf(
    *,
    paper: str,
    tagline: str,
    number: int,
    day: date,
    stories: list[Story],
    photos: list[bytes],
    fonts: tuple[Path, Path],
) -> bytes:
    """A four-page issue: the front page and three inside pages, two stories
    each, from ``stories`` (at least nine) and ``photos`` (JPEG)."""
    from paper.templatetags.paper import vn_date

    document = pdfium.PdfDocument.new()
    regular, bold = _Font(document, fonts[0]), _Font(document, fonts[1])

    front = _Page(document)
    front.rect(0, HEIGHT - 150, WIDTH, 150, BRAND)
    name = paper.upper()
    front.text(
        bold, 56, (WIDTH - bold.width(name, 56)) / 2, HEIGHT - 92, name, (255, 255, 255)
    )
    front.text(
        regular,
        13,
        (WIDTH - regular.width(tagline, 13)) / 2,
        HEIGHT - 122,
        tagline,
        (255, 255, 255),
    )
    dateline = f"Số {number} · {vn_date(day)} · Giá 5.000 đồng"
    front.text(regular, 11, MARGIN, HEIGHT - 172, dateline)
    front.rect(MARGIN, HEIGHT - 180, WIDTH - 2 * MARGIN, 1.5)
    lead = stories[0]
    y = front.block(bold, 30, MARGIN, HEIGHT - 190, WIDTH - 2 * MARGIN, lead.title)
    photo_w = (WIDTH - 2 * MARGIN) * 0.62
    photo_h = photo_w * 2 / 3
    front.photo(photos[0], MARGIN, y - 12 - photo_h, photo_w, photo_h)
    side_x = MARGIN + photo_w + 16
    front.block(
        bold, 13, side_x, y - 6, WIDTH - MARGIN - side_x, lead.lead, leading=1.4
    )
    y = y - 24 - photo_h
    front.columns(regular, 10.5, y, 360, 3, lead.paragraphs)
    front.rect(MARGIN, 350, WIDTH - 2 * MARGIN, 2, BRAND)
    half = (WIDTH - 2 * MARGIN - 20) / 2
    for index, story in enumerate(stories[1:3]):
        x = MARGIN + index * (half + 20)
        end = front.block(bold, 17, x, 338, half, story.title)
        front.block(regular, 10.5, x, end - 6, half, story.lead, leading=1.4)
    front.footer(regular, paper, 1)
    front.finish()

    for page_number in (2, 3, 4):
        page = _Page(document)
        first, second = stories[page_number * 2 - 1], stories[page_number * 2]
        page.rect(MARGIN, HEIGHT - 70, WIDTH - 2 * MARGIN, 28, BRAND)
        page.text(
            bold, 15, MARGIN + 10, HEIGHT - 62, first.section.upper(), (255, 255, 255)
        )
        y = page.block(bold, 26, MARGIN, HEIGHT - 80, WIDTH - 2 * MARGIN, first.title)
        photo_w, photo_h = 340, 227
        page.photo(photos[page_number - 1], MARGIN, y - 12 - photo_h, photo_w, photo_h)
        side_x = MARGIN + photo_w + 16
        page.block(
            bold, 12.5, side_x, y - 6, WIDTH - MARGIN - side_x, first.lead, leading=1.4
        )
        page.columns(regular, 10.5, y - 24 - photo_h, 620, 3, first.paragraphs)
        page.rect(MARGIN, 600, WIDTH - 2 * MARGIN, 2, BRAND)
        y = page.block(bold, 22, MARGIN, 590, WIDTH - 2 * MARGIN, second.title)
        y = page.block(bold, 11.5, MARGIN, y - 4, WIDTH - 2 * MARGIN, second.lead)
        half = (WIDTH - 2 * MARGIN) / 2
        page.columns(
            regular, 10.5, y - 10, 50, 2, second.paragraphs, right=MARGIN + half
        )
        page.advert(bold, regular, MARGIN + half + 16, y - 14, half - 16, page_number)
        page.footer(regular, paper, page_number)
        page.finish()

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def load_print_issues(today: date, log=lambda message: None) -> int:
    """Two issues of the demo paper's print edition, yesterday's and today's,
    through the same check and rendering as an editor's upload; returns how
    many were made."""
    from datetime import timedelta

    from django.core.files.base import ContentFile

    from editions import pdf
    from editions.models import Issue
    from editions.services import issue_save
    from paper.models import SiteSettings

    from . import content
    from .paper import make_photo_bytes

    fonts = find_fonts()
    if fonts is None:
        log("No font with Vietnamese letters found: the demo has no print issues.")
        return 0
    sections = {entry["slug"]: entry["name"] for entry in content.SECTIONS}
    stories = [
        Story(
            title=entry["title"],
            lead=entry["lead"],
            paragraphs=entry["paragraphs"],
            section=sections[entry["section"]],
        )
        for entry in content.ARTICLES
    ]
    site = SiteSettings.load()
    made = 0
    for offset, (number, first) in enumerate([(5124, 0), (5123, 9)]):
        day = today - timedelta(days=offset)
        chosen = (stories[first:] + stories[:first])[:9]
        photos = [
            make_photo_bytes(hue=(number * 37 + page * 71) % 360, seed=page)
            for page in range(4)
        ]
        data = make_issue_pdf(
            paper=site.name,
            tagline=site.tagline,
            number=number,
            day=day,
            stories=chosen,
            photos=photos,
            fonts=fonts,
        )
        upload = ContentFile(data, name=f"so-{number}.pdf")
        pdf.check(upload)
        issue_save(
            issue=Issue(date=day, number=number, pdf=upload),
            pdf_changed=True,
            render_now=True,
        )
        made += 1
    return made
