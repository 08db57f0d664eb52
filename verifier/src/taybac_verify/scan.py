"""Does a lot's bundle hold every event of the log that names the lot? Only reading the whole log can tell.

A bundle proves that the events it holds are in the signed log, not that it holds all of them: a hub that drops
an event's link to the lot (an unfavourable inspection, say) serves a bundle that verifies. So the verifier reads
every leaf of the signed tree from GET /log/entries (pages of up to 1000, up to the verified tree size), recomputes
the tree's root from them (so the hub cannot leave a leaf out of the pages either) and fails on any leaf that names
the lot's class URI in a quantity list (`quantityList`, `childQuantityList`, `inputQuantityList`,
`outputQuantityList`: exactly the fields the hub links lots from) but is missing from the bundle.

Cost: the whole log is downloaded, about 1.5 KB per leaf (a 10,000-leaf log is ~15 MB in 10 requests) and hashed
once, so it runs by default only up to SCAN_DEFAULT_MAX leaves; `--scan-log` forces it, `--no-scan-log` skips it.
Standard library + `tlog`.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit

from taybac_verify import tlog
from taybac_verify.bundle import Report, event_name

SCAN_DEFAULT_MAX = 10_000  # leaves: above this the scan runs only with --scan-log
PAGE = 1000  # what /log/entries serves per request at most
MAX_NAMED = 50
CLASS_FIELDS = ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")
GS1 = "https://id.gs1.org"


def names_lot(leaf: bytes, gtin: str, lot: str, hub: str) -> bool:
    """Does the event name class `https://id.gs1.org/01/<gtin>/10/<lot>` (or the same on the hub) in a quantity list?"""
    try:
        event = json.loads(leaf.decode("utf-8"))
    except (ValueError, UnicodeError):
        return False
    if not isinstance(event, dict):
        return False
    hosts = {GS1, hub}
    for name in CLASS_FIELDS:
        elements = event.get(name)
        for element in elements if isinstance(elements, list) else []:
            uri = element.get("epcClass") if isinstance(element, dict) else None
            if not isinstance(uri, str):
                continue
            parts = urlsplit(uri)
            segments = parts.path.strip("/").split("/")
            if (
                f"{parts.scheme}://{parts.netloc}" in hosts
                and len(segments) == 4
                and segments[0] == "01"
                and segments[1] == gtin
                and segments[2] == "10"
                and unquote(segments[3]) == lot
            ):
                return True
    return False


def scan_lot(
    report: Report,
    *,
    base: str,
    gtin: str,
    lot: str,
    checkpoint: Any,
    bundle_indexes: set[int],
    get: Callable[[str], bytes],
) -> None:
    """Read leaves [0, checkpoint.size) from `base`/log/entries; fail on an event about the lot the bundle omits."""
    parts = urlsplit(base)
    hub = f"{parts.scheme}://{parts.netloc}"
    tree = tlog.CompactRange()
    omitted: list[str] = []
    while tree.size < checkpoint.size:
        url = f"{base}/log/entries?start={tree.size}&end={min(tree.size + PAGE, checkpoint.size)}"
        try:
            items = json.loads(get(url))["items"]
            page = [(item["index"], base64.b64decode(item["leaf"], validate=True)) for item in items]
        except (OSError, ValueError, KeyError, TypeError) as exc:  # DownloadError is an OSError
            report.fail(f"could not read the log's entries to look for events the bundle omits: {exc}")
            return
        if not page:
            report.fail(
                f"the hub serves no leaf #{tree.size} although its signed tree has {checkpoint.size}: an "
                f"entry was removed, so events about the lot could be hidden"
            )
            return
        for index, leaf in page:
            if index != tree.size:
                report.fail(
                    f"the hub skips leaf #{tree.size} of its signed tree in /log/entries (next served: "
                    f"#{index}): an entry was removed, so events about the lot could be hidden"
                )
                return
            tree.append(tlog.leaf_hash(leaf))
            if names_lot(leaf, gtin, lot, hub) and index not in bundle_indexes:
                omitted.append(event_name(index, leaf))
            if tree.size == checkpoint.size:
                break
    if tree.root() != checkpoint.root_hash:
        report.fail(
            f"the {checkpoint.size} leaves served by /log/entries do not make up the signed tree (their "
            f"root differs): the hub serves altered entries, so the lot's events cannot be counted"
        )
        return
    for name in omitted[:MAX_NAMED]:
        report.fail(
            f"OMITTED: {name} names lot {gtin}/{lot} but the lot's bundle leaves it out, so its trace page hides it"
        )
    if len(omitted) > MAX_NAMED:
        report.fail(f"OMITTED: {len(omitted) - MAX_NAMED} more event(s) about the lot are missing from its bundle")
    if not omitted:
        report.passed(
            f"all {checkpoint.size} leaves of the signed log were read and rehashed to its root: the "
            f"bundle holds every event that names lot {gtin}/{lot}"
        )
