"""A TCP proxy in front of the shared PostgreSQL that can refuse, go silent and recover (issue 14 §2).

The failure tests point the app at it; the shared server itself is never stopped.
- "forward": passes bytes both ways.
- "refuse": closes every connection, open or new, at once (a database that is down: connection refused/reset).
- "silent": accepts new connections and keeps them, and forwards nothing either way on any connection (a database
  that hangs, or a network that swallows packets behind a proxy that still answers TCP).
"""

import contextlib
import socket
import threading
import time


class TcpProxy:
    def __init__(self, target=("127.0.0.1", 5432)):
        self.target = target
        self.mode = "forward"
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def set(self, mode: str) -> None:
        assert mode in {"forward", "refuse", "silent"}
        self.mode = mode
        if mode == "refuse":
            self._cut_all()

    def close(self) -> None:
        self._closed = True
        self._listener.close()
        self._cut_all()

    def _cut_all(self) -> None:
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            for sock in pair:
                _close(sock)

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.mode == "refuse":
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                _close(client)  # a reset, as from a port nothing listens on
                continue
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                _close(client)
                continue
            with self._lock:
                self._pairs.append((client, server))
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        source.settimeout(0.1)
        held = b""
        while True:
            try:
                data = source.recv(65536)
            except TimeoutError:
                data = None
            except OSError:
                break
            if data == b"":
                break
            if data:
                held += data
            if held and self.mode == "forward":
                try:
                    sink.sendall(held)
                except OSError:
                    break
                held = b""
            elif self.mode == "silent":
                # Bytes sent into the silence are lost, as a network that swallows them would lose them.
                held = b""
                time.sleep(0.05)
        _close(sink)
        _close(source)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.close()
