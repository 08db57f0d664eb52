"""C2SP signed notes and checkpoints: published vectors, tampering, strict syntax, key file.

No database: the module must stay importable without Django, for third-party verifiers.
"""

from __future__ import annotations

import base64
import hashlib
import re
import stat
import threading
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taybac_verify import note
from taybac_verify.note import (
    Checkpoint,
    CheckpointError,
    CosignatureTimeError,
    InvalidKeyError,
    InvalidSignatureError,
    MalformedNoteError,
    NoteError,
    UnverifiedNoteError,
)

# --- Published test data -----------------------------------------------------------------------
# golang.org/x/mod sumdb/note/note_test.go (TestNewVerifier, TestNewSigner, TestSign, TestOpen).
PETER_SK = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
PETER_VK = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
ENOCH_VK = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
PETER_SIG = (
    "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)
ENOCH_SIG = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"
SIGNED = TEXT + "\n" + PETER_SIG

# transparency-dev/formats log/note_test.go: key pairs, and a real sum.golang.org checkpoint
# (TestSumDBNoteParsing) with the Go checksum database's published verifier key.
TD_KEY_PAIRS = [
    (
        "PRIVATE+KEY+Log+2271c621+AdEIq9FLRQni54Wg68T96VJO+iayOaulswav2DUMKgvQ",
        "Log+2271c621+AemuH5ooBpEPcr+W8onrjA1NfuzBVHdezakU81Ekarvs",
    ),
    (
        "PRIVATE+KEY+Known+451c786d+AQPRoE2+Z+Ed1HaHBA9F/FfracvcZ2rDU39kCecMEoci",
        "Known+451c786d+AXAQ0T7lbwuY4ABJ9/MYY9bWV3hmSyOGVt2x42NkmdUH",
    ),
    (
        "PRIVATE+KEY+KnownAgain+4893b26c+ARhZda/l25zjGZswYLDZsLNRzNpmv5wYTN9IoTr1OJ2+",
        "KnownAgain+4893b26c+AQ+LR7BFF/F/dkpIBjBpSvT0crkteizuUkavAoGeaYMj",
    ),
    (
        "PRIVATE+KEY+Unknown+fdbb2e08+Aav2knTC6orbhXX8pMWuNiWgO+Wwk2DB+h1eU2Q1W1nU",
        "Unknown+fdbb2e08+AWgRIYZ+8x1Vl+1Q+sR8zciNHiYI1SdlBjNw+RV0rots",
    ),
]
SUMDB_VK = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"
SUMDB_NOTE = """go.sum database tree
6476701
mb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=

— sum.golang.org Az3grsLX85Gz+s1SiTbgkuqxgItqFq7gsMUEyVnrsa9LM7Us9S+1xbFIGu95949rj4nPRYfvimWEPWL+o3GeoWwOoAw=
"""
# C2SP tlog-checkpoint.md example body.
C2SP_BODY = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"

# Keys made once: hypothesis refuses function-scoped fixtures, and generation is not under test.
HUB_SK = note.generate_signer("hub.example")
HUB_VK = note.verifier_key(HUB_SK)
OTHER_SK = note.generate_signer("other.example")


def sig_line(name: str, key_id: bytes, signature: bytes) -> str:
    return f"— {name} {base64.b64encode(key_id + signature).decode()}\n"


# --- Published vectors -------------------------------------------------------------------------


def test_sign_reproduces_published_note():
    assert note.sign(TEXT, PETER_SK) == SIGNED


@pytest.mark.parametrize("private, public", [(PETER_SK, PETER_VK), *TD_KEY_PAIRS])
def test_verifier_key_from_published_private_key(private, public):
    assert note.verifier_key(private) == public


def test_published_key_id_is_sha256_of_name_and_key():
    """Checks the published vector against the spec's formula, independently of the module."""
    name, key_id, key64 = PETER_VK.split("+", 2)
    assert hashlib.sha256(name.encode() + b"\n" + base64.b64decode(key64)).hexdigest()[:8] == key_id


def test_open_published_note_with_one_and_two_known_keys():
    signed = TEXT + "\n" + PETER_SIG + ENOCH_SIG
    n = note.open_note(signed, [PETER_VK])
    assert n.text == TEXT
    assert n.verified_by == ("PeterNeumann",)
    assert [(s.name, s.key_id) for s in n.signatures] == [("PeterNeumann", 0xC74F20A3), ("EnochRoot", 0xAF0CFE78)]
    assert n.signatures[0].signature == base64.b64decode(PETER_SIG.split()[-1])[4:]
    assert note.open_note(signed.encode(), [PETER_VK, ENOCH_VK]).verified_by == ("PeterNeumann", "EnochRoot")
    with pytest.raises(UnverifiedNoteError, match="^no signature by a known key$"):
        note.open_note(signed, [])


def test_published_invalid_signature_rejects_the_note():
    raw = PETER_SIG.encode()
    bad = TEXT.encode() + b"\n" + raw[:60] + b"ABCD" + raw[60:]
    with pytest.raises(InvalidSignatureError, match="^signature by PeterNeumann does not verify$"):
        note.open_note(bad, [PETER_VK])


def test_published_duplicates_and_unknown_signatures():
    raw = ENOCH_SIG.encode()
    enoch_abcd = (raw[:60] + b"ABCD" + raw[60:]).decode()
    n = note.open_note(TEXT + "\n" + PETER_SIG + PETER_SIG + ENOCH_SIG + ENOCH_SIG + enoch_abcd, [PETER_VK])
    assert n.verified_by == ("PeterNeumann",)
    assert len(n.signatures) == 5


def test_published_too_many_signatures():
    assert note.open_note(TEXT + "\n" + PETER_SIG * 100, [PETER_VK]).verified_by == ("PeterNeumann",)
    for keys in ([PETER_VK], []):
        with pytest.raises(MalformedNoteError, match="more than 100 signatures"):
            note.open_note(TEXT + "\n" + PETER_SIG * 101, keys)


@pytest.mark.parametrize(
    "msg",
    [
        TEXT,
        TEXT + "\n",
        TEXT + "\n" + PETER_SIG[:-1],
        "\x01" + TEXT + "\n" + PETER_SIG,
        b"\xff" + (TEXT + "\n" + PETER_SIG).encode(),
        TEXT + "\n" + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqd"
        "ngotpRZb6KE6RyyBwJnAM=",
        TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
    ],
)
def test_published_malformed_notes(msg):
    with pytest.raises(MalformedNoteError):
        note.open_note(msg, [PETER_VK])


def test_published_signature_under_another_name_or_id_is_ignored():
    """The spec: a key sharing the name or the ID, but not both, is unknown and ignored."""
    misnamed = PETER_SIG.replace("PeterNeumann", "CarmenSandiego")
    wrong_id = PETER_SIG.replace("x08g", "xxxx")
    for sig in (misnamed, wrong_id):
        with pytest.raises(UnverifiedNoteError):
            note.open_note(TEXT + "\n" + sig, [PETER_VK])
        assert note.open_note(TEXT + "\n" + sig + PETER_SIG, [PETER_VK]).verified_by == ("PeterNeumann",)


def test_published_verifier_key_manglings_are_rejected():
    """As Go's TestNewVerifier: every proper substring and every one-byte change fails."""
    k = PETER_VK
    mangled = [k[i:j] for i in range(len(k) + 1) for j in range(i + 1, len(k) + 1) if (i, j) != (0, len(k))]
    mangled += [k[:i] + chr(ord(k[i]) + 1) + k[i + 1 :] for i in range(len(k))]
    mangled += [
        "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    ]
    for bad in mangled:
        with pytest.raises(InvalidKeyError):
            note.open_note(SIGNED, [bad])


def test_published_private_key_manglings_are_rejected():
    k = PETER_SK
    mangled = [k[i:j] for i in range(len(k) + 1) for j in range(i + 1, len(k) + 1) if (i, j) != (0, len(k))]
    mangled += [k[:i] + chr(ord(k[i]) + 1) + k[i + 1 :] for i in range(len(k))]
    for bad in mangled:
        with pytest.raises(InvalidKeyError):
            note.verifier_key(bad)
        with pytest.raises(InvalidKeyError):
            note.sign(TEXT, bad)


def test_published_sumdb_checkpoint():
    cp = note.open_checkpoint(SUMDB_NOTE, SUMDB_VK, origin="go.sum database tree")
    assert cp == Checkpoint(
        "go.sum database tree", 6476701, base64.b64decode("mb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk="), ()
    )
    with pytest.raises(CheckpointError, match="origin is 'go.sum database tree', expected"):
        note.open_checkpoint(SUMDB_NOTE, SUMDB_VK, origin="Go rocks but I might have the wrong ID")
    with pytest.raises(InvalidSignatureError):
        note.open_checkpoint(SUMDB_NOTE.replace("6476701", "6476702"), SUMDB_VK)
    with pytest.raises(UnverifiedNoteError):
        note.open_checkpoint(SUMDB_NOTE, PETER_VK)


def test_c2sp_checkpoint_example_body():
    root = base64.b64decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")
    assert note.parse_checkpoint(C2SP_BODY) == Checkpoint("example.com/behind-the-sofa", 20852163, root)
    assert note.format_checkpoint("example.com/behind-the-sofa", 20852163, root) == C2SP_BODY


# --- Keys --------------------------------------------------------------------------------------


def test_generated_key_strings_have_the_spec_shape():
    assert re.fullmatch(r"PRIVATE\+KEY\+hub\.example\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}", HUB_SK)
    name, key_id, key64 = HUB_VK.split("+", 2)
    raw = base64.b64decode(key64)
    assert name == "hub.example" and len(raw) == 33 and raw[0] == 1
    assert hashlib.sha256(b"hub.example\n" + raw).hexdigest()[:8] == key_id
    assert HUB_SK.split("+")[3] == key_id


@pytest.mark.parametrize("name", ["", "a+b", "a b", "a\u00a0b", "a\tb", "a\nb", "a\u2003b", "a\x01b", "\ud800"])
def test_invalid_key_names(name):
    with pytest.raises(InvalidKeyError):
        note.generate_signer(name)


def test_unicode_key_name():
    sk = note.generate_signer("Señor-1/tây-bắc")
    opened = note.open_note(note.sign("xin chào\n", sk), [note.verifier_key(sk)])
    assert opened.verified_by == ("Señor-1/tây-bắc",)


def test_duplicate_verifier_keys_are_tolerated():
    assert note.open_note(SIGNED, [PETER_VK, ENOCH_VK, PETER_VK]).verified_by == ("PeterNeumann",)


# --- Round trips and tampering -----------------------------------------------------------------

LINE = st.text(st.characters(min_codepoint=0x20, blacklist_categories=("Cs",)), max_size=40)
BODIES = st.lists(LINE, min_size=1, max_size=6).map(lambda lines: "\n".join(lines) + "\n")


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=BODIES)
def test_round_trip(body):
    signed = note.sign(body, HUB_SK)
    n = note.open_note(signed, [note.verifier_key(OTHER_SK), HUB_VK])
    assert n.text == body and n.verified_by == ("hub.example",) and len(n.signatures) == 1
    assert note.open_note(signed.encode("utf-8"), [HUB_VK]).text == body


@settings(deadline=None, max_examples=300)
@given(data=st.data())
def test_any_single_byte_change_is_rejected(data):
    raw = bytearray(SIGNED.encode())
    i = data.draw(st.integers(0, len(raw) - 1))
    raw[i] = data.draw(st.integers(0, 255).filter(lambda b: b != raw[i]))
    with pytest.raises(NoteError):
        note.open_note(bytes(raw), [PETER_VK])


@settings(deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300))
def test_garbage_only_raises_note_error(garbage):
    with pytest.raises(NoteError):
        note.open_note(garbage, [PETER_VK])


