"""Links to YouTube and Facebook videos: which video a pasted address names.

Pure string work, no database and no request to anyone: a link is reduced to
its provider and the video's id, and every address the paper prints (the
fallback link, the player's frame) is built again from that id. What the
editor pasted is never printed as is, so a look-alike host or a crafted path
cannot ride along.
"""

import re
from dataclasses import dataclass
from html import unescape
from urllib.parse import parse_qs, quote, urlsplit

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

YOUTUBE = "youtube"
FACEBOOK = "facebook"

# The hosts a player frame may come from; paper.middleware allows exactly
# these in frame-src, and only on a page that has such a player.
FRAME_ORIGINS = {
    YOUTUBE: "https://www.youtube-nocookie.com",
    FACEBOOK: "https://www.facebook.com",
}

_YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "music.youtube.com",
    "youtube-nocookie.com",
    "www.youtube-nocookie.com",
}
_FACEBOOK_HOSTS = {
    "facebook.com",
    "www.facebook.com",
    "m.facebook.com",
    "web.facebook.com",
    "mbasic.facebook.com",
}
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_FACEBOOK_ID = re.compile(r"[0-9]{5,25}")
# /shorts/ID, /embed/ID, /live/ID, /v/ID: the id is the path's second part.
_YOUTUBE_PATHS = {"shorts", "embed", "live", "v"}


class NotAVideoLink(ValueError):
    """The address is not one we can play; ``message`` says why, in Vietnamese."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class VideoLink:
    provider: str
    id: str
    # Shorts and reels are filmed upright: the player keeps their shape.
    is_portrait: bool = False

    @property
    def watch_url(self) -> str:
        """The video's own page: the link readers without JavaScript follow."""
        if self.provider == YOUTUBE:
            if self.is_portrait:
                return f"https://www.youtube.com/shorts/{self.id}"
            return f"https://www.youtube.com/watch?v={self.id}"
        if self.is_portrait:
            return f"https://www.facebook.com/reel/{self.id}"
        return f"https://www.facebook.com/watch/?v={self.id}"

    @property
    def player_url(self) -> str:
        """The embeddable player, as search engines are told (embedUrl)."""
        if self.provider == YOUTUBE:
            # youtube-nocookie: no cookie is set before the reader plays.
            return f"https://www.youtube-nocookie.com/embed/{self.id}"
        href = quote(f"https://www.facebook.com/watch/?v={self.id}", safe="")
        return f"https://www.facebook.com/plugins/video.php?href={href}&show_text=false"

    @property
    def autoplay_url(self) -> str:
        """The player the reader's click opens: it starts at once, since the
        click was the reader's request to play."""
        if self.provider == YOUTUBE:
            return self.player_url + "?autoplay=1&rel=0"
        return self.player_url + "&autoplay=true"

    @property
    def frame_origin(self) -> str:
        return FRAME_ORIGINS[self.provider]

    @property
    def provider_label(self) -> str:
        return "YouTube" if self.provider == YOUTUBE else "Facebook"


def _refused():
    return NotAVideoLink(
        _(
            "Chỉ nhận liên kết video YouTube hoặc Facebook, ví dụ "
            "https://www.youtube.com/watch?v=… , https://youtu.be/… hoặc "
            "https://www.facebook.com/…/videos/…"
        )
    )


