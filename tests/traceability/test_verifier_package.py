"""The standalone verifier package (verifier/, distribution `taybac-verify`), as a third party gets it: it imports
only the standard library (and `cryptography` for Ed25519), declares its two console scripts, and its command
line verifies a running hub from a Python that has neither Django nor the hub on its path."""

from __future__ import annotations

import ast
import base64
import datetime
import importlib
import json
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from taybac.traceability import log
from taybac.traceability.services import record_harvest, record_inspection
from taybac_verify import note, tlog
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "verifier"
SOURCE = PACKAGE / "src"
TODAY = datetime.date.today()
NEEDS_CRYPTOGRAPHY = {"note"}  # subpackages that may import `cryptography` (Ed25519); tlog and the rest may not
RUN_MODULE = (
    "import runpy, sys; source, deps, module = sys.argv[1:4]; sys.path[:0] = [source, deps]; "
    "del sys.argv[1:4]; runpy.run_module(module, run_name='__main__', alter_sys=True)"
)


def imports_outside_the_standard_library(path: Path) -> set[str]:
    """Top-level modules `path` imports that are neither the standard library nor taybac_verify itself."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"__future__", "taybac_verify"}


def test_the_package_imports_only_the_standard_library_and_cryptography():
    files = sorted((SOURCE / "taybac_verify").rglob("*.py"))
    assert {f.relative_to(SOURCE).as_posix() for f in files} >= {
        "taybac_verify/tlog.py",
        "taybac_verify/note/__init__.py",
        "taybac_verify/verifier.py",
        "taybac_verify/bundle.py",
        "taybac_verify/state.py",
        "taybac_verify/scan.py",
        "taybac_verify/witness.py",
    }
    for path in files:
        allowed = {"cryptography"} if path.parent.name in NEEDS_CRYPTOGRAPHY else set()
        assert imports_outside_the_standard_library(path) <= allowed, path.relative_to(ROOT)


def test_the_import_rule_catches_django_and_the_hub(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import json\nfrom django.conf import settings\nimport taybac.traceability.log\n")
    assert imports_outside_the_standard_library(bad) == {"django", "taybac"}


def test_metadata_declares_cryptography_and_both_console_scripts():
    project = tomllib.loads((PACKAGE / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "taybac-verify" and project["dependencies"] == ["cryptography>=44"]
    assert set(project["scripts"]) == {"taybac-verify", "taybac-witness"}
    for target in project["scripts"].values():
        module, function = target.split(":")
        assert callable(getattr(importlib.import_module(module), function))
    hub = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert f"taybac-verify=={project['version']}" in hub["dependencies"]


def requirements_closure(name: str) -> set[str]:
    """`name` and every distribution it needs on this Python, as pip would install them."""
    found, todo = set(), [name]
    while todo:
        dist = metadata.distribution(todo.pop())
        if dist.metadata["Name"].lower() in found:
            continue
        found.add(dist.metadata["Name"].lower())
        for line in dist.requires or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return found


@pytest.fixture
def third_party(tmp_path):
    """Run a module of the package as `python -I -S`: no site-packages, no PYTHONPATH, no hub, no Django; only
    the standard library, verifier/src and links to what `pip install ./verifier` would add (cryptography and
    what it needs) on the path."""
    deps = tmp_path / "deps"
    deps.mkdir()
    project = tomllib.loads((PACKAGE / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for name in set().union(*(requirements_closure(Requirement(r).name) for r in project["dependencies"])):
        dist = metadata.distribution(name)
        for top in {Path(f.parts[0]) for f in dist.files or [] if ".dist-info" not in f.parts[0]}:
            if not (deps / top).exists() and top.name != "..":
                (deps / top).symlink_to(dist.locate_file(top))
    env = {"TAYBAC_VERIFY_STATE": str(tmp_path / "state"), "PATH": "/usr/bin:/bin"}
    (tmp_path / "state").mkdir()

    def run(module: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-I", "-S", "-c", RUN_MODULE, str(SOURCE), str(deps), module, *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    no_django = run("django")  # the isolation holds: neither Django nor the hub is importable there
    assert no_django.returncode == 1 and "No module named django" in no_django.stderr, no_django.stderr
    return run


@pytest.fixture
def hub_lot(live_server, shop):
    tea = factories.make_product(shop=shop, name="Chè Shan tuyết", category_slug="che", unit="kg").variants.get()
    owner = shop.producer.owner
    lot = record_harvest(actor=owner, variant=tea, harvested_on=TODAY, quantity=100, unit="kg", code="A-1")
    record_harvest(actor=owner, variant=tea, harvested_on=TODAY, quantity=50, unit="kg", code="B-1")
    record_inspection(actor=owner, lot=lot, passed=True, inspector="HTX Suối Giàng")
    return lot


def test_the_command_line_verifies_a_running_hub_without_django(live_server, hub_lot, third_party, client, tmp_path):
    url = f"{live_server.url}{hub_lot.get_absolute_url()}"
    first = third_party("taybac_verify", url)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Result: VERIFIED" in first.stdout
    assert f"the key {log.public_key()} was downloaded from the hub itself" in first.stdout
    assert list((tmp_path / "state").iterdir()), "the verified checkpoint is remembered for the next run"
    again = third_party("taybac_verify", url, "--key", log.public_key())
    assert again.returncode == 0 and "Result: VERIFIED" in again.stdout, again.stdout + again.stderr

    bundle = client.get(f"/log/bundle/{hub_lot.variant.gtin}/{hub_lot.code}").json()
    witness = note.generate_cosigner("witness.sct.example")
    (tmp_path / "witness.checkpoint").write_text(note.cosign(bundle["checkpoint"], witness))
    bundle["events"][1]["proof"][0] = tlog.encode_hash(bytes(32))
    (tmp_path / "bad.json").write_text(json.dumps(bundle))
    bad = third_party("taybac_verify", "bad.json", "--key", log.public_key(), "--no-state")
    assert bad.returncode == 1 and "event #2 (" in bad.stdout and "is NOT in the signed log" in bad.stdout, bad.stdout

    witnessed = [url, "--key", log.public_key(), "--previous-checkpoint", "witness.checkpoint", "--witness-key"]
    good = third_party("taybac_verify", *witnessed, note.cosigner_key(witness))
    assert good.returncode == 0, good.stdout + good.stderr
    assert "is cosigned by the witness witness.sct.example (cosignature/v1," in good.stdout
    old_key = note.verifier_key(note.generate_signer("witness.sct.example"))
    refused = third_party("taybac_verify", *witnessed, old_key)
    assert refused.returncode == 1 and "cannot check a cosignature" in refused.stdout, refused.stdout


def test_the_witness_command_runs_without_django(live_server, hub_lot, third_party, tmp_path):
    made = third_party("taybac_verify.witness", "keygen", "witness.sct.example", "witness.key")
    assert made.returncode == 0, made.stderr
    witness_key = made.stdout.strip()
    assert base64.b64decode(witness_key.split("+", 2)[2])[0] == 0x04
    polled = third_party(
        "taybac_verify.witness",
        "run",
        "--hub",
        live_server.url,
        "--log-key",
        log.public_key(),
        "--signer-file",
        "witness.key",
        "--state-dir",
        "witnessed",
    )
    assert polled.returncode == 0, polled.stdout + polled.stderr
    cosigned = (tmp_path / "witnessed" / "checkpoint").read_text()
    assert note.verify_cosignature(cosigned, witness_key) > 0
    assert note.open_checkpoint(cosigned, log.public_key()).size == 3