def test_changed_body_changed_signature_and_forged_key_id():
    signed = note.sign("lot 42: 30 kg shan tuyết tea\n", HUB_SK)
    with pytest.raises(InvalidSignatureError, match="^signature by hub.example does not verify$"):
        note.open_note(signed.replace("30 kg", "31 kg"), [HUB_VK])
    body, line = signed.rsplit("\n\n", 1)
    raw = bytearray(base64.b64decode(line.split()[-1]))
    raw[10] ^= 1
    with pytest.raises(InvalidSignatureError, match="^signature by hub.example does not verify$"):
        note.open_note(body + "\n\n" + sig_line("hub.example", bytes(raw[:4]), bytes(raw[4:])), [HUB_VK])
    # Another key's valid signature, relabelled with our name and key ID.
    other = base64.b64decode(note.sign(body + "\n", OTHER_SK).split()[-1])
    with pytest.raises(InvalidSignatureError, match="^signature by hub.example does not verify$"):
        note.open_note(body + "\n\n" + sig_line("hub.example", bytes(raw[:4]), other[4:]), [HUB_VK])


def test_wrong_or_unknown_keys_only():
    signed = note.sign("hello\n", HUB_SK)
    for keys in ([note.verifier_key(OTHER_SK)], [PETER_VK, ENOCH_VK], []):
        with pytest.raises(UnverifiedNoteError, match="^no signature by a known key$"):
            note.open_note(signed, keys)
    same_name = note.generate_signer("hub.example")  # same name, different key ID: unknown
    with pytest.raises(UnverifiedNoteError):
        note.open_note(note.sign("hello\n", same_name), [HUB_VK])


