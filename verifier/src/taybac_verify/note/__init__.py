"""C2SP signed notes and tlog checkpoints with Ed25519 keys, compatible with golang.org/x/mod/sumdb/note.

Specs: https://c2sp.org/signed-note and https://c2sp.org/tlog-checkpoint. Witnesses cosign checkpoints in the
C2SP tlog-cosignature format (https://c2sp.org/tlog-cosignature), Ed25519 `cosignature/v1`, signature type 0x04.
Standard library and `cryptography`'s Ed25519 only, never Django.

One import for users (`from taybac_verify import note`), five modules inside:
- `keys`: key strings, note signing keys (type 0x01) and cosigner keys (type 0x04); each function refuses the
  other kind of key;
- `signed`: `sign` and `open_note`, strict signed-note syntax and its size bounds;
- `checkpoint`: checkpoint bodies, `sign_checkpoint` and `open_checkpoint`;
- `cosignature`: `cosign` and `verify_cosignature`;
- `keyfile`: `load_or_create_signer`, the log's private key in a 0600 file.
"""

from __future__ import annotations

from taybac_verify.note.checkpoint import (
    Checkpoint,
    CheckpointError,
    format_checkpoint,
    open_checkpoint,
    parse_checkpoint,
    sign_checkpoint,
)
from taybac_verify.note.cosignature import (
    MAX_CLOCK_SKEW,
    MAX_TIMESTAMP,
    CosignatureTimeError,
    cosign,
    cosigned_message,
    verify_cosignature,
)
from taybac_verify.note.keyfile import load_or_create_signer
from taybac_verify.note.keys import (
    ALG_COSIGNATURE_V1,
    ALG_ED25519,
    HASH_SIZE,
    InvalidKeyError,
    NoteError,
    cosigner_key,
    generate_cosigner,
    generate_signer,
    verifier_key,
)
from taybac_verify.note.signed import (
    MAX_NOTE_SIZE,
    MAX_SIGNATURES,
    InvalidSignatureError,
    MalformedNoteError,
    Note,
    Signature,
    UnverifiedNoteError,
    open_note,
    sign,
)

__all__ = [
    "ALG_COSIGNATURE_V1",
    "ALG_ED25519",
    "HASH_SIZE",
    "MAX_CLOCK_SKEW",
    "MAX_NOTE_SIZE",
    "MAX_SIGNATURES",
    "MAX_TIMESTAMP",
    "Checkpoint",
    "CheckpointError",
    "CosignatureTimeError",
    "InvalidKeyError",
    "InvalidSignatureError",
    "MalformedNoteError",
    "Note",
    "NoteError",
    "Signature",
    "UnverifiedNoteError",
    "cosign",
    "cosigned_message",
    "cosigner_key",
    "format_checkpoint",
    "generate_cosigner",
    "generate_signer",
    "load_or_create_signer",
    "open_checkpoint",
    "open_note",
    "parse_checkpoint",
    "sign",
    "sign_checkpoint",
    "verifier_key",
    "verify_cosignature",
]
