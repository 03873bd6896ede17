"""Videos as readers get them: the newsroom's MP4s in a <video> element, and
YouTube and Facebook videos behind a facade, our own poster and title, that
becomes the provider's player only when the reader clicks.

``page_videos(article)`` gathers what an article page shows, once per page:
the lead video, videos placed in the body, and body paragraphs holding only a
video link, matched against the library (one query, only when the body has
such links) so the editor's poster and title are used.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .html import split_blocks
from .models import Article, ArticleVideo, Photo, Video
from .video_links import VideoLink, paragraph_video

# The poster the paper serves for a YouTube or Facebook video it knows
# nothing about: a neutral picture; the play button is drawn over it.
DEFAULT_POSTER = "img/video-poster.svg"
DEFAULT_POSTER_SIZE = (1280, 720)


@dataclass(frozen=True)
class LinkedVideo:
    """A body paragraph holding only a video link."""

    link: VideoLink
    words: str
    video: Video | None  # its library entry, with the editor's poster

    @property
    def title(self) -> str:
        if self.video is not None:
            return self.video.title
        return self.words or _("Video trên %(host)s") % {
            "host": self.link.provider_label
        }


@dataclass
class PageVideos:
    """The videos one article page shows, and what the page owes them."""

    lead: Video | None = None
    placed: list[ArticleVideo] = field(default_factory=list)
    # Block index -> the video that paragraph becomes.
    linked: dict[int, LinkedVideo] = field(default_factory=dict)
    # The body's top-level blocks, when something is placed between them.
    blocks: list[str] = field(default_factory=list)

    def library(self) -> list[Video]:
        videos = [self.lead] if self.lead else []
        videos += [use.video for use in self.placed]
        videos += [found.video for found in self.linked.values() if found.video]
        return list({video.pk: video for video in videos}.values())

    def keys(self) -> list[str]:
        """The page cache keys of what these videos print."""
        keys = ["video-links"] if self.linked else []
        for video in self.library():
            keys.append(f"video:{video.pk}")
            if video.poster_photo_id:
                keys.append(f"photo:{video.poster_photo_id}")
        return keys

    def links(self) -> list[VideoLink]:
        found = [video.link for video in self.library() if video.link]
        return found + [item.link for item in self.linked.values()]

    def frame_origins(self) -> list[str]:
        """The hosts whose player a click on this page may open."""
        return sorted({link.frame_origin for link in self.links()})


def page_videos(article: Article) -> PageVideos:
    """What ``article`` (from ``for_detail()``) shows of videos. No query but
    the library lookup for pasted links, and only when there are some."""
    videos = PageVideos(lead=article.lead_video, placed=list(article.body_videos.all()))
    if not (videos.placed or "<a" in article.body or "http" in article.body):
        return videos
    blocks = split_blocks(article.body)
    found = {}
    for index, block in enumerate(blocks):
        if (video := paragraph_video(block)) is not None:
            found[index] = video
    if found:
        library = {
            (video.kind, video.provider_id): video
            for video in Video.objects.for_links(link for link, _w in found.values())
        }
        videos.linked = {
            index: LinkedVideo(link, words, library.get((link.provider, link.id)))
            for index, (link, words) in found.items()
        }
    if videos.placed or videos.linked:
        videos.blocks = blocks
    return videos


def poster_url(photo: Photo) -> str:
    """One picture for <video poster>: the full crop near 1200 pixels wide."""
    jpeg = (photo.renditions.get("full") or {}).get("jpeg") or []
    for width, _height, name in jpeg:
        if width >= 1200:
            return default_storage.url(name)
    return default_storage.url(jpeg[-1][2]) if jpeg else photo.image.url


def video_figure(
    video: Video | None,
    *,
    link: VideoLink | None = None,
    title: str = "",
    caption: str = "",
    poster: Photo | None = None,
    lead: bool = False,
) -> SafeString:
    """A video as a figure: the player for the newsroom's file, the facade
    for YouTube and Facebook. ``poster`` stands in when the video has none."""
    if video is not None:
        link = video.link
        title = video.title
        poster = video.poster_photo or poster
    is_file = video is not None and link is None
    context = {
        "video": video,
        "link": link,
        "title": title,
        "caption": caption,
        "credit": video.credit if video else "",
        "poster": poster,
        "lead": lead,
        "portrait": (link.is_portrait if link else video.height > video.width),
    }
    if is_file:
        context["poster_url"] = poster_url(poster) if poster else ""
        # Captions from another host (object storage) load only by CORS.
        context["crossorigin"] = bool(video.captions) and "//" in settings.MEDIA_URL
    else:
        context["default_poster"] = static(DEFAULT_POSTER)
        context["default_size"] = DEFAULT_POSTER_SIZE
    return render_to_string("articles/_video.html", context)


def placed_figure(use: ArticleVideo) -> SafeString:
    return video_figure(use.video, caption=use.shown_caption)


def linked_figure(found: LinkedVideo) -> SafeString:
    if found.video is not None:
        return video_figure(found.video, caption=found.video.description)
    return video_figure(None, link=found.link, title=found.title)
