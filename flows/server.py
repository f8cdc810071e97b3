"""``cchc serve``: a real local Prefect server plus the deployments, stopped together.

Schedules do not fire on Prefect's temporary server, so this starts ``prefect server start``
on 127.0.0.1, waits for its health check, then runs ``flows.deployments`` against it. Ctrl-C
or SIGTERM stops both, deployments first.
"""
from __future__ import annotations

import os
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


def prefect_env(port: int, home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "PREFECT_HOME": str(home.resolve()),
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_API_HOST": "127.0.0.1",
        "PREFECT_SERVER_API_PORT": str(port),
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
        runner = start_deployments(port, home, deployment_args)
        echo("deployments: cchc-crawl/crawl (cron, Asia/Ho_Chi_Minh), cchc-inbox/inbox (interval), cchc-reprocess/reprocess")
        while not stopping["now"] and runner.poll() is None and server.poll() is None:
            time.sleep(0.5)  # supervising: wakes to check the flag the signal handler sets
        return 0
    finally:
        stop(runner)
        stop(server)
        echo("stopped")
