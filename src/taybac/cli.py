"""The `taybac` command: `taybac demo`, `taybac serve`, `taybac worker` and every Django management command."""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taybac.settings")
    import django

    django.setup()


def _prepare_data_dir() -> None:
    from django.conf import settings

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)


def _listen_here(host: str, port: int) -> None:
    """Before the settings are read: the public URL (QR codes, Digital Links, SMS links, the log's name) defaults
    to where this process listens, unless TAYBAC_PUBLIC_URL says otherwise (a proxy, a domain name)."""
    os.environ["TAYBAC_HOST"] = host
    os.environ["TAYBAC_PORT"] = str(port)


def _tell_log_name() -> None:
    """The log's name is fixed by its key when first created; say so when it no longer matches the public URL
    (the demo restarted on another port), instead of silently keeping a name that looks wrong."""
    from urllib.parse import urlsplit

    from django.conf import settings

    from taybac.traceability import log

    name = log.origin()
    if not settings.TAYBAC_LOG_ORIGIN and name != f"{urlsplit(settings.PUBLIC_URL).netloc}/log":
        print(
            f"taybac: the transparency log keeps its name {name!r}, fixed when its key was created in "
            f"{log.key_path().parent}; QR codes and links use {settings.PUBLIC_URL}. A log cannot be renamed: "
            f"delete {settings.DATA_DIR} to start a demo over under the new name.",
            flush=True,
        )


def _refuse_rolled_back_log() -> None:
    """Stop with the reason instead of a traceback when the database's log is behind the newest checkpoint this
    hub signed (its record beside the key): the usual cause on a demo is a deleted database file."""
    from taybac.traceability import log

    try:
        log.servable_checkpoint()
    except log.LogRollbackError as exc:
        sys.exit(
            f"taybac: {exc}.\nStarting a demo over from a deleted database? Delete {log.key_path().parent} "
            f"as well: a new log needs a new signing key."
        )


def _serve(host: str, port: int, threads: int) -> None:
    from django.conf import settings
    from waitress.server import create_server

    from taybac.wsgi import application

    proxy: dict[str, str] = {}
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        # The proxy on this machine tells us the client's address and scheme.
        proxy = {"trusted_proxy": "127.0.0.1", "trusted_proxy_headers": "x-forwarded-for x-forwarded-proto"}
    # Bind first, then announce: whoever waits for the line (a person, a script, a test) can connect at once.
    logging.basicConfig()  # as waitress.serve does: its warnings (queue depth, bad requests) reach the console
    server = create_server(application, host=host, port=port, threads=threads, ident="taybac", **proxy)
    print(f"Tây Bắc Hub: http://{host}:{port}/  (Ctrl+C để dừng)", flush=True)
    server.run()


def _prepare_jobs() -> None:
    """Create the job store's tables before the web process queues its first job (docs/jobs.md)."""
    from taybac.core.jobs import prepare_storage

    try:
        prepare_storage()
    except Exception as exc:  # the web still serves; messages wait in the outbox for `taybac worker` to set up
        print(f"taybac: the job store is not ready ({exc}); `taybac worker` creates it.", file=sys.stderr)


def _start_events(host: str, port: int) -> subprocess.Popen[bytes] | None:
    """`taybac demo`: the live pages' server-sent events in their own process on the next port
    (campaigns/live_events.py), as waitress's fixed thread pool cannot hold thousands of open streams. In
    production `taybac events` is a unit of its own (docs/deploy.md); TAYBAC_LIVE_EVENTS=0 skips it here too."""
    if os.environ.get("TAYBAC_LIVE_EVENTS", "1") == "0":
        return None
    command = [sys.executable, "-m", "taybac.cli", "events", "--host", host, "--port", str(port + 1)]
    env = {**os.environ, "TAYBAC_LIVE_EVENTS_CHILD": "1"}  # it stops when this process is gone
    return subprocess.Popen(command, env=env)  # our own interpreter and module, no shell


def _stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is not None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _serve_with_jobs(host: str, port: int, threads: int) -> None:
    """`taybac demo`: the background jobs run in this process (threads) while it serves, and stop with it."""
    import signal

    from taybac.core.jobs import BackgroundWorker

    worker = BackgroundWorker()
    worker.start()
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))  # stop the jobs too, not only the server
    events = _start_events(host, port)
    try:
        _serve(host, port, threads)
    finally:
        worker.stop()
        _stop(events)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in {"demo", "serve"}:
        parser = argparse.ArgumentParser(prog=f"taybac {argv[0]}")
        parser.add_argument("--host", default=os.environ.get("TAYBAC_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("TAYBAC_PORT", "8000")))
        parser.add_argument("--threads", type=int, default=8)
        if argv[0] == "demo":
            parser.add_argument("--no-serve", action="store_true", help="prepare the demo data and exit")
        else:
            parser.add_argument(
                "--no-migrate",
                action="store_true",
                help="skip migrations and collectstatic (when a release step has already run them)",
            )
        args = parser.parse_args(argv[1:])
        _listen_here(args.host, args.port)
        if argv[0] == "demo":
            os.environ.setdefault("TAYBAC_DEBUG", "0")
            os.environ.setdefault("TAYBAC_DEMO", "1")  # the log may show whole phone numbers (core/senders.py)
        _setup_django()
        _prepare_data_dir()
        from django.conf import settings
        from django.core.management import call_command

        from taybac.core.staticfiles import collect

        release = not getattr(args, "no_migrate", False)  # the release step's work, unless it has been done
        if release:
            call_command("migrate", interactive=False, verbosity=0)
        _refuse_rolled_back_log()
        _tell_log_name()
        if release:
            collect()  # several processes started with --no-migrate must not write the same files at once
        if argv[0] == "demo":
            from taybac.demo.loader import load_demo_data

            _prepare_jobs()  # the demo's orders queue their text messages
            summary = load_demo_data()
            print(summary, flush=True)
            from taybac.insights.tasks import refresh_stored_forecasts_if_stale

            refresh_stored_forecasts_if_stale()  # the dashboard's forecasts, made by the worker thread (insights.md)
            print(f"Địa chỉ công khai (public URL, in QR codes and links): {settings.PUBLIC_URL}", flush=True)
            if args.no_serve:
                return
            _serve_with_jobs(args.host, args.port, args.threads)
            return
        if not os.environ.get("TAYBAC_PUBLIC_URL", "").strip():
            print(
                f"taybac: TAYBAC_PUBLIC_URL is not set, so QR codes and links say {settings.PUBLIC_URL}; "
                "set it to the hub's public address in production (docs/deploy.md).",
                file=sys.stderr,
                flush=True,
            )
        _prepare_jobs()
        _serve(args.host, args.port, args.threads)  # the live events run as their own unit (docs/deploy.md)
        return
    if argv and argv[0] == "events":
        parser = argparse.ArgumentParser(prog="taybac events")
        parser.add_argument("--host", default=os.environ.get("TAYBAC_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("TAYBAC_PORT", "8000")) + 1)
        args = parser.parse_args(argv[1:])
        _setup_django()
        from taybac.campaigns.live_events import serve

        serve(host=args.host, port=args.port)
        return
    _setup_django()
    _prepare_data_dir()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["taybac", *argv])


if __name__ == "__main__":
    main()
