#!/usr/bin/env python3
"""eom_latency.py - end-of-message latency of a milter over TCP.

    python3 eom_latency.py HOST PORT COUNT

Speaks the milter protocol (v6) as Postfix does, each macro packet and its
command in one write, and sends COUNT small text/plain messages on one
connection.  Prints one line per message: "<final reply> <header changes>
<ms from end of message to the final reply>".  Exits 1 when the filter
closes or a reply is malformed.
"""
import socket
import struct
import sys
import time


def packet(cmd, data=b""):
    return struct.pack(">I", len(data) + 1) + cmd + data


def read_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            sys.exit("eom_latency: the filter closed the connection")
        buf += chunk
    return buf


def reply(s):
    (n,) = struct.unpack(">I", read_exact(s, 4))
    if n < 1 or n > 1 << 20:
        sys.exit("eom_latency: bad reply length %d" % n)
    body = read_exact(s, n)
    return body[:1], body[1:]


def final(s):
    changes = 0
    while True:
        cmd, _ = reply(s)
        if cmd in (b"a", b"c", b"r", b"t", b"d", b"y", b"s", b"f", b"4"):
            return cmd, changes
        if cmd != b"p":
            changes += 1


def step(s, data):
    s.sendall(data)
    cmd, _ = final(s)
    if cmd != b"c":
        sys.exit("eom_latency: answered %r before end of message" % cmd)


def main():
    host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    s = socket.create_connection((host, port), 5)
    s.settimeout(10)
    s.sendall(packet(b"O", struct.pack(">III", 6, 0x1FF, 0)))
    if reply(s)[0] != b"O":
        sys.exit("eom_latency: no option negotiation")
    step(s, packet(b"C", b"client.example.net\0" + b"4" + struct.pack(">H", 12345) +
                   b"192.0.2.7\0"))
    step(s, packet(b"H", b"client.example.net\0"))
    for i in range(count):
        qid = b"TCP%04d" % i
        step(s, packet(b"D", b"Mi\0" + qid + b"\0") + packet(b"M", b"<a@example.net>\0"))
        step(s, packet(b"R", b"<vanthu@binhdinh.gov.vn>\0"))
        for name, value in ((b"From", b"a@example.net"), (b"Subject", b"latency %d" % i),
                            (b"Content-Type", b"text/plain")):
            step(s, packet(b"L", name + b"\0" + value + b"\0"))
        step(s, packet(b"N"))
        step(s, packet(b"B", b"hello\r\n" * 20))
        t0 = time.monotonic()
        s.sendall(packet(b"D", b"Ei\0" + qid + b"\0") + packet(b"E"))
        cmd, changes = final(s)
        print("%s %d %.3f" % (cmd.decode(), changes, (time.monotonic() - t0) * 1e3))
    s.sendall(packet(b"Q"))
    s.close()


if __name__ == "__main__":
    main()
