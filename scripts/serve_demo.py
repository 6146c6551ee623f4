"""Serve the demo: the job worker in the background, the site in the foreground, and a mail sink.

Unless EMAIL_HOST is set (then the site and the worker send there), a local SMTP server
on 127.0.0.1 keeps every mail the demo sends (confirmations, editions, test copies) under
var/demo-mail/, and a small page on 127.0.0.1 lists and shows them, so a new user sees
the newsletter mails without configuring anything. Everything a mail holds is escaped on
that page; its HTML part is shown in a sandboxed frame (no scripts, links open a new tab).
A mail's one-click unsubscribe can be tried from there: the page POSTs
`List-Unsubscribe=One-Click` to the mail's own HTTPS/HTTP address, as a mail provider
would (RFC 8058), and only to the demo site itself.

A webhook receiver on 127.0.0.1 (port 8026, or any free one) takes the demo webhook's
POSTs (`manage.py demo_webhook` points the webhook at it and writes its secret to
var/demo-webhook-secret), checks each signature as the README tells receivers to, prints
a line per delivery and lists them on its own page, so publishing an article in the admin
can be seen arriving, signed, within seconds.
"""

from __future__ import annotations

import argparse
import collections
import email
import email.policy
import hashlib
import hmac
import html
import itertools
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MAILDIR = ROOT / "var" / "demo-mail"
SMTP_PORT = 1025
PAGE_PORT = 8025
HOOK_PORT = 8026
HOOK_SECRET_FILE = ROOT / "var" / "demo-webhook-secret"
HOOK_MAX_BYTES = 5_000_000
MAIL_NAME = re.compile(r"^[0-9]{8}-[0-9]{6}-[0-9]{6}\.eml$")
URL = re.compile(r"https?://[^\s<>\"']+")


def port_or_free(port: int) -> int:
    """The usual port if it is free on 127.0.0.1, else any free one."""
    for wanted in (port, 0):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", wanted))
            except OSError:
                continue
            return int(probe.getsockname()[1])
    raise SystemExit("No free port on 127.0.0.1")


# --- The SMTP sink -------------------------------------------------------------------------


class KeepingHandler:
    """aiosmtpd's DATA hook: every message accepted is written to var/demo-mail/ as it came."""

    lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        MAILDIR.mkdir(parents=True, exist_ok=True)
        with self.lock:
            while True:  # one file per message; the name is its arrival time
                path = MAILDIR / (time.strftime("%Y%m%d-%H%M%S-") + f"{time.time_ns() // 1000 % 1_000_000:06d}.eml")
                if not path.exists():
                    break
            path.write_bytes(bytes(envelope.original_content or envelope.content))
        return "250 Kept in var/demo-mail"


def start_sink(port: int) -> Any:
    from aiosmtpd.controller import Controller  # a development dependency: only the demo needs it

    controller = Controller(KeepingHandler(), hostname="127.0.0.1", port=port)
    controller.start()
    return controller


# --- The page showing the kept mail ------------------------------------------------------


def read_mail(name: str) -> EmailMessage | None:
    if not MAIL_NAME.match(name) or not (MAILDIR / name).is_file():
        return None
    parsed = email.message_from_bytes((MAILDIR / name).read_bytes(), policy=email.policy.default)
    return parsed if isinstance(parsed, EmailMessage) else None


def body_of(message: EmailMessage, kind: str) -> str:
    part = message.get_body(preferencelist=(kind,))
    return str(part.get_content()) if part is not None else ""


def linked(text: str) -> str:
    """Escaped text whose web addresses are links."""
    out, last = [], 0
    for found in URL.finditer(text):
        out.append(html.escape(text[last : found.start()]))
        address = html.escape(found.group(0))
        out.append(f'<a href="{address}" target="_blank" rel="noopener noreferrer">{address}</a>')
        last = found.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def page(title: str, body: str) -> bytes:
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>"
        "body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}"
        "td,th{padding:.3rem .6rem;text-align:left;border-bottom:1px solid #ddd}"
        "pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}"
        "iframe{width:100%;height:40rem;border:1px solid #ccc}</style></head>"
        f"<body>{body}</body></html>"
    ).encode()


def one_click_address(message: EmailMessage, site: str) -> str:
    """The mail's one-click unsubscribe address, if it has one on the demo site."""
    if message.get("List-Unsubscribe-Post", "") != "List-Unsubscribe=One-Click":
        return ""
    for entry in str(message.get("List-Unsubscribe", "")).split(","):
        address = entry.strip().strip("<>")
        parts = urllib.parse.urlsplit(address)
        if parts.scheme in ("http", "https") and f"{parts.scheme}://{parts.netloc}" == site:
            return address
    return ""


