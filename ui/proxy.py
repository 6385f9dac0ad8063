"""The client's address (`st.context.ip_address`, the sign-in throttle's source): `X-Forwarded-For`
counts only when the connection comes from a proxy listed in CMI_PROXIES.

The server in front of the app (uvicorn, under `streamlit run app.py` or `uvicorn app:app`) already
replaces the client's address with one from `X-Forwarded-For` when the connection comes from
loopback, whoever sent it. `ClientAddress` (ASGI middleware, in app.py) puts the real peer back:

- no `X-Forwarded-For`: the address is the peer's, nothing to do;
- the address is one of the header's entries: uvicorn took it from the header, so the peer was
  loopback (its trusted default); an address that names itself in the header is taken the same way;
- otherwise the address is the peer's.

Then, if the peer is a listed proxy, the client is the right-most entry of the header that is not a
listed proxy (each proxy appends the address it saw); if not, the peer is the client and the header
is ignored. With CMI_PROXIES empty (the default), no header is ever believed.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

from warehouse.settings import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
LOOPBACK = "127.0.0.1"


def networks(entries: Iterable[str]) -> list[Network]:
    """CMI_PROXIES as networks (an address is a network of one); a bad entry is refused in Spanish."""
    found: list[Network] = []
    for entry in entries:
        try:
            found.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(
                f"CMI_PROXIES: «{entry}» no es una dirección IP ni una red (p. ej. 10.0.0.0/8)"
            ) from None
    return found


def _listed(host: str, proxies: list[Network]) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in net for net in proxies)


def _host(entry: str) -> str:
    """The address of an entry, without a port (`1.2.3.4:80`, `[::1]:80`), as uvicorn reads it."""
    if entry.startswith("[") and "]" in entry:
        return entry[1 : entry.index("]")]
    return entry.rsplit(":", 1)[0] if entry.count(":") == 1 else entry


def forwarded_hosts(scope: Scope) -> list[str]:
    """The addresses of every `X-Forwarded-For` header of a request, in order."""
    values = [v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"x-forwarded-for"]
    return [_host(e.strip()) for value in values for e in value.split(",") if e.strip()]


def client_host(peer_or_rewritten: str | None, forwarded: list[str], proxies: list[Network]) -> str | None:
    """The client's address for a connection whose address (as uvicorn left it) and
    `X-Forwarded-For` entries are given, trusting only `proxies`."""
    if not forwarded or peer_or_rewritten is None:
        return peer_or_rewritten
    peer = LOOPBACK if peer_or_rewritten in forwarded else peer_or_rewritten
    if not _listed(peer, proxies):
        return peer
    for entry in reversed(forwarded):
        if not _listed(entry, proxies):
            return entry
    return forwarded[0]


class ClientAddress:
    """Pure ASGI middleware: `scope["client"]` as `client_host` decides, for HTTP and WebSocket."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.proxies = networks(settings().proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            client = scope.get("client")
            forwarded = forwarded_hosts(scope)
            if forwarded and client:
                host = client_host(client[0], forwarded, self.proxies)
                if host != client[0]:
                    scope = {**scope, "client": (host, 0)}
        await self.app(scope, receive, send)
