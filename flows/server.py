"""``cchc serve``: a real local Prefect server plus the deployments, stopped together.

Schedules do not fire on Prefect's temporary server, so this starts ``prefect server start``
on 127.0.0.1, waits for its health check, then runs ``flows.deployments`` against it. Ctrl-C
or SIGTERM stops both, deployments first.

The API is not open to whoever can reach the port or to a page in the user's browser: it is bound
to 127.0.0.1, every request needs the shared secret (Prefect's own basic auth,
``PREFECT_SERVER_API_AUTH_STRING``; the UI asks for it once), cross-origin requests are allowed only
from the UI's own origin (no ``access-control-allow-origin: *``), and Prefect's CSRF protection is on.
The secret is ``CCHC_PREFECT_AUTH`` ("user:password") when set, else one made at the first start and
kept in ``PREFECT_HOME/api-auth`` (readable by its owner only).
"""
from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

# A fresh server takes 5-12 s here to answer its health check; give it room.
SERVER_START_TIMEOUT = 120.0


AUTH_FILE = "api-auth"
AUTH_USER = "cchc"


def api_auth(home: Path) -> str:
    """The API's shared secret, "user:password": ``CCHC_PREFECT_AUTH``, else kept in ``home/api-auth``."""
    if os.environ.get("CCHC_PREFECT_AUTH"):
        return os.environ["CCHC_PREFECT_AUTH"]
    path = home / AUTH_FILE
    home.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    secret = f"{AUTH_USER}:{secrets.token_urlsafe(24)}"
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(secret + "\n")
    return secret


def prefect_env(port: int, home: Path) -> dict[str, str]:
    env = dict(os.environ)
    auth = api_auth(home)
    env.update({
        "PREFECT_HOME": str(home.resolve()),
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_API_HOST": "127.0.0.1",
        "PREFECT_SERVER_API_PORT": str(port),
        "PREFECT_SERVER_API_AUTH_STRING": auth,  # the server asks every request for it ...
        "PREFECT_API_AUTH_STRING": auth,  # ... and the deployments' runner and flow runs send it
        "PREFECT_SERVER_CORS_ALLOWED_ORIGINS": f"http://127.0.0.1:{port}",
        "PREFECT_SERVER_API_CSRF_PROTECTION_ENABLED": "true",
        "PREFECT_UI_ENABLED": env.get("PREFECT_UI_ENABLED", "true"),
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    })
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(port: int, process: subprocess.Popen, timeout: float = SERVER_START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    url = f"http://127.0.0.1:{port}/api/health"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"prefect server exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.25)  # the server is not listening yet
    raise RuntimeError(f"prefect server did not answer {url} within {timeout:g} s")


def start_server(port: int, home: Path) -> subprocess.Popen:
    home.mkdir(parents=True, exist_ok=True)
    prefect = Path(sys.executable).with_name("prefect")
    process = subprocess.Popen([str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                               env=prefect_env(port, home), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    wait_healthy(port, process)
    return process


def start_deployments(port: int, home: Path, args: list[str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "flows.deployments", *args], env=prefect_env(port, home),
                            start_new_session=True)


def stop(process: subprocess.Popen | None, timeout: float = 20) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def serve(port: int, home: Path, deployment_args: list[str], echo=print) -> int:
    server = runner = None
    stopping = {"now": False}

    def on_signal(signum, frame):  # noqa: ARG001
        stopping["now"] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        server = start_server(port, home)
        echo(f"Prefect server and UI: http://127.0.0.1:{port}  (Ctrl-C stops everything)")
        source = "CCHC_PREFECT_AUTH" if os.environ.get("CCHC_PREFECT_AUTH") else str(home / AUTH_FILE)
        echo(f"the API and UI ask for the shared secret (user:password) in {source}")
        runner = start_deployments(port, home, deployment_args)
        echo("deployments: cchc-crawl/crawl (cron, Asia/Ho_Chi_Minh), cchc-inbox/inbox (interval), cchc-reprocess/reprocess")
        while not stopping["now"] and runner.poll() is None and server.poll() is None:
            time.sleep(0.5)  # supervising: wakes to check the flag the signal handler sets
        return 0
    finally:
        stop(runner)
        stop(server)
        echo("stopped")
