"""Loaded by every Python process of the offline test run (PYTHONPATH): a connection or name lookup
off this machine fails loudly and is written to $GAPO_NETWORK_LOG, even where a library catches it."""

import os
import socket

LOCAL = {"127.0.0.1", "::1", "localhost", "0.0.0.0", ""}


def _refuse(what: str, target: object) -> None:
    with open(os.environ.get("GAPO_NETWORK_LOG", os.devnull), "a") as fh:
        fh.write(f"{os.getpid()} {what} {target!r}\n")
    raise OSError(f"network blocked in the offline run: {what} {target!r}")


_connect, _connect_ex, _getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo


def _is_remote(sock: socket.socket, address: object) -> bool:
    return sock.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple) and address[0] not in LOCAL


def connect(self, address):
    if _is_remote(self, address):
        _refuse("connect", address)
    return _connect(self, address)


def connect_ex(self, address):
    if _is_remote(self, address):
        _refuse("connect", address)
    return _connect_ex(self, address)


def getaddrinfo(host, *args, **kwargs):
    if host not in LOCAL and host is not None:
        _refuse("lookup", host)
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = connect, connect_ex, getaddrinfo