def parse_video_url(url: str) -> VideoLink:
    """The video a YouTube or Facebook address names; raises NotAVideoLink.

    Hosts must match exactly (``youtube.com.evil.tld`` is not YouTube), with
    no user name, password or odd port, and the id must have the provider's
    shape. Facebook's short links (fb.watch, /share/) hide the id: they are
    refused with a hint, since resolving them would mean asking Facebook.
    """
    url = (url or "").strip()
    # A backslash or a space reads differently to browsers and to urlsplit
    # ("https://evil.tld\\@youtube.com/" is evil.tld to a browser).
    if not url or re.search(r"[\s\\\x00-\x1f\x7f]", url):
        raise _refused()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _refused() from None
    host = (parts.hostname or "").lower()
    if (
        parts.scheme.lower() not in ("http", "https")
        or "@" in parts.netloc
        or port not in (None, 80, 443)
    ):
        raise _refused()
    query = parse_qs(parts.query)
    segments = [s for s in parts.path.split("/") if s]
    if host == "youtu.be":
        return _youtube(segments[0] if len(segments) == 1 else "")
    if host in _YOUTUBE_HOSTS:
        if segments == ["watch"]:
            return _youtube((query.get("v") or [""])[0])
        if len(segments) == 2 and segments[0] in _YOUTUBE_PATHS:
            return _youtube(segments[1], is_portrait=segments[0] == "shorts")
        raise _refused()
    if host == "fb.watch" or (host in _FACEBOOK_HOSTS and segments[:1] == ["share"]):
        raise NotAVideoLink(
            _(
                "Liên kết rút gọn của Facebook không cho biết mã video: hãy mở "
                "video trên Facebook rồi chép liên kết đầy đủ (có “/videos/” "
                "và một dãy số)."
            )
        )
    if host in _FACEBOOK_HOSTS:
        return _facebook(segments, query)
    raise _refused()


def _youtube(video_id: str, *, is_portrait: bool = False) -> VideoLink:
    if not _YOUTUBE_ID.fullmatch(video_id):
        raise _refused()
    return VideoLink(YOUTUBE, video_id, is_portrait)


def _facebook(segments: list[str], query: dict) -> VideoLink:
    if segments in (["watch"], ["video.php"]):
        video_id = (query.get("v") or [""])[0]
    elif len(segments) == 2 and segments[0] in ("reel", "reels"):
        return _facebook_id(segments[1], is_portrait=True)
    elif len(segments) in (3, 4) and segments[1] == "videos":
        # /<page>/videos/<id>/ or /<page>/videos/<title>/<id>/
        video_id = segments[-1]
    elif segments == ["plugins", "video.php"]:
        # An embed code's address: the video is the one its href names.
        inner = (query.get("href") or [""])[0]
        link = parse_video_url(inner)
        if link.provider != FACEBOOK:
            raise _refused()
        return link
    else:
        video_id = ""
    return _facebook_id(video_id)


def _facebook_id(video_id: str, *, is_portrait: bool = False) -> VideoLink:
    if not _FACEBOOK_ID.fullmatch(video_id):
        raise _refused()
    return VideoLink(FACEBOOK, video_id, is_portrait)


# A body paragraph holding one link and nothing else (the editor pastes a
# link and the editor makes it one), or the bare address as text. The body is
# sanitiser output (articles/html.py): attributes are double-quoted, ``"``
# inside them is &quot;.
_LINK_PARAGRAPH = re.compile(
    # One link: its words hold no other link's start or end.
    r"<p(?:\s[^>]*)?>\s*(?:<a\s([^>]*)>((?:(?!</?a[\s>]).)*)</a>|([^<>\s]+))"
    r"\s*(?:<br>)?\s*</p>",
    re.DOTALL,
)
_HREF = re.compile(r'\bhref="([^"]*)"')
_HINTS = ("youtu", "facebook.com", "fb.watch")


def paragraph_video(block: str) -> tuple[VideoLink, str] | None:
    """(the video, the link's own words) when ``block`` is a paragraph holding
    only a link to a video we can play; None for anything else. The words are
    empty when the link's text is just its address."""
    if not block.startswith("<p") or not any(hint in block for hint in _HINTS):
        return None
    found = _LINK_PARAGRAPH.fullmatch(block)
    if found is None:
        return None
    attributes, inner, bare = found.groups()
    if bare is not None:
        url, words = unescape(bare), ""
    else:
        href = _HREF.search(attributes)
        if href is None:
            return None
        url = unescape(href.group(1))
        words = unescape(strip_tags(inner)).strip()
        if words.rstrip("/") == url.rstrip("/") or words.startswith("http"):
            words = ""
    try:
        return parse_video_url(url), words
    except NotAVideoLink:
        return None