@pytest.mark.parametrize(
    "suffix",
    [
        "—  hub.example AAAAAAA=\n",
        "- hub.example AAAAAAAA\n",
        "— hub.example\n",
        "— hub.example \n",
        "— hub.example AAAA\n",  # key ID without a signature
        "— hub.example AAAAAAA\n",  # unpadded
        "— hub.example AAAAAAB=\n",  # non-canonical trailing bits
        "— hub.example AAAA AAAA\n",
        "— hub+x AAAAAAAA\n",
        "— \n",
        "—\n",
        " — hub.example AAAAAAA=\n",
    ],
)
def test_malformed_signature_lines(suffix):
    signed = note.sign("hello\n", HUB_SK)
    with pytest.raises(MalformedNoteError):
        note.open_note(signed + suffix, [HUB_VK])


def test_last_blank_line_splits_text_from_signatures():
    """The spec: the text may hold blank lines; a later blank line pushes signatures into the text."""
    body = "para one\n\npara two\n"
    assert note.open_note(note.sign(body, HUB_SK), [HUB_VK]).text == body
    pushed = note.sign("hello\n", HUB_SK) + "\n" + note.sign("x\n", OTHER_SK).split("\n\n")[1]
    with pytest.raises(UnverifiedNoteError):
        note.open_note(pushed, [HUB_VK])


@pytest.mark.parametrize("body", ["", "no final newline", "a\x00b\n", "tab\there\n", "cr\r\n", "\ud800\n"])
def test_sign_refuses_malformed_bodies(body):
    with pytest.raises(MalformedNoteError):
        note.sign(body, HUB_SK)


def test_size_limit():
    big = "x" * (note.MAX_NOTE_SIZE - 200) + "\n"
    assert note.open_note(note.sign(big, HUB_SK), [HUB_VK]).text == big
    with pytest.raises(MalformedNoteError, match="larger than"):
        note.sign("x" * note.MAX_NOTE_SIZE + "\n", HUB_SK)
    oversized = "x" * note.MAX_NOTE_SIZE + "\n\n" + note.sign("x\n", HUB_SK).split("\n\n")[1]
    with pytest.raises(MalformedNoteError, match="larger than"):
        note.open_note(oversized, [HUB_VK])


# --- Checkpoints -------------------------------------------------------------------------------

ROOT = bytes(range(32))
ROOT64 = base64.b64encode(ROOT).decode()


