"""A real `prefect server` started by the test, the deployments on a short interval: a scheduled run
catalogues a file dropped in the inbox. Slow (the server takes 5-12 s to start); run in CI."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT
from flows.server import free_port, start_deployments, start_server, stop

pytestmark = pytest.mark.slow
# A scheduled run needs the server, the runner's first poll and a flow-run subprocess: minutes at worst.
DEADLINE_SECONDS = 240


def test_scheduled_inbox_run_catalogues_a_file(tmp_path):
    from pipeline.catalogue import connect

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    target = inbox / "hanoi.txt"
    target.write_bytes((CORPUS / "dev" / "hanoi-dang-ky-sang-kien-2021.txt").read_bytes())
    old = time.time() - 3600
    os.utime(target, (old, old))
    db_path = tmp_path / "c.db"
    port = free_port()
    home = tmp_path / "prefect"
    server = runner = None
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        server = start_server(port, home)
        runner = start_deployments(port, home, ["--db", str(db_path), "--raw", str(tmp_path / "raw"),
                                                "--inbox", str(inbox), "--inbox-every", "5", "--settle", "1"])
        deadline = time.monotonic() + DEADLINE_SECONDS
        moved = inbox / "processed" / "hanoi.txt"
        while time.monotonic() < deadline and not moved.exists():
            assert runner.poll() is None, "the deployment runner exited"
            time.sleep(1)  # waiting on a schedule we do not control: poll the outcome
        assert moved.exists(), "no scheduled inbox run within the deadline"
        db = connect(db_path)
        assert db.execute("SELECT COUNT(*) FROM documents WHERE path = 'hanoi.txt'").fetchone()[0] == 1
        assert db.execute("SELECT outcome FROM inbox_log").fetchone()[0] == "processed"
    finally:
        stop(runner)
        stop(server)
        os.chdir(cwd)


def test_cchc_serve_starts_and_stops_cleanly_on_sigterm(tmp_path):
    import signal
    import socket
    import subprocess
    import sys

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "cchc", "serve", "--port", str(port), "--db",
                             str(tmp_path / "c.db"), "--inbox", str(tmp_path / "inbox")],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    lines = []
    for line in proc.stdout:  # blocks until serve reports the UI address
        lines.append(line)
        if "deployments:" in line:
            break
    assert any(f"http://127.0.0.1:{port}" in l for l in lines), lines
    _check_the_api_is_closed(port, tmp_path / "output" / "prefect" / "api-auth")
    proc.send_signal(signal.SIGTERM)
    rest = proc.communicate(timeout=60)[0]
    assert proc.returncode == 0 and "stopped" in rest
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def _check_the_api_is_closed(port: int, auth_file: Path) -> None:
    """No request without the shared secret, no cross-origin request from a web page, and no deployed
    flow that takes a path: a page in the user's browser cannot start the inbox on another folder."""
    import base64
    import json
    import urllib.error
    import urllib.request

    api = f"http://127.0.0.1:{port}/api"
    assert (auth_file.stat().st_mode & 0o077) == 0  # the secret is its owner's only
    with pytest.raises(urllib.error.HTTPError) as unauthorised:
        urllib.request.urlopen(f"{api}/deployments/")
    assert unauthorised.value.code == 401
    preflight = urllib.request.Request(f"{api}/deployments/filter", method="OPTIONS", headers={
        "Origin": "http://evil.example", "Access-Control-Request-Method": "POST"})
    with pytest.raises(urllib.error.HTTPError) as cross_origin:
        urllib.request.urlopen(preflight)
    assert cross_origin.value.code == 400
    assert cross_origin.value.headers.get("access-control-allow-origin") is None
    secret = base64.b64encode(auth_file.read_text(encoding="utf-8").strip().encode()).decode()
    auth = {"Authorization": f"Basic {secret}"}
    token = json.load(urllib.request.urlopen(urllib.request.Request(f"{api}/csrf-token?client=test", headers=auth)))
    headers = {**auth, "Prefect-Csrf-Token": token["token"], "Prefect-Csrf-Client": "test",
               "Content-Type": "application/json"}
    deadline = time.monotonic() + DEADLINE_SECONDS
    deployments: list = []
    while len(deployments) < 3 and time.monotonic() < deadline:
        time.sleep(1)  # the runner registers the deployments after serve reports them: poll the outcome
        request = urllib.request.Request(f"{api}/deployments/filter", data=b"{}", headers=headers, method="POST")
        deployments = json.load(urllib.request.urlopen(request))
    parameters = {d["name"]: set(d["parameter_openapi_schema"].get("properties", {})) for d in deployments}
    assert parameters == {"crawl": set(), "inbox": set(), "reprocess": {"everything"}}
