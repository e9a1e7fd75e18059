# Runs a fixed sequence of NBD commands spread over several numbered connections to one server, one
# command at a time, each waiting for its reply: the sequential patterns whose outcome the multi-conn
# rules fix exactly. Run by nbdsh (for libnbd's Python binding) with the server's URI in $uri and the
# steps, separated by spaces, in $steps:
#   N:o[:EXPORT]  open connection N (default export, or EXPORT chosen in option mode)
#   N:O[:EXPORT]  try to open it; prints N:O=ok or N:O=refused
#   N:w:B:C       write block B (4 KiB) filled with the letter C
#   N:W:B:C       the same with FUA
#   N:r:B         read block B; prints N:r:B=C for a block filled with C, 0 for zeroes, ? for mixed
#   N:f           flush
#   N:F           try to flush; prints N:F=ok or N:F=failed
#   N:mc          prints N:mc=True or N:mc=False, whether the server advertises multi-conn
import os

import nbd

BLOCK = 4096
uri = os.environ["uri"]
connections = {}


def open_connection(number, export):
    handle = nbd.NBD()
    handle.set_opt_mode(True)
    handle.connect_uri(uri)
    if export is not None:
        handle.set_export_name(export)
    handle.opt_go()
    connections[number] = handle


def describe(data):
    if data == bytes(len(data)):
        return "0"
    if data == data[:1] * len(data):
        return data[:1].decode("ascii")
    return "?"


for step in os.environ["steps"].split():
    number, op, *args = step.split(":")
    if op == "o":
        open_connection(number, args[0] if args else None)
    elif op == "O":
        try:
            open_connection(number, args[0] if args else None)
            print(f"{number}:O=ok")
        except nbd.Error:
            print(f"{number}:O=refused")
    elif op in ("w", "W"):
        flags = nbd.CMD_FLAG_FUA if op == "W" else 0
        connections[number].pwrite(args[1].encode("ascii") * BLOCK, int(args[0]) * BLOCK, flags)
    elif op == "r":
        print(f"{step}={describe(connections[number].pread(BLOCK, int(args[0]) * BLOCK))}")
    elif op == "f":
        connections[number].flush()
    elif op == "F":
        try:
            connections[number].flush()
            print(f"{step}=ok")
        except nbd.Error:
            print(f"{step}=failed")
    elif op == "mc":
        print(f"{step}={bool(connections[number].can_multi_conn())}")
    else:
        raise ValueError(f"unknown step {step!r}")

for handle in connections.values():
    handle.shutdown()
