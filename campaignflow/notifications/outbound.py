"""Webhook HTTP that cannot be pointed at the inside of the network (SSRF).

The host name is resolved here, every address it resolves to is checked, and the connection goes to a
checked address (TLS still verifies the host name and sends it as SNI; the Host header keeps it too), so
a name that resolves to a public address when saved and to 127.0.0.1 when sent (DNS rebinding) is refused.
Redirects are never followed: an allowed host could send us anywhere. Only ports 80 and 443 unless
WEBHOOK_ALLOWED_PORTS says otherwise; internal networks only those listed in WEBHOOK_ALLOWED_NETWORKS.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import urllib.parse

from django.conf import settings

# Not global, or not meant to be reached from here (Python's flags miss some of them on older versions).
BLOCKED = [
    ipaddress.ip_network(n)
    for n in ("0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "198.18.0.0/15", "64:ff9b::/96", "64:ff9b:1::/48")
]


class Refused(Exception):
    """The address or port is not allowed; the message says why (shown in the delivery log)."""


def _embedded_v4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    return None


def internal(address: str) -> bool:
    """Loopback, private, link-local, shared (100.64/10), reserved, multicast, unspecified, or an IPv6
    address carrying such an IPv4 address — unless it is in WEBHOOK_ALLOWED_NETWORKS."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    allowed = [ipaddress.ip_network(n, strict=False) for n in settings.WEBHOOK_ALLOWED_NETWORKS]
    candidates = [ip]
    if ip.version == 6 and (v4 := _embedded_v4(ip)) is not None:
        candidates.append(v4)
    for candidate in candidates:
        if any(candidate.version == n.version and candidate in n for n in allowed):
            continue
        if (
            candidate.is_private
            or candidate.is_loopback
            or candidate.is_link_local
            or candidate.is_reserved
            or candidate.is_multicast
            or candidate.is_unspecified
            or not candidate.is_global
            or any(candidate.version == n.version and candidate in n for n in BLOCKED)
        ):
            return True
    return False


def port_of(parts: urllib.parse.SplitResult) -> int:
    try:
        port = parts.port
    except ValueError as exc:
        raise Refused(f"invalid port in {parts.netloc}") from exc
    return port or (443 if parts.scheme == "https" else 80)


def check_port(port: int) -> None:
    if port not in settings.WEBHOOK_ALLOWED_PORTS:
        raise Refused(f"port {port} is not allowed (only {', '.join(map(str, settings.WEBHOOK_ALLOWED_PORTS))})")


def resolve(host: str, port: int) -> list[str]:
    """Every address of `host`; Refused if any is internal (one bad answer is enough to refuse)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise OSError(f"cannot resolve {host}: {exc}") from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    for address in addresses:
        if internal(address):
            raise Refused(f"{host} resolves to {address}, an internal address")
    return addresses


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> tuple[int, bytes, str]:
    """POST once, to a checked address; (status, first 64 KB of the reply, Location header)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused("only http(s) URLs")
    port = port_of(parts)
    check_port(port)
    addresses = resolve(parts.hostname, port)
    if parts.scheme == "https":
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(parts.hostname, port, timeout=timeout)

    def connect_checked(_address, timeout, source_address=None):
        # The address http.client would look up again is replaced by the ones checked above.
        error: OSError | None = None
        for address in addresses:
            try:
                return socket.create_connection((address, port), timeout, source_address)
            except OSError as exc:
                error = exc
        raise error or OSError(f"cannot connect to {parts.hostname}")

    conn._create_connection = connect_checked  # http.client opens its socket through this attribute
    path = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read(65536), response.getheader("Location") or ""
    finally:
        conn.close()
