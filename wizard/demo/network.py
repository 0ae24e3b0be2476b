"""What stands behind a demo endpoint: real TCP listeners on loopback addresses, one address per AZ.

Each demo DB instance gets a slot; its node in AZ number `z` (a=0, b=1, ...) lives at
`127.<demo octet>.<z>.<slot>` on the instance's port. Only the current primary's node listens; the
others are bound but not listening, so a connection to them is refused at once (as to a standby). Where
the system answers only 127.0.0.1 (macOS), every node gets 127.0.0.1 and a port of its own instead.

`InstanceNetwork` is the seam for helper G's real PostgreSQL pair: the simulator only calls `start`,
`begin_outage`, `end_outage` and `stop`.
"""

from __future__ import annotations

import contextlib
import itertools
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class NodeAddress:
    """Where one node (an instance in one AZ) accepts connections."""

    az: str
    host: str
    port: int


@dataclass(frozen=True)
class InstanceInfo:
    """What a network backend may want to know about the instance it serves."""

    identifier: str
    engine: str
    port: int
    master_username: str | None
    master_password: str | None = field(repr=False, default=None)  # never printed or logged
    secret_arn: str | None = None
    database: str | None = None  # the initial database (DBName), if one was asked for


class InstanceNetwork(Protocol):
    """The network presence of one demo DB instance (simulated listeners or a real database pair)."""

    def start(self, primary: NodeAddress, standby: NodeAddress | None) -> None:
        """The instance becomes reachable at its primary; a standby (if any) refuses connections."""
        ...

    def begin_outage(self) -> None:
        """The primary stops accepting connections and drops the ones it holds (failover or reboot)."""
        ...

    def end_outage(self, primary: NodeAddress, standby: NodeAddress | None) -> None:
        """Connections are accepted again at the (possibly new) primary."""
        ...

    def stop(self) -> None:
        """Everything is closed for good (instance deleted or demo stopped)."""
        ...


# A factory gets the instance and the addresses of its nodes by AZ (free, for it to bind); None means
# "not for this one" (another engine, say): simulated listeners serve it.
NetworkFactory = Callable[[InstanceInfo, dict[str, NodeAddress]], "InstanceNetwork | None"]


class _Node:
    """One node's socket: bound (refusing) while down, listening while up."""

    def __init__(self, address: NodeAddress, sock: socket.socket) -> None:
        self.address = address
        self._sock: socket.socket | None = sock
        self._listening = False
        self._clients: list[socket.socket] = []
        self._lock = threading.Lock()

    def up(self) -> None:
        with self._lock:
            if self._listening:
                return
            if self._sock is None:
                self._sock = _bind(self.address.host, self.address.port)
            sock = self._sock
            sock.listen(512)
            self._listening = True
        threading.Thread(target=self._accept, args=(sock,), daemon=True,
                         name=f"demo-node-{self.address.host}:{self.address.port}").start()

    def _accept(self, sock: socket.socket) -> None:
        while True:
            try:
                client, _ = sock.accept()
            except OSError:
                return  # closed by down()
            with self._lock:
                if not self._listening:
                    client.close()
                    return
                self._clients.append(client)
            threading.Thread(target=self._hold, args=(client,), daemon=True, name="demo-node-client").start()

    def _hold(self, client: socket.socket) -> None:
        """Keep a quiet connection open until the client leaves or the node goes down. A client that
        speaks (a database login) is closed at once: a simulated node speaks no database protocol, and
        an immediate close fails the login fast instead of at the client's timeout."""
        with contextlib.suppress(OSError):
            client.recv(4096)
        with self._lock:
            if client in self._clients:
                self._clients.remove(client)
        client.close()  # with SO_LINGER 0 set by down(), this close is a reset

    def down(self) -> None:
        """Stop listening and drop held connections; keep the address reserved with a bound socket."""
        with self._lock:
            sock, self._sock = self._sock, None
            clients, self._clients = self._clients, []
            self._listening = False
        for client in clients:
            _abort(client)
        if sock is not None:
            _close_listening(sock)
        try:
            self._sock = _bind(self.address.host, self.address.port)
        except OSError:
            self._sock = None  # someone took the port meanwhile; up() will retry

    def close(self) -> None:
        self.down()
        with self._lock:
            sock, self._sock = self._sock, None
        if sock is not None:
            sock.close()


