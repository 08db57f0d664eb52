"""What a verifier remembers between runs: per log, the newest checkpoint it verified and the witnesses that cosigned.

Like the cache of Go's checksum-database clients (GOSUMDB's `latest` file): without it, a log rolled back to an
earlier size, or a fork, looks perfectly valid to a verifier that only checks what it is shown today. With it,
the next run must see the same tree or one that extends it (RFC 9162 consistency proof), and every witness that
cosigned once must cosign again.

Standard library + `note`, part of the standalone verifier. One JSON file per log origin in
the state directory: `--state DIR`, else `$TAYBAC_VERIFY_STATE`, else `$XDG_STATE_HOME/taybac-verify` (default
`~/.local/state/taybac-verify`); the hub's own check uses `$TAYBAC_DATA_DIR/verify-state`. A file is written only
after a verification that holds, to a temporary file that is fsync'd and then renamed over the old one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from taybac_verify import note

ENV = "TAYBAC_VERIFY_STATE"
VERSION = 1


class StateError(ValueError):
    """A state file that cannot be read or trusted; the message names the file and what to do."""


@dataclass
class Remembered:
    """The newest checkpoint verified for one log, and the witnesses seen cosigning (vkey -> newest timestamp)."""

    origin: str
    checkpoint: str
    size: int
    root_hash: bytes
    witnesses: dict[str, int] = field(default_factory=dict)
    verified_at: int = 0


def default_dir() -> Path:
    """$TAYBAC_VERIFY_STATE, else the per-user state directory ($XDG_STATE_HOME or ~/.local/state)/taybac-verify."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "taybac-verify"


def state_file(directory: Path, origin: str) -> Path:
    """One file per log: its origin made safe for a file name, plus a hash so two origins never share a file."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", origin)[:80]
    return Path(directory) / f"{safe}-{hashlib.sha256(origin.encode()).hexdigest()[:12]}.json"


class StateStore:
    """The state directory; `load` checks the remembered note with the key, `save` only moves forward."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)

    def path(self, origin: str) -> Path:
        return state_file(self.directory, origin)

    def load(self, origin: str, key: str) -> Remembered | None:
        path = self.path(origin)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise StateError(
                f"the state file {path} cannot be read ({exc}); restore it, or remove it to start "
                f"afresh (this forgets the checkpoint seen before)"
            ) from exc
        try:
            if data.get("version") != VERSION or data.get("origin") != origin:
                raise ValueError(f"it is not a version {VERSION} state for log {origin}")
            text = data["checkpoint"]
            witnesses = {str(k): int(v) for k, v in dict(data.get("witnesses") or {}).items()}
            verified_at = int(data.get("verified_at", 0))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise StateError(f"the state file {path} is malformed: {exc}") from exc
        try:
            checkpoint = note.open_checkpoint(text, key, origin)
        except (note.NoteError, note.CheckpointError) as exc:
            raise StateError(
                f"the checkpoint remembered in {path} is not signed by {key.split('+', 1)[0]}'s key "
                f"{key}: {exc}. Either the log changed its key (verify who publishes it) or the file "
                f"was altered"
            ) from exc
        return Remembered(origin, text, checkpoint.size, checkpoint.root_hash, witnesses, verified_at)

    def save(
        self,
        origin: str,
        checkpoint_text: str,
        checkpoint: note.Checkpoint,
        witnesses: dict[str, int],
        previous: Remembered | None,
    ) -> Path:
        """Remember `checkpoint` unless the one remembered is larger; merge the witnesses seen."""
        merged = dict(previous.witnesses) if previous else {}
        for vkey, timestamp in witnesses.items():
            merged[vkey] = max(timestamp, merged.get(vkey, 0))
        if previous is not None and previous.size > checkpoint.size:  # an older bundle, consistent: keep the newest
            checkpoint_text = previous.checkpoint
        data = {
            "version": VERSION,
            "origin": origin,
            "checkpoint": checkpoint_text,
            "witnesses": merged,
            "verified_at": int(time.time()),
        }
        path = self.path(origin)
        write_atomic(path, json.dumps(data, indent=1, sort_keys=True) + "\n")
        return path


def write_atomic(path: Path, text: str) -> None:
    """Write a temporary file in the same directory, fsync it, rename it over `path`, fsync the directory."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()
    if hasattr(os, "O_DIRECTORY"):  # POSIX: make the rename itself durable
        directory = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def describe(remembered: Remembered) -> str:
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(remembered.verified_at)) if remembered.verified_at else "?"
    return f"the checkpoint this verifier saw before (size {remembered.size}, remembered on {when})"


__all__ = ["ENV", "Remembered", "StateError", "StateStore", "default_dir", "describe", "state_file", "write_atomic"]
