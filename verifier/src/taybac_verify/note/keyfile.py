"""The log's private signing key in a file: created once, atomically, never overwritten."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from taybac_verify.note.keys import InvalidKeyError, generate_signer, parse_private


def load_or_create_signer(path: Path, name: str) -> str:
    """The log's private key, kept in a 0600 file outside the database so a dump can't forge heads.

    Created on first use: written to a temporary file, fsynced, then hard-linked into place, which
    is atomic like os.replace but never clobbers a key a concurrent process created first (it falls
    back to os.replace on filesystems without hard links). An unreadable file is an error, never
    silently replaced: a lost key would orphan every checkpoint already published.
    """
    path = Path(path)
    try:
        key = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        key = _create_key_file(path, generate_signer(name))
    key_name = parse_private(key)[0]
    if key_name != name:
        raise InvalidKeyError(f"{path} holds a key for {key_name}, not {name}")
    return key


def _create_key_file(path: Path, key: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")  # 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(key + "\n")
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return path.read_text(encoding="utf-8").strip()
        except OSError:
            os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return key
