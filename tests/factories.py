"""factory_boy factories for the newsroom's people and content."""

import io
import struct
import zlib
from datetime import date, timedelta

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from articles.models import (
    Article,
    ArticlePhoto,
    ArticleVideo,
    Contributor,
    Credit,
    GalleryPhoto,
    Photo,
    Section,
    Video,
)
from articles.services import photo_make_renditions
from comments.models import Comment
from editions.models import Issue, IssuePage


def image_bytes(size=(64, 48), colour=(180, 40, 40), fmt="JPEG") -> bytes:
    """A small real image made in memory."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt)
    return buffer.getvalue()


def _iptc_app13(fields: dict[tuple[int, int], str]) -> bytes:
    """A JPEG APP13 segment holding IPTC fields, as photo desks' tools write it."""
    iptc = b"".join(
        b"\x1c" + bytes(key) + struct.pack(">H", len(value.encode())) + value.encode()
        for key, value in fields.items()
    )
    if len(iptc) % 2:
        iptc += b"\x00"
    block = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00"
    block += struct.pack(">I", len(iptc)) + iptc
    payload = b"Photoshop 3.0\x00" + block
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def gps_photo_bytes(
    size=(640, 480),
    *,
    orientation: int = 6,
    caption: str = "Nông dân thu hoạch dừa ở Chợ Lách",
    credit: str = "TTXVN",
) -> bytes:
    """A JPEG as a phone makes it: GPS position, orientation, XMP and IPTC."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    exif[0xA431] = "SERIAL-0042"  # BodySerialNumber
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (10.0, 14.0, 30.5)
    gps[3], gps[4] = "E", (106.0, 22.0, 5.25)
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 120, 40))
    # A dark block in the top left corner shows which way the photo was turned.
    image.paste((10, 10, 10), (0, 0, size[0] // 4, size[1] // 4))
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf='
        b'"http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        b'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="10,14.5N"/>'
        b"</rdf:RDF></x:xmpmeta>"
    )
    image.save(buffer, "JPEG", exif=exif, xmp=xmp, quality=90)
    data = buffer.getvalue()
    app13 = _iptc_app13({(2, 120): caption, (2, 110): credit})
    return data[:2] + app13 + data[2:]


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return (
        struct.pack(">I", len(body))
        + kind
        + body
        + struct.pack(">I", zlib.crc32(kind + body))
    )


def decompression_bomb_bytes(side: int = 100_000) -> bytes:
    """A few hundred bytes of PNG declaring side×side pixels (10 gigapixels)."""
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + png_chunk(b"IEND", b"")
    )


def mp4_box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4_bytes(
    *,
    brand: bytes = b"isom",
    codec: bytes = b"avc1",
    handler: bytes = b"vide",
    seconds: int = 125,
    size: tuple[int, int] = (1280, 720),
    upright: bool = False,
    location: bool = True,
    index_first: bool = True,
    picture_bytes: int = 2000,
) -> bytes:
    """An MP4 as a phone writes one, box by box (ISO/IEC 14496-12): the index
    (moov: length, a track with its size, handler and codec, and the place
    it was filmed in udta/©xyz) and the pictures (mdat, here zeros). Its
    structure is real; its pictures are not decodable."""
    mvhd = mp4_box(b"mvhd", struct.pack(">IIIII", 0, 0, 0, 1000, seconds * 1000))
    mvhd += b"\x00" * 80  # rate, volume, matrix... as players skip them
    mvhd = struct.pack(">I", len(mvhd)) + mvhd[4:]
    if upright:  # stored on its side, turned a quarter by the matrix
        matrix = (0, 1 << 16, 0, -(1 << 16), 0, 0, 0, 0, 1 << 30)
    else:
        matrix = (1 << 16, 0, 0, 0, 1 << 16, 0, 0, 0, 1 << 30)
    width, height = size
    tkhd = mp4_box(
        b"tkhd",
        struct.pack(">IIIIII", 7, 0, 0, 1, 0, seconds * 1000)
        + b"\x00" * 16
        + struct.pack(">9i", *matrix)
        + struct.pack(">II", width << 16, height << 16),
    )
    hdlr = mp4_box(b"hdlr", struct.pack(">II", 0, 0) + handler + b"\x00" * 13)
    stsd = mp4_box(b"stsd", struct.pack(">II", 0, 1) + mp4_box(codec, b"\x00" * 78))
    stbl = mp4_box(b"stbl", stsd)
    mdia = mp4_box(b"mdia", hdlr + mp4_box(b"minf", stbl))
    trak = mp4_box(b"trak", tkhd + mdia)
    udta = b""
    if location:
        udta = mp4_box(
            b"udta", mp4_box(b"\xa9xyz", b"\x00\x12\x15\xc7+10.2412+106.3756/")
        )
    moov = mp4_box(b"moov", mvhd + trak + udta)
    # A QuickTime or HEIC file names only its own kind, an MP4 others too.
    others = b"mp41" if brand in (b"isom", b"mp42", b"avc1") else b""
    ftyp = mp4_box(b"ftyp", brand + b"\x00\x00\x02\x00" + brand + others)
    mdat = mp4_box(b"mdat", b"\x00" * picture_bytes)
    return ftyp + (moov + mdat if index_first else mdat + moov)


VTT = (
    "WEBVTT\n\n00:00.000 --> 00:02.500\nChiều trên sông Tiền.\n\n"
    "00:02.500 --> 00:06.000\nGhe chở dừa xuôi về chợ nổi.\n"
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("mat-khau-an-toan-2026")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    name = factory.Sequence(lambda n: f"Chuyên mục {n}")
    slug = factory.Sequence(lambda n: f"chuyen-muc-{n}")
    order = factory.Sequence(lambda n: n)


class ContributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contributor

    name = factory.Sequence(lambda n: f"Phóng viên {n}")
    slug = factory.Sequence(lambda n: f"phong-vien-{n}")


class PhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Photo
        skip_postgeneration_save = True

    image = factory.LazyFunction(lambda: ContentFile(image_bytes(), name="anh.jpg"))
    caption = factory.Sequence(lambda n: f"Chú thích ảnh số {n}")
    alt_text = "Người dân thu hoạch dừa bên bờ sông"
    photographer = factory.SubFactory(ContributorFactory)

    @factory.post_generation
    def make_renditions(self, create, extracted, **kwargs):
        # PhotoFactory(make_renditions=True) cuts the renditions as an admin
        # upload does; plain factory photos serve their original.
        if create and extracted:
            photo_make_renditions(photo=self)
            self.refresh_from_db()


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Tin tức địa phương số {n}")
    section = factory.SubFactory(SectionFactory)
    lead = "DXO – Ngày 18-2-2026, tỉnh tổ chức hội nghị tổng kết công tác dân vận."
    body = "<p>Đoạn thứ nhất của bài.</p><p>Đoạn thứ hai của bài.</p>"
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class CreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credit

    article = factory.SubFactory(ArticleFactory)
    contributor = factory.SubFactory(ContributorFactory)
    roles = factory.LazyFunction(lambda: ["text", "photo"])


class ArticlePhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticlePhoto

    article = factory.SubFactory(ArticleFactory)
    photo = factory.SubFactory(PhotoFactory)
    after_paragraph = 1


class GalleryPhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GalleryPhoto

    article = factory.SubFactory(ArticleFactory)
    photo = factory.SubFactory(PhotoFactory)
    order = 0


class VideoFactory(factory.django.DjangoModelFactory):
    """A YouTube video in the library; ``file=ContentFile(...)`` for an MP4."""

    class Meta:
        model = Video

    title = factory.Sequence(lambda n: f"Phóng sự video số {n}")
    kind = Video.Kind.YOUTUBE
    provider_id = factory.Sequence(lambda n: f"DuaXanh{n:04d}")
    url = factory.LazyAttribute(
        lambda video: (
            f"https://www.youtube.com/watch?v={video.provider_id}"
            if video.provider_id
            else ""
        )
    )
    poster_photo = factory.SubFactory(PhotoFactory)


class ArticleVideoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleVideo

    article = factory.SubFactory(ArticleFactory)
    video = factory.SubFactory(VideoFactory)
    after_paragraph = 1


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    article = factory.SubFactory(ArticleFactory)
    name = factory.Sequence(lambda n: f"Bạn đọc {n}")
    email = factory.Sequence(lambda n: f"bandoc{n}@example.com")
    body = "Bài viết rất hữu ích cho bà con."
    status = Comment.Status.APPROVED


def comment_post_data(article, *, seconds_ago: int = 60, **fields) -> dict:
    """A reader's comment form as the browser sends it, served a minute ago."""
    from comments.defences import clock, form_token

    data = {
        "name": "Trần Thị Mai",
        "email": "mai.tran@example.com",
        "body": "Rất hay!",
        "website": "",
        "token": form_token(article.pk, clock() - seconds_ago),
    }
    data.update(fields)
    return data


def make_issue(day: date, number: int, texts: list[str], **fields) -> Issue:
    """An issue whose pages are already made (rows only: the pictures' files
    are not needed to print the page)."""
    issue = Issue.objects.create(
        date=day,
        number=number,
        pdf=f"bao-in/pdf/so-{number}.pdf",
        pdf_size=2_400_000,
        status=Issue.Status.READY,
        page_count=len(texts),
        **fields,
    )
    for index, text in enumerate(texts, start=1):
        names = {
            kind: f"bao-in/trang/{issue.pk}/k/{index}-{kind}.{ext}"
            for kind, ext in (
                ("thumb", "webp"),
                ("phone", "webp"),
                ("desktop", "webp"),
                ("jpeg", "jpg"),
            )
        }
        IssuePage.objects.create(
            issue=issue, number=index, width=1600, height=2264, text=text, **names
        )
    return issue
