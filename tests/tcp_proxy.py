"""A TCP proxy that a test or a benchmark can cut (stop) or make silent (freeze), to play
a database that goes away or stops answering. Used by tests/test_production_gunicorn.py
and bench/faults.py."""

import contextlib
import socket
import threading


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class TcpProxy:
    """Forwards 127.0.0.1:<port> to `target`; stop() cuts every connection and refuses new
    ones (as a database server going away would), start() takes them again.

    freeze() makes it silent, as a network partition or a frozen VM would: it forwards no
    byte in either direction and closes nothing (new connections are accepted and go
    nowhere); thaw() forwards again, including what was held back."""

    def __init__(self, target):
        self.target = target
        self.port = free_port()
        self.listener = None
        self.sockets = set()
        self.lock = threading.Lock()
        self.flowing = threading.Event()
        self.flowing.set()

    def freeze(self):
        self.flowing.clear()

    def thaw(self):
        self.flowing.set()

    def start(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self.accept, args=(listener,), daemon=True).start()

    def accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self.pump, args=(source, sink), daemon=True).start()

    def pump(self, source, sink):
        try:
            while data := source.recv(65536):
                self.flowing.wait()
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                self.close(end)

    def close(self, end):
        with contextlib.suppress(OSError):
            end.shutdown(socket.SHUT_RDWR)
        end.close()
        with self.lock:
            self.sockets.discard(end)

    def stop(self):
        self.close(self.listener)  # shutdown() wakes the thread blocked in accept().
        with self.lock:
            ends = list(self.sockets)
        for end in ends:
            self.close(end)
