"""PDFs made in memory for the print edition's tests: good ones with real
Vietnamese text (through the demo's layout code and a system font), and
hostile ones written byte by byte."""

import hashlib
import io
from datetime import date
from unittest import SkipTest

import pypdfium2 as pdfium

from demo.print_edition import Story, _Font, _Page, find_fonts, make_issue_pdf

FONTS = find_fonts()


def _fonts():
    if FONTS is None:
        # .ci/run installs fonts-dejavu-core; a machine without any such font
        # cannot make PDFs with Vietnamese text.
        raise SkipTest("no font with Vietnamese letters on this machine")
    return FONTS


def text_pdf(pages: list[str], size: tuple[float, float] = (595, 842)) -> bytes:
    """One A4 page per string, its text set in the system's serif font."""
    document = pdfium.PdfDocument.new()
    font = _Font(document, _fonts()[0])
    for text in pages:
        page = _Page(document)
        page.page.set_mediabox(0, 0, *size)
        page.block(font, 14, 50, size[1] - 60, size[0] - 100, text)
        page.finish()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def issue_pdf(number: int = 5123, day: date = date(2026, 3, 2)) -> bytes:
    """A four-page issue, as the demo paper lays it out."""
    story = Story(
        title="Dân vận khéo ở ấp Phú Hòa",
        lead="Cán bộ ấp đến từng nhà nghe dân nói.",
        paragraphs=["Người dân góp đất làm đường, chính quyền giữ lời hứa."] * 6,
        section="Thời sự",
    )
    from demo.paper import make_photo_bytes

    photo = make_photo_bytes(hue=120, seed=1, size=(600, 400))
    return make_issue_pdf(
        paper="Báo Dừa Xanh",
        tagline="Tiếng nói của xứ dừa",
        number=number,
        day=day,
        stories=[story] * 9,
        photos=[photo] * 4,
        fonts=_fonts(),
    )


def raw_pdf(
    boxes: list[tuple[float, float]],
    *,
    encrypt: bytes = b"",
    file_id: bytes = b"",
    count: int | None = None,
) -> bytes:
    """A PDF of empty pages with the given media boxes (points), written
    byte by byte so that any field can lie: ``count`` overrides the page
    tree's /Count, ``encrypt`` is an /Encrypt dictionary."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % (3 + i) for i in range(len(boxes)))
        + b"] /Count %d >>" % (len(boxes) if count is None else count),
    ]
    for width, height in boxes:
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] >>"
            % (str(width).encode(), str(height).encode())
        )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    if encrypt:
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (len(objects) + 1, encrypt))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    trailer = b"<< /Size %d /Root 1 0 R" % (len(offsets) + 1)
    if encrypt:
        trailer += b" /Encrypt %d 0 R" % len(offsets)
    if file_id:
        trailer += b" /ID [<%s> <%s>]" % (
            file_id.hex().encode(),
            file_id.hex().encode(),
        )
    out.write(b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


# The standard security handler (PDF 1.7, 7.6.3), revision 2: RC4, 40 bits.
_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    i = j = 0
    out = bytearray()
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def encrypted_pdf(*, user_password: str = "", owner_password: str = "chu") -> bytes:  # noqa: S107 - a test file's
    """An encrypted PDF of one empty A4 page (nothing in it needs decrypting).
    With an empty user password it opens without one, as files whose export
    only "restricted printing or copying" do."""
    user = (user_password.encode("latin-1") + _PAD)[:32]
    owner = (owner_password.encode("latin-1") + _PAD)[:32]
    o_value = _rc4(hashlib.md5(owner).digest()[:5], user)  # noqa: S324 - the spec's
    permissions = (-44).to_bytes(4, "little", signed=True)
    file_id = b"toasoan-test-id!"
    key = hashlib.md5(user + o_value + permissions + file_id).digest()[:5]  # noqa: S324
    u_value = _rc4(key, _PAD)
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -44 >>" % (
        o_value.hex().encode(),
        u_value.hex().encode(),
    )
    return raw_pdf([(595, 842)], encrypt=encrypt, file_id=file_id)


def content_bomb_pdf(megabytes: int = 60) -> bytes:
    """One A3 page whose 150 KB content stream inflates to ``megabytes`` of
    drawing operators: harmless to open, ruinous to draw."""
    import zlib

    operators = b"0 0 m 100 100 l S\n"
    stream = zlib.compress(operators * (megabytes * 2**20 // len(operators)), 6)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 1191] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
        + stream
        + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 5\n0000000000 65535 f \n")
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()
