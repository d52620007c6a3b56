"""The server: token, Host header, JSON-only edits, downloads; and the CLI's URL line, lock and Ctrl-C."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
from urllib.parse import urlsplit

import pytest
from lxml import etree

from aligner.review.document import read_alignment
from aligner.review.journal import Journal
from aligner.review.server import ReviewApp, serve
from tests.conftest import REPO


@pytest.fixture
def server(lighthouse):
    doc = read_alignment(lighthouse)
    journal = Journal.open(lighthouse, doc.initial)
    app = ReviewApp(doc, journal, lighthouse.name, meta=doc.meta)
    srv = serve(app, 0)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv, app
    srv.shutdown()
    srv.server_close()
    journal.close()


def request(srv, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", srv.server_address[1], timeout=10)
    conn.request(method, path, body=body, headers=headers or {})
    res = conn.getresponse()
    data = res.read()
    conn.close()
    return res.status, data, res


def test_it_listens_on_loopback_only(server):
    srv, _ = server
    assert srv.server_address[0] == "127.0.0.1"


@pytest.mark.parametrize("path", ["/", "/index.html", "/api/doc", "/static/app.js", "/WRONGTOKEN/api/doc", "/{t}"])
def test_every_request_without_the_token_gets_403(server, path):
    srv, app = server
    status, body, _ = request(srv, "GET", path.format(t=app.token))
    assert status == 403 and b"forbidden" in body


def test_an_edit_without_the_token_gets_403_and_changes_nothing(server):
    srv, app = server
    status, _, _ = request(srv, "POST", "/api/edit", json.dumps({"op": "merge", "i": 0}),
                           {"Content-Type": "application/json"})
    assert status == 403 and app.journal.history.ops == []


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.evil.example", "10.0.0.1:{port}", ""])
def test_a_host_header_that_is_not_loopback_gets_403(server, host):
    srv, app = server
    status, body, _ = request(srv, "GET", f"/{app.token}/api/doc", headers={"Host": host.format(port=srv.server_address[1])})
    assert status == 403 and b"Host" in body


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "127.0.0.1"])
def test_the_page_and_assets_load_with_the_token(server, host):
    srv, app = server
    headers = {"Host": host.format(port=srv.server_address[1])}
    for name, kind in [("", "text/html"), ("app.js", "text/javascript"), ("app.css", "text/css")]:
        status, body, res = request(srv, "GET", f"/{app.token}/{name}", headers=headers)
        assert status == 200 and res.getheader("Content-Type").startswith(kind)
        assert "default-src 'none'" in res.getheader("Content-Security-Policy")
        assert b"http://" not in body and b"https://" not in body  # nothing from the network


def test_edits_are_json_posts_and_are_journalled(server):
    srv, app = server
    base = f"/{app.token}/api/edit"
    status, _, _ = request(srv, "POST", base, "op=merge&i=0", {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 415
    status, body, _ = request(srv, "POST", base, json.dumps({"op": "merge", "i": 0}), {"Content-Type": "application/json"})
    assert status == 200 and json.loads(body)["beads"][0][2] == 2
    status, body, _ = request(srv, "POST", base, json.dumps({"op": "merge", "i": 999}), {"Content-Type": "application/json"})
    assert status == 409 and "no bead" in json.loads(body)["error"]
    status, _, _ = request(srv, "POST", base, "[]", {"Content-Type": "application/json"})
    assert status == 400
    lines = app.journal.path.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[-1]) == {"op": "merge", "i": 0}


def test_the_page_cannot_name_a_file(server):
    srv, app = server
    op = {"op": "confirm", "i": 0, "path": "/etc/passwd", "output": "/tmp/x"}
    status, _, _ = request(srv, "POST", f"/{app.token}/api/edit", json.dumps(op), {"Content-Type": "application/json"})
    assert status == 200
    assert json.loads(app.journal.path.read_text().splitlines()[-1]) == {"op": "confirm", "i": 0}
    status, _, _ = request(srv, "GET", f"/{app.token}/api/export?format=../../etc/passwd")
    assert status == 400


def test_the_tmx_download_is_the_reviewed_alignment(server):
    srv, app = server
    request(srv, "POST", f"/{app.token}/api/edit", json.dumps({"op": "confirm", "i": 1}), {"Content-Type": "application/json"})
    status, body, res = request(srv, "GET", f"/{app.token}/api/export?format=tmx")
    assert status == 200 and "attachment" in res.getheader("Content-Disposition")
    tus = etree.fromstring(body).findall("body/tu")
    assert [p.text for p in tus[1].findall("prop") if p.get("type") == "x-review"] == ["confirmed"]


def _start_cli(path, *extra):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "aligner", "review", str(path), "--no-browser", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_cli_prints_the_url_first_refuses_a_second_server_and_stops_on_ctrl_c(lighthouse):
    port = _free_port()
    proc = _start_cli(lighthouse, "--port", str(port))
    try:
        first = proc.stdout.readline().strip()
        parts = urlsplit(first)
        assert parts.scheme == "http" and parts.hostname == "127.0.0.1" and len(parts.path) > 20
        assert parts.port == port
        conn = http.client.HTTPConnection("127.0.0.1", parts.port, timeout=10)
        conn.request("GET", parts.path + "api/doc")
        assert conn.getresponse().status == 200
        second = _start_cli(lighthouse)
        out, err = second.communicate(timeout=60)
        assert second.returncode == 2 and out == ""
        assert err.count("\n") == 1 and "already open in another review server" in err
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)
    assert proc.returncode == 0
