"""The review server: a small loopback-only HTTP app from the standard library.

Why the standard library: the page needs a dozen JSON routes and three static
files, one user, one file; ``http.server`` does that with no new dependency
and no event loop to manage.

Security, even though it is local:
- it binds 127.0.0.1 only;
- every URL starts with a random token (``/TOKEN/...``); any request without it gets 403;
- a Host header that is not the loopback address gets 403 (DNS rebinding);
- edits are JSON POSTs (a cross-site form cannot send them), and the page
  never sends a file path: the server works on the one file it was started with;
- the page puts text in with ``textContent``, never as HTML.
"""

from __future__ import annotations

import hmac
import json
import math
import secrets
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from aligner.errors import AlignerError
from aligner.review.document import Alignment, reviewed_beads, score_of
from aligner.review.edits import OPS, EditError
from aligner.review.journal import Journal

STATIC = {"index.html": "text/html; charset=utf-8", "app.js": "text/javascript; charset=utf-8",
          "app.css": "text/css; charset=utf-8"}
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
DOWNLOADS = ("tmx", "tsv", "csv", "jsonl")
MAX_BODY = 1 << 20


class ReviewApp:
    """The state behind the routes: the alignment, its journal and the token. Thread-safe."""

    def __init__(self, doc: Alignment, journal: Journal, name: str, meta: dict | None = None,
                 token: str | None = None) -> None:
        self.doc = doc
        self.journal = journal
        self.name = name
        self.meta = meta or {}
        self.token = token or secrets.token_urlsafe(24)
        self.lock = threading.Lock()

    def document(self) -> dict:
        """Everything the page needs once: the sentences of every group, and the current state."""
        groups = [{"ru": [s.text for s in g.ru], "en": [s.text for s in g.en],
                   "ru_ids": [list(s.ids) for s in g.ru], "en_ids": [list(s.ids) for s in g.en]}
                  for g in self.doc.groups]
        with self.lock:
            return {"name": self.name, "groups": groups, "state": self._state()}

    def _state(self) -> dict:
        history = self.journal.history
        state = history.state
        beads = []
        for i, span in enumerate(state.beads):
            edited = state.edited(i)
            score = score_of(self.doc, state, i)
            reason = None if edited else self.doc.dropped[span.origin]
            flags = (1 if span.confirmed else 0) | (2 if edited else 0)
            beads.append([span.group, span.ru[0], span.ru[1], span.en[0], span.en[1],
                          None if score is None or not math.isfinite(score) else round(score, 4), flags, reason])
        texts = [[g, side, pos, text] for (g, side, pos), text in sorted(state.texts.items())]
        return {"beads": beads, "texts": texts, "can_undo": history.can_undo, "can_redo": history.can_redo,
                "edits": len(history.ops)}

    def edit(self, body: dict) -> dict:
        """Apply one edit record (or undo/redo), journal it, return the new state."""
        name = body.get("op")
        if name in ("undo", "redo"):
            record = {"op": name}
        elif name in OPS:
            record = {"op": name, **{p: body[p] for p in OPS[name][1] if p in body}}
        else:
            raise EditError(f"unknown edit {name!r}")
        with self.lock:
            self.journal.append(record)
            return self._state()

    def export(self, fmt: str) -> bytes:
        """The reviewed alignment in ``fmt``, through the same writer as ``--export``."""
        from aligner.writers import write

        with self.lock:
            beads = reviewed_beads(self.doc, self.journal.history.state)
        if fmt != "jsonl":
            beads = [b for b in beads if "dropped" not in b.provenance]
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / f"reviewed.{fmt}"
            write(beads, out, fmt, meta=self.meta if fmt == "tmx" else None)
            return out.read_bytes()


def _static(name: str) -> bytes:
    return resources.files("aligner.review").joinpath("static", name).read_bytes()


def _host_ok(host: str | None, port: int) -> bool:
    if not host:
        return False
    host = host.strip().lower()
    return any(host in (h, f"{h}:{port}") for h in LOOPBACK_HOSTS)


def make_handler(app: ReviewApp) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "aligner-review"
        sys_version = ""

        def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
            return None  # quiet: stdout carries only the URL

        def _send(self, code: int, body: bytes, ctype: str = "text/plain; charset=utf-8",
                  extra: dict | None = None) -> None:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            self.send_header("Content-Security-Policy",
                             "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                             "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _json(self, code: int, obj: object) -> None:
            self._send(code, json.dumps(obj, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

        def _route(self) -> str | None:
            """The path after the token, or None (after answering 403) when the request may not pass."""
            if not _host_ok(self.headers.get("Host"), self.server.server_address[1]):
                self._send(403, b"forbidden: the Host header is not the loopback address\n")
                return None
            path = urlsplit(self.path).path
            prefix = f"/{app.token}/"
            head = path[:len(prefix)]
            if not hmac.compare_digest(head.encode("utf-8"), prefix.encode("utf-8")):
                self._send(403, b"forbidden: open the URL that aligner review printed\n")
                return None
            return path[len(prefix):]

        def do_GET(self) -> None:  # noqa: N802 - the base class's name
            route = self._route()
            if route is None:
                return
            if route in ("", "index.html"):
                self._send(200, _static("index.html"), STATIC["index.html"])
            elif route in STATIC:
                self._send(200, _static(route), STATIC[route])
            elif route == "api/doc":
                self._json(200, app.document())
            elif route == "api/export":
                fmt = (parse_qs(urlsplit(self.path).query).get("format") or ["tmx"])[0]
                if fmt not in DOWNLOADS:
                    self._json(400, {"error": f"unknown format {fmt!r}; use one of {', '.join(DOWNLOADS)}"})
                    return
                stem = Path(app.name).stem
                self._send(200, app.export(fmt), "application/octet-stream",
                           {"Content-Disposition": f'attachment; filename="{stem}.reviewed.{fmt}"'})
            else:
                self._send(404, b"not found\n")

        do_HEAD = do_GET

        def do_POST(self) -> None:  # noqa: N802
            route = self._route()
            if route is None:
                return
            if route != "api/edit":
                self._send(404, b"not found\n")
                return
            if not (self.headers.get("Content-Type") or "").startswith("application/json"):
                self._json(415, {"error": "send JSON"})
                return
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if not 0 < length <= MAX_BODY:
                self._json(413, {"error": "bad request size"})
                return
            try:
                body = json.loads(self.rfile.read(length).decode("utf-8"))
                if not isinstance(body, dict):
                    raise ValueError("not an object")
            except ValueError:
                self._json(400, {"error": "the body is not a JSON object"})
                return
            try:
                self._json(200, app.edit(body))
            except EditError as exc:
                self._json(409, {"error": str(exc)})
            except AlignerError as exc:
                self._json(500, {"error": str(exc)})

    return Handler


class ReviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve(app: ReviewApp, port: int = 0) -> ReviewServer:
    """Bind 127.0.0.1:``port`` (0: a free one); the caller runs ``serve_forever``.

    Raises:
        AlignerError: the port is taken or not allowed.
    """
    try:
        return ReviewServer(("127.0.0.1", port), make_handler(app))
    except OSError as exc:
        raise AlignerError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}; "
                           "choose another --port or leave it out") from None


def url(server: ReviewServer, app: ReviewApp) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/{app.token}/"
