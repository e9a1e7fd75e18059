"""Opens N NBD connections to a Unix socket, takes each through the handshake (NBD_OPT_GO on the default
export) into transmission, and reports the server's RSS growth per connection while they sit idle.

Usage: idle_connections.py SOCKET PID N. Prints "KIB_PER_CONNECTION" (VmRSS after minus before, divided by
N) on stdout; exits 1 if a handshake fails. Standard library only.
"""
import socket
import struct
import sys
import time

IHAVEOPT = 0x49484156454F5054
REPLY_MAGIC = 0x3E889045565A9
NBD_OPT_GO = 7
NBD_REP_ACK = 1
FLAG_FIXED_NEWSTYLE = 1
FLAG_NO_ZEROES = 2


def recv_exactly(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise EOFError("server closed the connection during the handshake")
        data += chunk
    return data


def handshake(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    greeting = recv_exactly(s, 18)
    if struct.unpack(">Q", greeting[8:16])[0] != IHAVEOPT:
        raise ValueError("not a newstyle server")
    s.sendall(struct.pack(">I", FLAG_FIXED_NEWSTYLE | FLAG_NO_ZEROES))
    s.sendall(struct.pack(">QII", IHAVEOPT, NBD_OPT_GO, 6) + struct.pack(">IH", 0, 0))
    while True:
        magic, option, reply, length = struct.unpack(">QIII", recv_exactly(s, 20))
        if magic != REPLY_MAGIC:
            raise ValueError("bad option reply magic")
        recv_exactly(s, length)
        if reply == NBD_REP_ACK:
            return s
        if reply & 0x80000000:
            raise ValueError(f"NBD_OPT_GO refused with reply type {reply:#x}")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise ValueError("no VmRSS")


def settle(pid):
    """The RSS once it stops moving (threads and buffers of new connections appear a little later)."""
    last = rss_kib(pid)
    for _ in range(50):
        time.sleep(0.1)
        now = rss_kib(pid)
        if abs(now - last) < 64:
            return now
        last = now
    return last


def main():
    path, pid, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    # One connection first: the server's first client brings one-time costs (threads, classes).
    first = handshake(path)
    before = settle(pid)
    conns = [handshake(path) for _ in range(n)]
    after = settle(pid)
    print(f"{(after - before) / n:.1f}")
    for c in conns + [first]:
        c.close()


if __name__ == "__main__":
    main()
