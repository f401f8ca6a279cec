"""Where the server may listen: this machine's own addresses, found without sending anything."""

from __future__ import annotations

import socket

LOOPBACK = "127.0.0.1"


def machine_addresses() -> list[str]:
    """IPv4 addresses of this machine: loopback first, then those phones on the LAN can reach.

    The address of the default route is found by "connecting" a UDP socket, which sends
    no packet; the host name's addresses add any others (a hotspot's, say).
    """
    found: list[str] = [LOOPBACK]
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            found.append(probe.getsockname()[0])
    except OSError:
        pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(str(info[4][0]))
    except OSError:
        pass
    unique: list[str] = []
    for address in found:
        if address not in unique and not address.startswith("0."):
            unique.append(address)
    # Other loopback addresses (127.0.1.1 from /etc/hosts) reach no phone: keep 127.0.0.1 only.
    return [a for a in unique if a == LOOPBACK or not a.startswith("127.")]


def parse_host_port(text: str) -> tuple[str, int]:
    """'HOST:PORT' (or 'HOST', port 0 = a free one) as a pair; ValueError with a plain reason."""
    text = text.strip()
    host, _, port_text = text.rpartition(":") if ":" in text else (text, "", "0")
    host = host.strip("[]")
    if not host:
        raise ValueError(f"'{text}' is not HOST:PORT (for example 192.168.1.20:8080)")
    try:
        port = int(port_text or "0")
    except ValueError:
        raise ValueError(f"'{port_text}' is not a port number") from None
    if not 0 <= port <= 65535:
        raise ValueError(f"port {port} is not between 0 and 65535")
    return host, port