@settings(deadline=None)
@given(
    origin=LINE.filter(bool),
    size=st.integers(0, 2**64 - 1),
    root=st.binary(min_size=32, max_size=32),
    extensions=st.lists(LINE.filter(bool), max_size=3),
)
def test_checkpoint_round_trip(origin, size, root, extensions):
    body = note.format_checkpoint(origin, size, root, extensions)
    assert note.parse_checkpoint(body) == Checkpoint(origin, size, root, tuple(extensions))
    signed = note.sign_checkpoint(origin, size, root, HUB_SK, extensions)
    assert note.open_checkpoint(signed, HUB_VK, origin=origin) == note.parse_checkpoint(body)


@pytest.mark.parametrize(
    "body, message",
    [
        (f"log\n007\n{ROOT64}\n", "leading zeros"),
        (f"log\n00\n{ROOT64}\n", "leading zeros"),
        (f"log\n-1\n{ROOT64}\n", "leading zeros"),
        (f"log\n+5\n{ROOT64}\n", "leading zeros"),
        (f"log\n 5\n{ROOT64}\n", "leading zeros"),
        (f"log\n1_000\n{ROOT64}\n", "leading zeros"),
        (f"log\n\u0663\n{ROOT64}\n", "leading zeros"),  # Arabic-Indic three: int() would take it
        (f"log\n{2**64}\n{ROOT64}\n", "leading zeros"),
        (f"log\n{'9' * 5000}\n{ROOT64}\n", "leading zeros"),
        ("log\n5\nnot base64!\n", "base64 of 32 bytes"),
        (f"log\n5\n{ROOT64[:-1]}\n", "base64 of 32 bytes"),
        (f"log\n5\n{ROOT64[:-2]}9=\n", "base64 of 32 bytes"),  # ...Hh8= with a discarded bit set
        (f"log\n5\n{base64.b64encode(ROOT[:31]).decode()}\n", "base64 of 32 bytes"),
        (f"log\n5\n{base64.b64encode(ROOT + b'x').decode()}\n", "base64 of 32 bytes"),
        (f"\n5\n{ROOT64}\n", "origin is empty"),
        ("log\n5\n", "needs origin, tree size and root hash"),
        (f"log\n5\n{ROOT64}", "ending in a newline"),
        (f"log\n5\n{ROOT64}\n\n", "extension lines must not be empty"),
        (f"log\n5\n{ROOT64}\next\n\nmore\n", "extension lines must not be empty"),
        (f"l\tog\n5\n{ROOT64}\n", "ending in a newline"),
    ],
)
def test_checkpoint_parse_errors(body, message):
    with pytest.raises(CheckpointError, match=message):
        note.parse_checkpoint(body)


@pytest.mark.parametrize(
    "args",
    [
        ("log", -1, ROOT),
        ("log", 2**64, ROOT),
        ("log", True, ROOT),
        ("log", "5", ROOT),
        ("log", 5, ROOT[:31]),
        ("log", 5, ROOT64),
        ("", 5, ROOT),
        ("a\nb", 5, ROOT),
        ("log", 5, ROOT, ["ok", ""]),
        ("log", 5, ROOT, ["a\nb"]),
    ],
)
def test_format_checkpoint_errors(args):
    with pytest.raises(CheckpointError):
        note.format_checkpoint(*args)


def test_open_checkpoint_rejects_a_signed_non_checkpoint():
    with pytest.raises(CheckpointError):
        note.open_checkpoint(note.sign("if this is a valid checkpoint then I'll eat my hat\n", HUB_SK), HUB_VK)