def _bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def _close_listening(sock: socket.socket) -> None:
    # shutdown() wakes the thread blocked in accept(); close() alone does not on Linux.
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


def _abort(client: socket.socket) -> None:
    """Reset a held connection, as a database that went away abruptly would: its holder wakes up (no
    FIN is sent by a read shutdown) and closes it with SO_LINGER 0, which sends a reset."""
    with contextlib.suppress(OSError):
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.shutdown(socket.SHUT_RD)


class TcpNetwork:
    """Simulated nodes: plain TCP listeners that accept and hold connections while the node is primary."""

    def __init__(self, nodes: dict[str, _Node]) -> None:
        self._nodes = nodes
        self._primary: str | None = None

    def start(self, primary: NodeAddress, standby: NodeAddress | None) -> None:
        """Listen at the primary."""
        self._primary = primary.az
        self._nodes[primary.az].up()

    def add_node(self, node: _Node) -> None:
        """A standby node added later (an instance modified to Multi-AZ)."""
        self._nodes[node.address.az] = node

    def begin_outage(self) -> None:
        """Stop listening at the primary."""
        if self._primary is not None:
            self._nodes[self._primary].down()

    def end_outage(self, primary: NodeAddress, standby: NodeAddress | None) -> None:
        """Listen at the new primary."""
        self._primary = primary.az
        self._nodes[primary.az].up()

    def stop(self) -> None:
        """Close every node."""
        for node in self._nodes.values():
            node.close()


_DEMO_OCTETS = itertools.count(0)


def _aliases_work() -> bool:
    try:
        _bind("127.254.254.254", 0).close()
    except OSError:
        return False
    return True


class AddressPlan:
    """Hands out node addresses for one demo: a slot per instance, one address per AZ of the slot."""

    def __init__(self) -> None:
        self.use_aliases = _aliases_work()
        # Demos started in one process (tests) get distinct second octets: 127.10.x.x, 127.11.x.x, ...
        self.octet = 10 + next(_DEMO_OCTETS) % 200
        self._slots = itertools.count(1)
        self._lock = threading.Lock()

    def reserve(self, zones: list[str], port: int) -> dict[str, _Node]:
        """Bound (not yet listening) nodes for these AZs, on addresses nobody else holds."""
        with self._lock:
            for _ in range(250):
                slot = next(self._slots)
                nodes = self._try_slot(zones, port, slot)
                if nodes is not None:
                    return nodes
        raise OSError("no free loopback address for a demo endpoint")

    def rebind(self, addresses: dict[str, NodeAddress]) -> dict[str, _Node]:
        """Nodes on addresses handed out before (after a factory's network gave them back)."""
        return {zone: _Node(address, _bind(address.host, address.port))
                for zone, address in addresses.items()}

    def _try_slot(self, zones: list[str], port: int, slot: int) -> dict[str, _Node] | None:
        nodes: dict[str, _Node] = {}
        try:
            for zone in zones:
                if self.use_aliases:
                    host, node_port = f"127.{self.octet}.{az_index(zone)}.{(slot - 1) % 254 + 1}", port
                else:
                    host, node_port = "127.0.0.1", 0
                sock = _bind(host, node_port)
                nodes[zone] = _Node(NodeAddress(zone, host, sock.getsockname()[1]), sock)
        except OSError:
            for node in nodes.values():
                node.close()
            return None
        return nodes


def az_index(zone: str) -> int:
    """0 for us-east-1a, 1 for us-east-1b, ..."""
    return max(0, ord(zone[-1]) - ord("a"))
