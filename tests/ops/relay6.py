#!/usr/bin/env python3
"""relay6.py PORT6 - relay 127.0.0.1:<printed port> to [::1]:PORT6.

miltertest cannot connect to an inet6: socket (its connect() fails with
EINVAL), so the test reaches the daemon's ::1 listener through this relay:
every byte of the milter conversation still crosses the IPv6 socket.
Prints the IPv4 port, serves connections until killed."""
import socket
import sys
import threading

port6 = int(sys.argv[1])
lst = socket.socket(socket.AF_INET)
lst.bind(("127.0.0.1", 0))
lst.listen(4)
print(lst.getsockname()[1], flush=True)


def pump(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


while True:
    c, _ = lst.accept()
    u = socket.create_connection(("::1", port6), 5)
    for a, b in ((c, u), (u, c)):
        threading.Thread(target=pump, args=(a, b), daemon=True).start()
