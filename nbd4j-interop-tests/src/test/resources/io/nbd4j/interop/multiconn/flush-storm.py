# A flush storm: CONNECTIONS threads, each with its own connection to the server at $uri, run $rounds
# rounds of "write one of my blocks, read someone's block, flush" at the same time. Run by nbdsh (libnbd
# releases Python's lock while it waits, so the connections really are concurrent).
#
# What multi-conn promises, and what is checked:
#  * during the storm, a read issued after a flush returned (on any connection) sees at least the
#    version of every block that was written before that flush;
#  * afterwards, once every thread has flushed its last write, every connection reads the last
#    version of every block, including blocks it had read (and its server-side cache had kept) earlier.
# Every block carries a tag, its number and its version in every 8 bytes, so torn or misplaced data is
# caught too; the tag keeps block 0 version 0 from being all zeroes, which would read as "never written".
# Prints "storm ok: ..." and exits 0, or prints each violation and exits 1.
import os
import random
import struct
import sys
import threading

import nbd

BLOCK = 4096
CONNECTIONS = 4
BLOCKS_PER_CONNECTION = 4
BLOCKS = CONNECTIONS * BLOCKS_PER_CONNECTION
TAG = b"nb4j"
ROUNDS = int(os.environ["rounds"])
uri = os.environ["uri"]

durable = {}  # block -> newest version whose flush has returned
durable_lock = threading.Lock()
violations = []
barrier = threading.Barrier(CONNECTIONS, timeout=120)


def content(block, version):
    return struct.pack(">4sHH", TAG, block, version) * (BLOCK // 8)


def version_in(block, data):
    """The version a block holds, -1 if never written, None if the data is not a whole version."""
    if data == bytes(BLOCK):
        return -1
    tag, number, version = struct.unpack(">4sHH", data[:8])
    if tag != TAG or number != block or data != content(block, version):
        return None
    return version


def durable_version(block):
    with durable_lock:
        return durable.get(block, -1)


def storm(index, handle):
    rng = random.Random(index)
    for version in range(ROUNDS):
        mine = index * BLOCKS_PER_CONNECTION + version % BLOCKS_PER_CONNECTION
        handle.pwrite(content(mine, version), mine * BLOCK)
        other = rng.randrange(BLOCKS)
        floor = durable_version(other)
        seen = version_in(other, handle.pread(BLOCK, other * BLOCK))
        if seen is None or seen < floor:
            violations.append(f"connection {index} round {version}: block {other} read version {seen}, "
                              f"but version {floor} had been flushed before the read")
        handle.flush()
        with durable_lock:
            durable[mine] = version
    barrier.wait()
    for block in range(BLOCKS):
        seen = version_in(block, handle.pread(BLOCK, block * BLOCK))
        if seen != durable_version(block):
            violations.append(f"connection {index} after the storm: block {block} read version {seen}, "
                              f"last flushed version {durable_version(block)}")


def run(index, handle):
    try:
        storm(index, handle)
    except Exception as e:  # a dead thread must not leave the others waiting at the barrier
        violations.append(f"connection {index} failed: {e!r}")
        barrier.abort()


handles = []
for _ in range(CONNECTIONS):
    h = nbd.NBD()
    h.connect_uri(uri)
    handles.append(h)
if not all(h.can_multi_conn() for h in handles):
    print("the server does not advertise multi-conn")
    sys.exit(1)
threads = [threading.Thread(target=run, args=(i, h)) for i, h in enumerate(handles)]
for t in threads:
    t.start()
for t in threads:
    t.join()
for h in handles:
    h.shutdown()
if violations:
    print("\n".join(violations))
    sys.exit(1)
print(f"storm ok: {CONNECTIONS} connections x {ROUNDS} rounds")
