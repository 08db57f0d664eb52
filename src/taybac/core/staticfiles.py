"""CSS, JS and icons: hashed, compressed and cached for a year once collected; served from source before that.

`collectstatic` (run by `taybac demo` and `taybac serve` as they start, by the release step in production) writes
every file under a name carrying a hash of its content, with a gzip copy beside it, and a manifest. Pages then link
those names and WhiteNoise sends the compressed copy with `Cache-Control: max-age=315360000, immutable`: a phone
downloads site.css once per version. Until something has been collected (a checkout where nobody ran
`collectstatic`, the test suite) pages link the plain names and the source files are served as they are, instead
of every page failing on a missing manifest.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from whitenoise.middleware import WhiteNoiseMiddleware  # type: ignore[import-untyped]
from whitenoise.storage import CompressedManifestStaticFilesStorage  # type: ignore[import-untyped]


def is_collected() -> bool:
    """True once `collectstatic` has written its manifest under STATIC_ROOT."""
    return bool(settings.STATIC_ROOT) and (Path(settings.STATIC_ROOT) / "staticfiles.json").is_file()


def collect() -> None:
    """Collect, hash and compress the static files (quietly); what has not changed is copied again but cheaply."""
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    call_command("collectstatic", interactive=False, verbosity=0)


class HashedStaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed and compressed storage, linking plain names while no manifest exists."""

    def stored_name(self, name: str) -> str:
        if not self.hashed_files:  # nothing collected: the source file is served under its own name
            return name
        return super().stored_name(name)


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise serving the collected files; the source files (its "finders") only while nothing is collected or
    with DEBUG, so production never serves an uncompressed file with a short cache. A missing STATIC_ROOT is no
    reason for a warning on a fresh start: it is simply not served."""

    use_finders: bool
    autorefresh: bool

    def __init__(self, get_response: Any = None, settings: Any = settings) -> None:
        super().__init__(get_response, settings=settings)
        if not self.use_finders and not is_collected():
            self.use_finders = True
            if not self.autorefresh:
                self.add_files_from_finders()

    def add_files(self, root: str | os.PathLike[str], prefix: str | None = None) -> None:
        if os.path.isdir(root):
            super().add_files(root, prefix=prefix)
