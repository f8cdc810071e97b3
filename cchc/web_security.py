"""Who may talk to ``cchc web`` and change data through it.

- ``HostCheck``: an ASGI middleware that answers 421 to any request whose ``Host`` header is not the
  address the server is bound to (DNS rebinding: a page on evil.example that re-points its name at
  127.0.0.1 reaches a loopback server, but with ``Host: evil.example``).
- ``SessionGuard``: the CSRF token of the review forms is per browser session: a random session
  cookie (HttpOnly, SameSite=Strict) and a token that is an HMAC of it under a per-process secret.
  One visitor's token is worth nothing in another's session, and a form posted from another origin
  is refused. The reviewer recorded with a decision is the login running the server, or
  ``CCHC_REVIEWER`` — never a fixed word.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import os
import secrets
import socket
from typing import Any

from pipeline.review import reviewer_name

SESSION_COOKIE = "cchc_session"
# Extra host names the server answers to (comma-separated), for a server bound to all interfaces.
ALLOWED_HOSTS_VARIABLE = "CCHC_WEB_ALLOWED_HOSTS"
_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str, port: int) -> set[str]:
    """The ``Host`` header values a server bound to ``host:port`` answers to."""
    names = {host if ":" not in host or host.startswith("[") else f"[{host}]"}
    if _is_loopback(host):
        names.update(_LOOPBACK_NAMES)
    if host in ("0.0.0.0", "::", ""):
        names.update(_LOOPBACK_NAMES)
        names.add(socket.gethostname())
    names.update(h.strip() for h in os.environ.get(ALLOWED_HOSTS_VARIABLE, "").split(",") if h.strip())
    values = {f"{n}:{port}".lower() for n in names}
    if port == 80:
        values.update(n.lower() for n in names)
    return values


class HostCheck:
    """ASGI middleware: requests for another host than the bound one are refused (421) before any app sees them."""

    def __init__(self, app: Any, hosts: set[str]) -> None:
        self.app, self.hosts = app, hosts

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket"):
            host = next((v.decode("latin-1").lower() for k, v in scope.get("headers", []) if k == b"host"), "")
            if host not in self.hosts:
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 1008})
                    return
                body = b"cchc: this server does not answer to that host name\n"
                await send({"type": "http.response.start", "status": 421,
                            "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                        (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


class SessionGuard:
    """CSRF tokens per browser session and the reviewer's name (the interface the review pages use:
    ``token``, ``set_cookie``, ``form_ok``, ``reviewer``)."""

    def __init__(self, secret: bytes | None = None) -> None:
        self.secret = secret or secrets.token_bytes(32)

    def _session(self, request: Any) -> str:
        """The request's session id: its cookie's, or a new one (kept on the request for ``set_cookie``)."""
        state = request.scope.setdefault("cchc", {})
        if "session" not in state:
            cookie = request.cookies.get(SESSION_COOKIE, "")
            state["new"] = not (20 <= len(cookie) <= 100 and cookie.isascii())
            state["session"] = secrets.token_urlsafe(32) if state["new"] else cookie
        return state["session"]

    def _token_for(self, session: str) -> str:
        digest = hmac.new(self.secret, session.encode("ascii"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")

    def token(self, request: Any) -> str:
        return self._token_for(self._session(request))

    def set_cookie(self, request: Any, response: Any) -> None:
        session = self._session(request)
        if request.scope["cchc"].get("new"):
            response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="strict")

    def form_ok(self, request: Any, form: Any) -> bool:
        """A form posted from our own pages in the session it was served to."""
        origin = request.headers.get("origin")
        if origin and origin.split("://", 1)[-1].lower() != request.headers.get("host", "").lower():
            return False
        session = request.cookies.get(SESSION_COOKIE, "")
        if not session:
            return False
        return hmac.compare_digest(str(form.get("csrf", "")), self._token_for(session))

    def reviewer(self, request: Any) -> str:  # noqa: ARG002 - one server, one login
        return reviewer_name()
