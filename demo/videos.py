"""The demo paper's video stories: one on the newsroom's own MP4, one on a
YouTube video, with a YouTube and a Facebook link pasted in their bodies.

``media/song-tien.mp4`` (39 KB, 6 seconds, 640×360, H.264, no sound) was
drawn with demo.paper.make_photo_bytes (a boat crossing a slow pan of a river
landscape) and encoded once with Debian's ffmpeg:
``ffmpeg -f image2pipe -framerate 25 -i - -c:v libx264 -profile:v baseline
-pix_fmt yuv420p -crf 30 -movflags +faststart -an song-tien.mp4``. The
YouTube and Facebook ids are made up: the demo never asks either of them.
"""

from datetime import timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone

from articles.models import Article, Contributor, Credit, Section
from articles.services import photo_create, video_create

from . import paper  # a module: demo.paper calls back into this one

MEDIA = Path(__file__).resolve().parent / "media"

CAPTIONS = """WEBVTT

00:00.000 --> 00:02.500
Chiều trên sông Tiền, đoạn chảy qua cù lao Phụng.

00:02.500 --> 00:06.000
Ghe chở dừa xuôi về chợ nổi, hai bên là những rặng dừa xanh.
"""

FILE_STORY = {
    "title": "Video: Chiều xuôi dòng sông Tiền",
    "section": "van-hoa-the-thao",
    "lead": (
        "DXO – Ngày 17-11-2026, nhóm phóng viên Báo Dừa Xanh theo chiếc ghe chở "
        "dừa của ông Sáu Tâm xuôi sông Tiền về chợ nổi, ghi lại khung cảnh buổi "
        "chiều yên bình của vùng sông nước."
    ),
    "paragraphs": [
        "Chiếc ghe rời bến lúc bốn giờ chiều, khi nắng đã dịu. Trên ghe là gần "
        "hai ngàn trái dừa khô vừa thu mua từ các nhà vườn ở cù lao Phụng.",
        "Ông Sáu Tâm kể đã chạy ghe trên khúc sông này hơn ba mươi năm. “Nước "
        "lớn thì đi nhanh, nước ròng thì phải canh luồng, không thì mắc cạn như "
        "chơi”, ông nói, tay vẫn giữ chặt bánh lái.",
        "Đoàn làm phim của Đài tỉnh cũng từng ghi lại một chuyến ghe như vậy; "
        "bạn đọc có thể xem thêm dưới đây.",
        "https://www.youtube.com/watch?v=DuaXanh-002",
        "Khi ghe cập chợ nổi, trời vừa sẫm tối. Những trái dừa được chuyển lên "
        "bờ ngay trong đêm để kịp giao cho cơ sở chế biến sáng hôm sau.",
    ],
    "credits": [["huu-phuc", ["text", "video"]], ["duy-khang", ["graphics"]]],
    "days_ago": 1,
}

LINK_STORY = {
    "title": "Video: Nghệ nhân kẹo dừa Mỏ Cày giữ lửa nghề",
    "section": "kinh-te",
    "lead": (
        "DXO – Ngày 16-11-2026, tại một lò kẹo dừa lâu năm ở Mỏ Cày, những người "
        "thợ vẫn khuấy kẹo bằng tay, giữ hương vị đã làm nên tên tuổi của đặc "
        "sản xứ dừa."
    ),
    "paragraphs": [
        "Lò kẹo của bà Năm Hoa đỏ lửa từ ba giờ sáng. Nước cốt dừa, mạch nha và "
        "đường được nấu trong chảo gang lớn, người thợ khuấy đều tay suốt hơn "
        "một tiếng đồng hồ.",
        "“Máy móc làm nhanh hơn, nhưng khách quen vẫn nhận ra kẹo khuấy tay”, "
        "bà Năm cười. Mỗi ngày lò ra chừng ba trăm ký kẹo, phần lớn đi các "
        "tỉnh miền Tây và Thành phố Hồ Chí Minh.",
        "Trang của hợp tác xã cũng vừa đăng đoạn phim về mùa kẹo Tết năm nay.",
        "https://www.facebook.com/hoptackeodua/videos/1000000000000001/",
        "Hội Làm vườn tỉnh cho biết sẽ hỗ trợ các lò kẹo truyền thống làm bao "
        "bì, đăng ký nhãn hiệu để đưa sản phẩm vào siêu thị.",
    ],
    "credits": [["minh-tri", ["text"]], ["duy-khang", ["video"]]],
    "days_ago": 2,
}


def _body(paragraphs: list[str]) -> str:
    # A link alone in its paragraph, as the editor makes it when a link is
    # pasted: it becomes the video's facade on the page.
    return "".join(
        f'<p><a href="{text}">{text}</a></p>'
        if text.startswith("https://")
        else f"<p>{text}</p>"
        for text in paragraphs
    )


def _story(entry: dict, *, video, now) -> Article:
    article = Article(
        title=entry["title"],
        kind=Article.Kind.FEATURE,
        section=Section.objects.get(slug=entry["section"]),
        lead=entry["lead"],
        body=_body(entry["paragraphs"]),
        status=Article.Status.PUBLISHED,
        published_at=now - timedelta(days=entry["days_ago"], hours=3),
        lead_video=video,
    )
    # clean() gives a video story its video's poster as lead photo.
    article.full_clean()
    article.save()
    article.tags.set(["video", "Bến Tre"])
    for order, (slug, roles) in enumerate(entry["credits"]):
        Credit.objects.create(
            article=article,
            contributor=Contributor.objects.get(slug=slug),
            roles=roles,
            order=order,
        )
    return article


def load_demo_videos() -> int:
    """Two video stories, through the same checks as the admin's uploads.
    Returns how many stories it made."""
    now = timezone.now()
    photographer = Contributor.objects.get(slug="huu-phuc")
    river = video_create(
        title="Chiều xuôi dòng sông Tiền",
        upload=ContentFile(
            (MEDIA / "song-tien.mp4").read_bytes(), name="song-tien.mp4"
        ),
        captions=CAPTIONS.encode(),
        poster=photo_create(
            upload=paper.make_photo_bytes(200, seed=7, size=(1280, 720)),
            name="song-tien.jpg",
            caption="Ghe chở dừa trên sông Tiền lúc chiều xuống.",
            alt_text="Chiếc ghe nhỏ trên sông, phía sau là hàng dừa và mặt trời",
            photographer=photographer,
        ),
        description="Ghe chở dừa xuôi sông Tiền về chợ nổi lúc chiều xuống.",
        credit="Hữu Phúc",
    )
    candy = video_create(
        title="Mùa kẹo dừa ở Mỏ Cày",
        url="https://youtu.be/DuaXanh-001",
        poster=photo_create(
            upload=paper.make_photo_bytes(35, seed=11, size=(1280, 720)),
            name="keo-dua.jpg",
            caption="Lò kẹo dừa ở Mỏ Cày vào mùa Tết.",
            alt_text="Người thợ khuấy kẹo dừa trong chảo lớn",
            photographer=photographer,
        ),
        description="Những người thợ khuấy kẹo dừa bằng tay ở một lò kẹo lâu năm.",
        credit="Duy Khang",
    )
    _story(FILE_STORY, video=river, now=now)
    _story(LINK_STORY, video=candy, now=now)
    return 2