# --- Cosignatures: C2SP tlog-cosignature, Ed25519 cosignature/v1 --------------------------------
# A real checkpoint of a public CT log, cosigned by four public witnesses (from florolf/tlog-scales
# tests/test_signing.py, TestCheckpointSigning). Its signature lines: the log's RFC 6962 STH signature (type
# 0x05, unknown here), the log's Ed25519 note signature (0x01), and four Ed25519 cosignature/v1 (0x04).
ARCHE_VK = "arche2025h1.staging.ct.transparency.dev+ba2f06c0+AU0vHmlGCS/PdN8b2OaGmKprLI8HKM+dJ472xgFYh15f"
ARCHE_NOTE = """arche2025h1.staging.ct.transparency.dev
1432088532
U7WM79jrzyhGZ5/GUBTpM7NzwdyfFx61t3RovgcC4Ro=

— arche2025h1.staging.ct.transparency.dev zTM8sQAAAZ5W0WdjBAMARjBEAiBjW5IQf9pvsYLfQFX6hoGREPMHbdQ3urbllzalApkptQIgIpw\
tEroeW2BXaHAI4kJXFbon5Ch9MNL5zRNZ55lvGt0=
— arche2025h1.staging.ct.transparency.dev ui8GwCF1+kWqZrxGdhj4aX3gcw7XUlXQQabg/27lefwhUkzbC3NygNI75MdhL1bfTW9g8Ei59RA\
23oHP7Ry1k3ZFWwQ=
— transparency.dev/DEV:witness-little-garden 2AQqhwAAAABqEiEgzgFIqqhbUoDwjMWE6UP8nd8/KYTzwZ2rhIgcqoXHAwVkjZr4AscylP3v\
7sEodkRAErumC2q44vdgJY096st5BQ==
— witness1.smartit.nu/witness1 pIyCDwAAAABqEiEghIp82KWebrw7/oHQwlTAm3g2RKS4+eebl8eO0WH+/iEcxZ75W3u5hNI7TOQtmJbqmNWVuE0tg\
h0XwzdZsDsUAQ==
— remora.n621.de 2net5wAAAABqEiEgPlfF3V06o0Y+fHM+J5J9s27wgxxcOVSpZ/2g/KSiXCg9DEZI+aVCIobWX9sXTynk5XeU/zZ0WBxtqB0DrAWfBw==
— witness.stagemole.eu Z/euoAAAAABqEiEgw0i+7g2ENfDAWHmtRzCfKTHSDwYDJA2NmKeGi9Y8FtEyOUvVr+AJmIY/2TUFucgKi7lI7cUiOvKFYe/Tm\
N9DAg==
"""
ARCHE_TIME = 1779573024  # all four cosigned at 2026-05-23 21:50:24 UTC
# The witnesses' published type 0x04 vkeys: remora's is also in transparency-dev/formats note/note_cosigv1_test.go
# and tlog-scales' test; little-garden's is on transparency.dev/witnesses; the raw Ed25519 keys of smartit and
# stagemole are those of sigsum's test witness policy.
WITNESS_VKS = [
    "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2",
    "transparency.dev/DEV:witness-little-garden+d8042a87+BCtusOxINQNUTN5Oj8HObRkh2yHf/MwYaGX4CPdiVEPM",
    "witness1.smartit.nu/witness1+a48c820f+BPSFWg9G6KPiO7QPryYO5Xq4oYJJ+kAvLKLSimDhoxMO",
    "witness.stagemole.eu+67f7aea0+BEqSG3yu9YrmcM3BHvQYTxwFj3uSWakQepafafpUqklv",
]
# tlog-cosignature.md's example cosignature line and signed message (the key is not published).
C2SP_COSIG_LINE = (
    "— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZ"
    "qhf5nNo0xUe+mbIUBkBIfZ+qnA==\n"
)
C2SP_COSIGNED_MESSAGE = "cosignature/v1\ntime 1679315147\n" + C2SP_BODY

WITNESS_SK = note.generate_cosigner("witness.example")
WITNESS_VK = note.cosigner_key(WITNESS_SK)
CHECKPOINT = note.sign_checkpoint("hub.example", 7, ROOT, HUB_SK)
T = 1_700_000_000


def spec_cosigner(name: str, seed: bytes) -> tuple[Ed25519PrivateKey, bytes, str]:
    """(key, 4-byte key ID, vkey) built from the spec's formulas with `cryptography` only."""
    key = Ed25519PrivateKey.from_private_bytes(seed)
    public = b"\x04" + key.public_key().public_bytes_raw()
    key_id = hashlib.sha256(name.encode() + b"\n" + public).digest()[:4]
    return key, key_id, f"{name}+{key_id.hex()}+{base64.b64encode(public).decode()}"


def spec_cosignature(name: str, key: Ed25519PrivateKey, key_id: bytes, body: str, timestamp: int) -> str:
    """The cosignature/v1 line, built independently of note.py."""
    signature = key.sign(b"cosignature/v1\ntime " + str(timestamp).encode() + b"\n" + body.encode())
    return sig_line(name, key_id, timestamp.to_bytes(8, "big") + signature)


def test_real_witnessed_checkpoint():
    """Four public witnesses' cosignatures verify, and the log's key alone ignores them (and the 0x05 line)."""
    cp = note.open_checkpoint(ARCHE_NOTE, ARCHE_VK, origin="arche2025h1.staging.ct.transparency.dev")
    assert cp.size == 1432088532
    for vkey in WITNESS_VKS:
        name, key_id, key64 = vkey.split("+", 2)
        raw = base64.b64decode(key64)
        assert raw[0] == 4 and hashlib.sha256(name.encode() + b"\n" + raw).hexdigest()[:8] == key_id
        assert note.verify_cosignature(ARCHE_NOTE, vkey, now=ARCHE_TIME) == ARCHE_TIME
        assert note.verify_cosignature(ARCHE_NOTE, vkey, now=ARCHE_TIME - 600) == ARCHE_TIME  # the allowed skew
        with pytest.raises(
            CosignatureTimeError,
            match=f"^cosignature by {re.escape(name)} is dated 2026-05-23 21:50:24 UTC, 601 s ahead",
        ):
            note.verify_cosignature(ARCHE_NOTE, vkey, now=ARCHE_TIME - 601)
        assert note.verify_cosignature(ARCHE_NOTE, vkey, now=0, max_skew=None) == ARCHE_TIME
        with pytest.raises(InvalidSignatureError, match=f"^cosignature by {re.escape(name)} does not verify$"):
            note.verify_cosignature(ARCHE_NOTE.replace("1432088532", "1432088533"), vkey, now=ARCHE_TIME)
    with pytest.raises(UnverifiedNoteError, match=r"^no cosignature by remora\.n621\.de\+da77ade7$"):
        note.verify_cosignature(SUMDB_NOTE, WITNESS_VKS[0])