class MailPages(BaseHTTPRequestHandler):
    site = ""  # the demo site's origin, set before serving

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def answer(self, status: int, body: bytes, kind: str = "text/html; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        # The mail's HTML runs in a sandboxed frame; no script runs on these pages at all.
        self.send_header(
            "Content-Security-Policy",
            "default-src 'none'; img-src http: https: data:; style-src 'unsafe-inline'; frame-src 'self'",
        )
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        if path == "/":
            return self.answer(200, self.listing())
        name = path.removeprefix("/mail/")
        message = read_mail(name) if path.startswith("/mail/") else None
        if message is None:
            return self.answer(404, page("Not found", "<p>No such mail. <a href='/'>All mail</a></p>"))
        return self.answer(200, self.showing(name, message))

    def do_POST(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        message = read_mail(path.removeprefix("/unsubscribe/")) if path.startswith("/unsubscribe/") else None
        address = one_click_address(message, self.site) if message is not None else ""
        if not address:
            return self.answer(404, page("Not found", "<p>No one-click address in that mail.</p>"))
        request = urllib.request.Request(address, data=b"List-Unsubscribe=One-Click", method="POST")  # noqa: S310
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:  # noqa: S310 - only the demo site
                status = reply.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError as error:
            return self.answer(502, page("Unsubscribe", f"<p>The site did not answer: {html.escape(str(error))}</p>"))
        return self.answer(200, page("Unsubscribe", f"<p>The site answered {status}. <a href='/'>All mail</a></p>"))

    def listing(self) -> bytes:
        rows = []
        for path in sorted(MAILDIR.glob("*.eml"), reverse=True)[:500]:
            message = read_mail(path.name)
            if message is None:
                continue
            cells = [str(message.get(name, "")) for name in ("Date", "To", "Subject")]
            link = f"<a href='/mail/{html.escape(path.name)}'>{html.escape(cells[2] or '(no subject)')}</a>"
            rows.append(f"<tr><td>{html.escape(cells[0])}</td><td>{html.escape(cells[1])}</td><td>{link}</td></tr>")
        table = "".join(rows) or "<tr><td colspan='3'>No mail yet. Sign up on the site, then reload.</td></tr>"
        return page(
            "Demo mail",
            "<h1>Mail sent by the demo</h1><p>Newest first, kept in var/demo-mail/.</p>"
            f"<table><tr><th>Date</th><th>To</th><th>Subject</th></tr>{table}</table>",
        )

    def showing(self, name: str, message: EmailMessage) -> bytes:
        headers = "".join(
            f"<tr><th>{html.escape(key)}</th><td>{html.escape(str(value))}</td></tr>" for key, value in message.items()
        )
        text, rich = body_of(message, "plain"), body_of(message, "html")
        parts = [f"<p><a href='/'>All mail</a></p><h1>{html.escape(str(message.get('Subject', '')))}</h1>"]
        if one_click_address(message, self.site):
            parts.append(
                f"<form method='post' action='/unsubscribe/{html.escape(name)}'>"
                "<button>One-click unsubscribe (POST List-Unsubscribe=One-Click, as a mail provider would)</button>"
                "</form>"
            )
        if rich:
            framed = "<base target='_blank'>" + rich
            parts.append(
                "<h2>HTML part</h2><iframe title='The HTML part of the mail' "
                "sandbox='allow-popups allow-popups-to-escape-sandbox' "
                f'srcdoc="{html.escape(framed, quote=True)}"></iframe>'
            )
        parts.append(f"<h2>Plain-text part</h2><pre>{linked(text)}</pre>")
        parts.append(f"<h2>Headers</h2><table>{headers}</table>")
        return page(str(message.get("Subject", "Mail")), "".join(parts))


def start_pages(port: int, site: str) -> ThreadingHTTPServer:
    MailPages.site = site
    server = ThreadingHTTPServer(("127.0.0.1", port), MailPages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# --- The webhook receiver ----------------------------------------------------------------------


def verify_newsdesk_signature(secret: str, header: str, body: bytes, tolerance: int = 300) -> bool:
    """The README's check: True if `header` (X-Newsdesk-Signature) signs the raw `body` with `secret`."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields.get("v1", ""))


class HookPages(BaseHTTPRequestHandler):
    """POST: one delivery, checked and kept in memory (the newest 200). GET /: the list; GET /n: one delivery."""

    kept: collections.deque[dict[str, Any]] = collections.deque(maxlen=200)
    numbers = itertools.count(1)
    lock = threading.Lock()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > HOOK_MAX_BYTES:
            return self.answer(413, b"")
        body = self.rfile.read(length)
        secret = HOOK_SECRET_FILE.read_text().strip() if HOOK_SECRET_FILE.is_file() else ""
        verified = bool(secret) and verify_newsdesk_signature(
            secret, self.headers.get("X-Newsdesk-Signature", ""), body
        )
        try:
            payload = json.loads(body)
        except ValueError:
            payload = None
        event = str(payload.get("event", "?")) if isinstance(payload, dict) else "?"
        with self.lock:
            self.kept.appendleft(
                {
                    "at": time.strftime("%H:%M:%S"),
                    "event": event,
                    "verified": verified,
                    "body": body,
                    "headers": dict(self.headers),
                    "number": next(self.numbers),
                }
            )
        print(f"Webhook received: {event} (signature {'verified' if verified else 'NOT verified'})", flush=True)
        self.answer(204 if verified else 401, b"")

    def do_GET(self) -> None:
        path = urllib.parse.urlsplit(self.path).path.strip("/")
        with self.lock:
            kept = list(self.kept)
        if not path:
            return self.answer(200, self.listing(kept))
        found = next((item for item in kept if str(item["number"]) == path), None)
        if found is None:
            return self.answer(404, page("Not found", "<p>No such delivery. <a href='/'>All deliveries</a></p>"))
        return self.answer(200, self.showing(found))

    def listing(self, kept: list[dict[str, Any]]) -> bytes:
        rows = (
            "".join(
                f"<tr><td>{item['at']}</td><td><a href='/{item['number']}'>{html.escape(item['event'])}</a></td>"
                f"<td>{'verified' if item['verified'] else '<strong>not verified</strong>'}</td></tr>"
                for item in kept
            )
            or "<tr><td colspan='3'>Nothing yet. Publish an article in the admin, then reload.</td></tr>"
        )
        return page(
            "Demo webhooks",
            "<h1>Webhooks received by the demo</h1><p>Newest first; kept in memory while the demo runs.</p>"
            f"<table><tr><th>Time</th><th>Event</th><th>Signature</th></tr>{rows}</table>",
        )

    def showing(self, item: dict[str, Any]) -> bytes:
        try:
            shown = json.dumps(json.loads(item["body"]), indent=2, ensure_ascii=False)
        except ValueError:
            shown = item["body"].decode("utf-8", "replace")
        headers = "".join(
            f"<tr><th>{html.escape(key)}</th><td>{html.escape(str(value))}</td></tr>"
            for key, value in item["headers"].items()
        )
        return page(
            item["event"],
            f"<p><a href='/'>All deliveries</a></p><h1>{html.escape(item['event'])}</h1>"
            f"<p>Signature {'verified' if item['verified'] else 'not verified'}.</p>"
            f"<h2>Headers</h2><table>{headers}</table><h2>Body</h2><pre>{html.escape(shown)}</pre>",
        )


def start_hooks(port: int) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", port), HookPages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# --- The demo ------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    args = parser.parse_args()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "newsdesk.settings.dev")}
    site = f"http://{args.host}:{args.port}"
    # Links in the demo's mails point at this server, whatever port it runs on.
    env.setdefault("NEWSDESK_BASE_URL", site)
    sink, pages = None, None
    if not os.environ.get("EMAIL_HOST"):
        smtp_port, page_port = port_or_free(SMTP_PORT), port_or_free(PAGE_PORT)
        sink = start_sink(smtp_port)
        pages = start_pages(page_port, env["NEWSDESK_BASE_URL"].rstrip("/"))
        env.update({"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port), "EMAIL_USE_TLS": "0"})
        for name in ("EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_BACKEND"):
            env.pop(name, None)
        print(f"Mail sink: SMTP on 127.0.0.1:{smtp_port}; read the demo's mail at http://127.0.0.1:{page_port}/")
    else:
        print(f"Mail goes to {os.environ['EMAIL_HOST']} (EMAIL_HOST).")
    manage = [sys.executable, str(ROOT / "manage.py")]
    hook_port = port_or_free(HOOK_PORT)
    hooks = start_hooks(hook_port)
    # Trusted by the development settings only (newsdesk/settings/dev.py), for the worker and the site.
    env["NEWSDESK_DEMO_WEBHOOK_RECEIVER"] = f"127.0.0.1:{hook_port}"
    subprocess.check_call(  # noqa: S603
        [
            *manage,
            "demo_webhook",
            "--url",
            f"http://127.0.0.1:{hook_port}/hooks/",
            "--secret-file",
            str(HOOK_SECRET_FILE),
        ],
        env=env,
        cwd=ROOT,
    )
    print(f"Webhook receiver: see what the demo webhook delivers at http://127.0.0.1:{hook_port}/")
    worker = subprocess.Popen([*manage, "run_worker", "--verbosity", "0"], env=env, cwd=ROOT)  # noqa: S603
    print(f"Job worker running (pid {worker.pid}).")
    print(f"Site: {site}/   Admin: {site}/admin/  (admin / newsdesk-demo)")
    try:
        return subprocess.call([*manage, "runserver", f"{args.host}:{args.port}", "--noreload"], env=env, cwd=ROOT)  # noqa: S603
    except KeyboardInterrupt:
        return 0
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
        hooks.shutdown()
        if pages is not None:
            pages.shutdown()
        if sink is not None:
            sink.stop()


if __name__ == "__main__":
    sys.exit(main())
