"""`taybac demo` as someone runs it from a fresh checkout: --port sets the public URL (QR codes, Digital Links,
SMS links, the log's name), static files are collected (hashed, gzip, cached for good) without a warning, the
demo's orders queue their messages, and a restart on another port keeps the log's name and says so."""

from __future__ import annotations

import gzip
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAYBAC_")}
    env.update(TAYBAC_DATA_DIR=str(data), PYTHONUNBUFFERED="1")
    return env


def _get(port: int, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
    response = connection.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    connection.close()
    return response


def test_demo_on_a_chosen_port(tmp_path):
    data, port = tmp_path / "var", _free_port()
    log = open(tmp_path / "demo.log", "w+")
    demo = subprocess.Popen(
        [sys.executable, "-m", "taybac.cli", "demo", "--port", str(port)],
        env=_env(data),
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 400
        while "Ctrl+C" not in (tmp_path / "demo.log").read_text():
            assert demo.poll() is None and time.monotonic() < deadline, (tmp_path / "demo.log").read_text()
            time.sleep(0.5)
        output = (tmp_path / "demo.log").read_text()
        assert f"http://127.0.0.1:{port}" in output
        assert "No directory at" not in output and "Traceback" not in output and "Could not queue" not in output
        home = _get(port, "/")
        assert home.status == 200
        page = (gzip.decompress(home.body) if home.getheader("Content-Encoding") == "gzip" else home.body).decode()
        [css] = re.findall(r'href="(/static/web/site\.[0-9a-f]{12}\.css)"', page)
        asset = _get(port, css)
        assert asset.getheader("Content-Encoding") == "gzip" and "immutable" in asset.getheader("Cache-Control")
        lot = _get(port, "/01/08939999000017/10/MV-BH-01").body
        lot_page = (gzip.decompress(lot) if lot[:2] == b"\x1f\x8b" else lot).decode()
        assert f"http://127.0.0.1:{port}/01/08939999000017/10/MV-BH-01" in lot_page  # the QR code's address
        key = (data / "keys" / "log-signer.key").read_text()
        assert f"127.0.0.1:{port}/log" in key  # the log is named after where the demo listens
        assert _get(port, "/robots.txt").status == 200
    finally:
        demo.send_signal(signal.SIGINT)
        demo.wait(timeout=60)
        log.close()
    # Again on another port: same data, the log keeps its name, and the demo says why.
    again = subprocess.run(
        [sys.executable, "-m", "taybac.cli", "demo", "--port", str(port + 1), "--no-serve"],
        env=_env(data),
        capture_output=True,
        text=True,
        timeout=400,
    )
    assert again.returncode == 0, again.stderr
    assert f"keeps its name '127.0.0.1:{port}/log'" in again.stdout
    assert f"http://127.0.0.1:{port + 1}" in again.stdout