def test_c2sp_example_cosignature_line_and_message():
    sig = note.open_note(note.sign(C2SP_BODY, HUB_SK) + C2SP_COSIG_LINE, [HUB_VK]).signatures[1]  # ignored
    assert sig.name == "witness.example.com/w1" and sig.key_id == 0x8D66CF3F and len(sig.signature) == 8 + 64
    assert int.from_bytes(sig.signature[:8], "big") == 1679315147  # the time in the spec's example message
    assert note.cosigned_message(C2SP_BODY, 1679315147) == C2SP_COSIGNED_MESSAGE.encode()
    assert note.cosigned_message(C2SP_BODY, 0).startswith(b"cosignature/v1\ntime 0\nexample.com/")


def test_docs_example_cosignature():
    """The witness line shown in docs/traceability.md ("Running a witness") verifies with the key shown there."""
    body = "taybac.example.vn/log\n14\nrDIRhsMbouE299KaZ26Rq0KW6kidWXbJq+tSl7ie1+I=\n"
    line = (
        "— witness.sct.sonla.example 8G6+DwAAAABrDjgwHfLFShQo0sajSOnLO4Oro5tES45HIvY6NNF3rnl2LtxAbUnFt5eqIYDc/VJ1"
        "ueusiguzaxb32eLfaxT5giVFCg==\n"
    )
    vkey = "witness.sct.sonla.example+f06ebe0f+BPbbZ1HkNYwSLJs3bjKxL8Q/GnwYMN7iSnOvI9x1mKo6"
    assert note.verify_cosignature(body + "\n" + line, vkey, max_skew=None) == 1796094000


def test_cosign_matches_an_independent_implementation():
    """Ed25519 is deterministic: note.cosign must produce exactly the line built from the spec's text."""
    seed = bytes(range(32))
    key, key_id, vkey = spec_cosigner("witness.example", seed)
    private = "PRIVATE+KEY+witness.example+" + key_id.hex() + "+" + base64.b64encode(b"\x04" + seed).decode()
    assert note.cosigner_key(private) == vkey
    body = CHECKPOINT.split("\n\n")[0] + "\n"
    assert note.cosign(CHECKPOINT, private, T) == CHECKPOINT + spec_cosignature("witness.example", key, key_id, body, T)
    independent = CHECKPOINT + spec_cosignature("witness.example", key, key_id, body, T + 1)
    assert note.verify_cosignature(independent, vkey, now=T) == T + 1


def test_generated_cosigner_keys_have_the_spec_shape():
    assert re.fullmatch(r"PRIVATE\+KEY\+witness\.example\+[0-9a-f]{8}\+B[A-Za-z0-9+/]{43}", WITNESS_SK)
    name, key_id, key64 = WITNESS_VK.split("+", 2)
    raw = base64.b64decode(key64)
    assert name == "witness.example" and len(raw) == 33 and raw[0] == 4
    assert hashlib.sha256(b"witness.example\n" + raw).hexdigest()[:8] == key_id == WITNESS_SK.split("+", 4)[3]
    seed = base64.b64decode(WITNESS_SK.split("+", 4)[4])
    assert seed[0] == 4 and Ed25519PrivateKey.from_private_bytes(seed[1:]).public_key().public_bytes_raw() == raw[1:]


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    size=st.integers(0, 2**64 - 1),
    root=st.binary(min_size=32, max_size=32),
    extensions=st.lists(LINE.filter(bool), max_size=2),
    timestamp=st.integers(0, note.MAX_TIMESTAMP),
)
def test_cosignature_round_trip(size, root, extensions, timestamp):
    signed = note.sign_checkpoint("hub.example", size, root, HUB_SK, extensions)
    cosigned = note.cosign(signed, WITNESS_SK, timestamp)
    assert cosigned.startswith(signed) and cosigned.count("\n— ") == 2
    assert len(base64.b64decode(cosigned.rsplit(" ", 1)[1])) == 4 + 8 + 64
    assert note.verify_cosignature(cosigned, WITNESS_VK, max_skew=None) == timestamp
    assert note.open_checkpoint(cosigned, HUB_VK) == note.parse_checkpoint(signed.split("\n\n")[0] + "\n")


def test_cosign_keeps_other_signatures_and_replaces_its_own():
    other_sk = note.generate_cosigner("other-witness.example")
    both = note.cosign(note.cosign(CHECKPOINT, WITNESS_SK, T), other_sk, T + 5)
    again = note.cosign(both, WITNESS_SK, T + 10)
    lines = again.split("\n\n")[1].splitlines()
    assert [line.split()[1] for line in lines] == ["hub.example", "other-witness.example", "witness.example"]
    assert note.verify_cosignature(again, WITNESS_VK, now=T) == T + 10
    assert note.verify_cosignature(again, note.cosigner_key(other_sk), now=T) == T + 5
    assert note.open_note(again, [HUB_VK]).verified_by == ("hub.example",)


def test_cosign_takes_the_current_time_by_default():
    before = int(time.time())
    assert before <= note.verify_cosignature(note.cosign(CHECKPOINT, WITNESS_SK), WITNESS_VK) <= time.time()


