"""A pasted live link → the provider's embed URL: only YouTube, Facebook and TikTok, only the URL shapes
their own share buttons make, so the page's CSP can allow exactly these frames (web/headers.py)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlsplit

from taybac.core.errors import DomainError

MAX_LINK = 300
# The frame origins the live page's CSP allows: the embed URLs below point only here.
FRAME_ORIGINS = ("https://www.youtube-nocookie.com", "https://www.facebook.com", "https://www.tiktok.com")

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com"}
_FACEBOOK_HOSTS = {"facebook.com", "www.facebook.com", "m.facebook.com", "web.facebook.com"}
_FACEBOOK_PATH = re.compile(r"^/(?:[A-Za-z0-9.\-]{1,80}/videos/(?:[^/]{1,80}/)?\d{5,20}|watch|reel/\d{5,20})/?$")
_TIKTOK_HOSTS = {"tiktok.com", "www.tiktok.com", "m.tiktok.com"}
_TIKTOK_VIDEO = re.compile(r"^/@[A-Za-z0-9._]{2,40}/video/(\d{5,25})/?$")
_TIKTOK_LIVE = re.compile(r"^/@[A-Za-z0-9._]{2,40}/live/?$")


class BadLiveLink(DomainError):
    """A link that is not a YouTube, Facebook or TikTok live (or video) link."""

    def __init__(self) -> None:
        super().__init__(
            "Liên kết chưa đúng: dán liên kết phát trực tiếp YouTube, Facebook hoặc TikTok "
            "(ví dụ https://www.youtube.com/live/…).",
            field="link",
        )


def _youtube(path: str, query: str, host: str) -> str | None:
    if host == "youtu.be":
        video = path.strip("/")
    elif path == "/watch":
        video = (parse_qs(query).get("v") or [""])[0]
    elif path.startswith(("/live/", "/embed/", "/shorts/")):
        video = path.split("/")[2]
    else:
        return None
    return f"https://www.youtube-nocookie.com/embed/{video}" if _YOUTUBE_ID.match(video) else None


def embed_url_for(*, link: str) -> str:
    """The provider's embed URL for a live link, or "" for a TikTok LIVE (TikTok offers no embed for a live:
    the page links to it, and chat and ordering stay on the hub). BadLiveLink for anything else."""
    link = (link or "").strip()
    if not link or len(link) > MAX_LINK:
        raise BadLiveLink()
    parts = urlsplit(link)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or parts.username or parts.port:
        raise BadLiveLink()
    embed: str | None = None
    if host in _YOUTUBE_HOSTS or host == "youtu.be":
        embed = _youtube(parts.path, parts.query, host)
    elif host in _FACEBOOK_HOSTS and _FACEBOOK_PATH.match(parts.path):
        canonical = f"https://www.facebook.com{parts.path}" + (f"?{parts.query}" if parts.path == "/watch" else "")
        if parts.path.startswith("/watch") and not re.fullmatch(r"v=\d{5,20}", parts.query):
            raise BadLiveLink()
        embed = f"https://www.facebook.com/plugins/video.php?href={quote(canonical, safe='')}&show_text=false"
    elif host in _TIKTOK_HOSTS:
        video = _TIKTOK_VIDEO.match(parts.path)
        if video:
            embed = f"https://www.tiktok.com/embed/v2/{video.group(1)}"
        elif _TIKTOK_LIVE.match(parts.path):
            embed = ""
    if embed is None:
        raise BadLiveLink()
    return embed
