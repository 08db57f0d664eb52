"""A looping clip for the demo's live session, made on this machine by ffmpeg from its test sources (a colour
pattern with a clock and a tone): no download, and a fresh demo shows a live video at once."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from django.conf import settings

CLIP_NAME = "live/demo-loop.mp4"


def demo_clip() -> str:
    """The clip's media URL, made once; "" when ffmpeg is not installed (the session then has no video, and
    its chat and ordering work as on a connection too slow for video)."""
    target = Path(settings.MEDIA_ROOT) / CLIP_NAME
    if not target.exists():
        ffmpeg = shutil.which("ffmpeg")
        if ffmpeg is None:
            return ""
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part.mp4")
        command = [
            ffmpeg, "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=426x240:rate=15",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=22050",
            "-t", "10", "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "baseline", "-pix_fmt", "yuv420p",
            "-b:v", "200k", "-c:a", "aac", "-b:a", "48k", "-movflags", "+faststart", "-shortest", str(partial),
        ]  # fmt: skip
        try:
            subprocess.run(command, check=True, timeout=120, capture_output=True)
        except (subprocess.SubprocessError, OSError):
            partial.unlink(missing_ok=True)
            return ""
        partial.replace(target)
    return f"{settings.MEDIA_URL.rstrip('/')}/{CLIP_NAME}"