def test_wrong_key_name_or_key_id():
    cosigned = note.cosign(CHECKPOINT, WITNESS_SK, T)
    same_name = note.cosigner_key(note.generate_cosigner("witness.example"))  # another key: another key ID
    with pytest.raises(UnverifiedNoteError, match=r"^no cosignature by witness\.example\+[0-9a-f]{8}$"):
        note.verify_cosignature(cosigned, same_name, now=T)
    renamed = cosigned.replace("— witness.example ", "— witness2.example ")
    with pytest.raises(UnverifiedNoteError):
        note.verify_cosignature(renamed, WITNESS_VK, now=T)
    # Another cosigner's valid cosignature, relabelled with our name and key ID, is a bad signature.
    body, lines = cosigned.split("\n\n")
    ours = base64.b64decode(lines.splitlines()[1].split()[-1])
    theirs = base64.b64decode(note.cosign(CHECKPOINT, note.generate_cosigner("x.example"), T).split()[-1])
    forged = body + "\n\n" + lines.splitlines()[0] + "\n" + sig_line("witness.example", ours[:4], theirs[4:])
    with pytest.raises(InvalidSignatureError, match=r"^cosignature by witness\.example does not verify$"):
        note.verify_cosignature(forged, WITNESS_VK, now=T)
    # An ordinary 0x01 signature under the same name has another key ID: ignored, not a cosignature.
    plain = note.sign(body + "\n", note.generate_signer("witness.example")).split("\n\n")[1]
    with pytest.raises(UnverifiedNoteError):
        note.verify_cosignature(CHECKPOINT + plain, WITNESS_VK, now=T)


def test_tampered_timestamp_body_or_extension():
    cosigned = note.cosign(note.sign_checkpoint("hub.example", 7, ROOT, HUB_SK, ["ext"]), WITNESS_SK, T)
    body, lines = cosigned.split("\n\n")
    hub_line, line = lines.splitlines()
    raw = base64.b64decode(line.split()[-1])
    for changed in (T + 1, T - 1, 0):
        tampered = raw[:4] + changed.to_bytes(8, "big") + raw[12:]
        with pytest.raises(InvalidSignatureError, match="does not verify"):
            note.verify_cosignature(
                body + "\n\n" + hub_line + "\n" + sig_line("witness.example", tampered[:4], tampered[4:]),
                WITNESS_VK,
                now=T,
            )
    for old, new in (("\n7\n", "\n8\n"), ("ext", "exu")):
        with pytest.raises(InvalidSignatureError, match="does not verify"):
            note.verify_cosignature(cosigned.replace(old, new, 1), WITNESS_VK, now=T)


def test_future_and_out_of_range_timestamps():
    cosigned = note.cosign(CHECKPOINT, WITNESS_SK, T)
    assert note.verify_cosignature(cosigned, WITNESS_VK, now=T - 600) == T
    with pytest.raises(CosignatureTimeError, match="601 s ahead"):
        note.verify_cosignature(cosigned, WITNESS_VK, now=T - 601)
    assert note.verify_cosignature(cosigned, WITNESS_VK, now=T - 3600, max_skew=3600) == T
    with pytest.raises(CosignatureTimeError, match="at most 10 s allowed"):
        note.verify_cosignature(cosigned, WITNESS_VK, now=T - 11, max_skew=10)
    assert issubclass(CosignatureTimeError, InvalidSignatureError)
    # Above 2**63 - 1 is refused even with a valid signature and no clock check; the bound itself is fine.
    key, key_id, vkey = spec_cosigner("w.example", bytes(32))
    body = CHECKPOINT.split("\n\n")[0] + "\n"
    top = CHECKPOINT + spec_cosignature("w.example", key, key_id, body, 2**63 - 1)
    assert note.verify_cosignature(top, vkey, max_skew=None) == 2**63 - 1
    with pytest.raises(CosignatureTimeError, match="ahead of the verifier's clock"):
        note.verify_cosignature(top, vkey)
    beyond = CHECKPOINT + spec_cosignature("w.example", key, key_id, body, 2**63)
    with pytest.raises(CosignatureTimeError, match=r"above 2\*\*63 - 1"):
        note.verify_cosignature(beyond, vkey, max_skew=None)
    for bad in (-1, 2**63, True, 1.5, "5"):
        with pytest.raises(NoteError, match="timestamp"):
            note.cosign(CHECKPOINT, WITNESS_SK, bad)


@pytest.mark.parametrize("length", [1, 8, 64, 71, 73, 8 + 64 + 32])
def test_malformed_cosignature_lengths(length):
    _, key_id, vkey = spec_cosigner("w.example", bytes(32))
    with pytest.raises(InvalidSignatureError, match=f"has {4 + length} bytes, not the 76"):
        note.verify_cosignature(CHECKPOINT + sig_line("w.example", key_id, bytes(length)), vkey, max_skew=None)


def test_cosignatures_apply_to_checkpoints_only():
    other = note.sign("just some text\n", HUB_SK)
    with pytest.raises(MalformedNoteError, match="applies to a checkpoint"):
        note.cosign(other, WITNESS_SK, T)
    key, key_id, vkey = spec_cosigner("w.example", bytes(32))
    with pytest.raises(MalformedNoteError, match="applies to a checkpoint"):
        note.verify_cosignature(other + spec_cosignature("w.example", key, key_id, "just some text\n", T), vkey)
    for malformed in ("hub.example\n7\n", CHECKPOINT.split("\n\n")[0] + "\n", CHECKPOINT + "— x\n"):
        with pytest.raises(MalformedNoteError):
            note.cosign(malformed, WITNESS_SK, T)
        with pytest.raises(MalformedNoteError):
            note.verify_cosignature(malformed, WITNESS_VK)


def test_note_keys_and_cosigner_keys_are_not_interchangeable():
    with pytest.raises(
        InvalidKeyError,
        match=r"is an Ed25519 note signing key \(type 0x01\), not an Ed25519 C2SP "
        r"cosignature/v1 key \(type 0x04\)",
    ):
        note.verify_cosignature(note.cosign(CHECKPOINT, WITNESS_SK, T), HUB_VK)
    with pytest.raises(InvalidKeyError, match=r"type 0x01"):
        note.cosign(CHECKPOINT, HUB_SK, T)
    with pytest.raises(InvalidKeyError, match=r"type 0x01"):
        note.cosigner_key(HUB_SK)
    with pytest.raises(
        InvalidKeyError,
        match=r"is an Ed25519 C2SP cosignature/v1 key \(type 0x04\), not an "
        r"Ed25519 note signing key \(type 0x01\)",
    ):
        note.open_note(note.cosign(CHECKPOINT, WITNESS_SK, T), [HUB_VK, WITNESS_VK])
    for call in (lambda: note.sign("x\n", WITNESS_SK), lambda: note.verifier_key(WITNESS_SK)):
        with pytest.raises(InvalidKeyError, match=r"type 0x04"):
            call()
    # The same seed under the 0x01 type byte and 0x01 key ID is a different (note) key, refused as a cosigner.
    with pytest.raises(InvalidKeyError):
        note.verify_cosignature(ARCHE_NOTE, WITNESS_VKS[0].replace("+BOvN", "+AOvN"))


def test_cosigner_key_manglings_are_rejected():
    k = WITNESS_VKS[0]
    mangled = [k[:i] + chr(ord(k[i]) + 1) + k[i + 1 :] for i in range(len(k))]
    mangled += [k[:i] for i in range(len(k))] + [k + "A", k + "=", "x" + k]
    for bad in mangled:
        with pytest.raises(InvalidKeyError):
            note.verify_cosignature(ARCHE_NOTE, bad, max_skew=None)
    s = WITNESS_SK
    for bad in [s[:i] + chr(ord(s[i]) + 1) + s[i + 1 :] for i in range(len(s))] + [s[:i] for i in range(len(s))]:
        with pytest.raises(InvalidKeyError):
            note.cosign(CHECKPOINT, bad, T)


def test_every_matching_cosignature_must_verify_and_the_newest_time_is_returned():
    first = note.cosign(CHECKPOINT, WITNESS_SK, T)
    line = first.split("\n\n")[1].splitlines()[1] + "\n"
    second = note.cosign(CHECKPOINT, WITNESS_SK, T + 60).split("\n\n")[1].splitlines()[1] + "\n"
    assert note.verify_cosignature(first + second, WITNESS_VK, now=T) == T + 60
    raw = bytearray(base64.b64decode(line.split()[-1]))
    raw[-1] ^= 1
    with pytest.raises(InvalidSignatureError):
        note.verify_cosignature(
            first + second + sig_line("witness.example", bytes(raw[:4]), bytes(raw[4:])), WITNESS_VK, now=T
        )


@settings(deadline=None, max_examples=200)
@given(data=st.data())
def test_any_single_byte_change_of_a_cosigned_checkpoint_is_rejected(data):
    cosigned = bytearray(note.cosign(CHECKPOINT, WITNESS_SK, T).encode())
    start = cosigned.index(b"\n\n") + 1  # the body, and our line (the hub's line is not checked here)
    ours = cosigned.rindex("— ".encode())
    i = data.draw(st.sampled_from([*range(start), *range(ours, len(cosigned))]))
    cosigned[i] = data.draw(st.integers(0, 255).filter(lambda b: b != cosigned[i]))
    with pytest.raises(NoteError):
        note.verify_cosignature(bytes(cosigned), WITNESS_VK, now=T)


# --- Key file ----------------------------------------------------------------------------------


def test_key_file_created_private_and_reused(tmp_path):
    path = tmp_path / "keys" / "nested" / "log.key"
    key = note.load_or_create_signer(path, "hub.example/log")
    assert path.read_text() == key + "\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert key.startswith("PRIVATE+KEY+hub.example/log+")
    assert note.load_or_create_signer(path, "hub.example/log") == key
    assert note.load_or_create_signer(Path(str(path)), "hub.example/log") == key
    assert sorted(p.name for p in path.parent.iterdir()) == ["log.key"]  # no temp files left


def test_key_file_concurrent_first_use_agrees(tmp_path):
    path = tmp_path / "log.key"
    keys: list[str] = []
    threads = [
        threading.Thread(target=lambda: keys.append(note.load_or_create_signer(path, "hub.example"))) for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(keys) == 8 and set(keys) == {path.read_text().strip()}


def test_key_file_wrong_name_or_corrupt_is_an_error_not_overwritten(tmp_path):
    path = tmp_path / "log.key"
    note.load_or_create_signer(path, "hub.example")
    with pytest.raises(InvalidKeyError, match="holds a key for hub.example, not other.example"):
        note.load_or_create_signer(path, "other.example")
    path.write_text("garbage\n")
    with pytest.raises(InvalidKeyError):
        note.load_or_create_signer(path, "hub.example")
    assert path.read_text() == "garbage\n"
