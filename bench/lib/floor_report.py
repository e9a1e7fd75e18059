#!/usr/bin/env python3
"""Prints bench/floor's table in Markdown: per row, the medians of nbdkit, nbd4j and the floor (the
best of the servers that do no storage work; for the sparse copies bench/lib/store_floor.c serving
reads and block status, or nbdcopy alone in older samples; for the file write rows the best of
store_floor.c's four storing runs), the ceiling
(floor ÷ nbdkit: the most any server could beat nbdkit by) and whether 1.3× is reachable.

Usage: floor_report.py SAMPLES.tsv LOAD-AFTER LOAD-BEFORE ROUNDS FIO-SECONDS

SAMPLES.tsv lines: ROW, SERVER-LABEL, "FIGURE SERVER-CPU-MS CLIENT-CPU-MS". Standard library only.
"""
import collections
import statistics
import sys

GOAL = 1.3
NULL_FLOORS = ("floor-nbdkit-null", "floor-nbd4j-null")
STORE_FLOORS = ("floor-store-c", "floor-store-c-batch", "floor-store-c-writers-1", "floor-store-c-writers-4")
UNITS = {"write-first": "MB/s", "write-over": "MB/s", "read-c4": "MB/s", "read-c1": "MB/s",
         "randread-qd1": "IOPS", "randread-qd16": "IOPS", "randwrite-qd16": "IOPS",
         "seqread-1m-qd4": "MB/s", "seqwrite-1m-qd4": "MB/s"}


def base(row):
    return row[len("file-"):] if row.startswith("file-") else row


def main(path, load_after, load_before, rounds, fio_seconds):
    figures = collections.defaultdict(list)
    server_cpu = collections.defaultdict(list)
    client_cpu = collections.defaultdict(list)
    order = []
    for line in open(path, encoding="utf-8"):
        row, label, rest = line.rstrip("\n").split("\t")
        figure, scpu, ccpu = rest.split()
        if row not in order:
            order.append(row)
        figures[row, label].append(float(figure))
        server_cpu[row, label].append(int(scpu))
        client_cpu[row, label].append(int(ccpu))
    med = {k: statistics.median(v) for k, v in figures.items()}

    def best(row, labels):
        """The best of the servers labelled so on ROW, as (figure, label without "floor-")."""
        candidates = [(med[row, lbl], lbl[len("floor-"):]) for lbl in labels if (row, lbl) in med]
        return max(candidates) if candidates else (None, "")

    def floor_of(row):
        if row.startswith("sparse-copy"):
            # every server sends the data over a socket, which nbdcopy alone never does
            if (row, "floor-serve-c") in med:
                return med[row, "floor-serve-c"], "serve-c"
            return med.get((row, "floor-nbdcopy-alone")), "nbdcopy alone"
        if (row, "floor-store-c") in med:
            # a server that stores must pwrite each payload, which the null servers never do
            return best(row, STORE_FLOORS)
        if (base(row), "floor-nbd4j-null-sr") in med:
            # a client that asked for structured replies gets them from every real server
            return best(base(row), ("floor-nbdkit-null", "floor-nbd4j-null-sr"))
        return best(base(row), NULL_FLOORS)

    print("# Floors: the fastest any server could be on each row\n")
    print(f"- **rounds**: {rounds}, servers alternating; fio {fio_seconds} s per timed pass, after one untimed pass")
    print(f"- **load average**: {load_before} before, {load_after} after\n")
    print("| row | unit | nbdkit | nbd4j | floor | floor from | ceiling (floor ÷ nbdkit) | 1.3× reachable | nbd4j vs nbdkit | nbd4j's share of the floor |")
    print("|---|---|---:|---:|---:|---|---:|---|---:|---:|")
    for row in order:
        if row.startswith("sparse-copy"):
            kit, j4 = med.get((row, "nbdkit-file")), med.get((row, "nbd4j-file"))
            unit, lower = "s", True
        else:
            plugin = "file" if row.startswith("file-") else "memory"
            kit, j4 = med.get((row, f"nbdkit-{plugin}")), med.get((row, f"nbd4j-{plugin}"))
            unit, lower = UNITS[base(row)], False
        floor, source = floor_of(row)
        if kit is None or j4 is None or floor is None:
            continue
        ceiling = kit / floor if lower else floor / kit
        versus = kit / j4 if lower else j4 / kit
        share = floor / j4 if lower else j4 / floor
        fmt = (lambda x: f"{x:.3f}") if lower else (lambda x: f"{x:,.0f}")
        print(f"| {row} | {unit} | {fmt(kit)} | {fmt(j4)} | {fmt(floor)} | {source} | {ceiling:.2f}× | "
              f"{'yes' if ceiling >= GOAL else 'no'} | {versus:.2f}× | {share:.2f} |")
    no_sr = [(row, med[row, "floor-nbd4j-null"]) for row in order
             if (row, "floor-nbd4j-null-sr") in med and (row, "floor-nbd4j-null") in med]
    if no_sr:
        print("\nOn the rows whose floor pays for structured replies, nbd4j `null --no-sr` (simple replies, "
              "which no server may send a client that asked for structured ones) gave: "
              + "; ".join(f"{row} {figure:,.0f} {UNITS[base(row)]}" for row, figure in no_sr) + ".")
    stored = [(row, best(base(row), NULL_FLOORS)[0]) for row in order if (row, "floor-store-c") in med]
    stored = [(row, figure) for row, figure in stored if figure is not None]
    if stored:
        print("\nOn the rows whose floor stores, the better null server (which skips the pwrite) gave: "
              + "; ".join(f"{row} {figure:,.0f} {UNITS[base(row)]}" for row, figure in stored) + ".")
    alone = [(row, med[row, "floor-nbdcopy-alone"]) for row in order
             if (row, "floor-serve-c") in med and (row, "floor-nbdcopy-alone") in med]
    if alone:
        print("\nOn the sparse copies, nbdcopy copying the file by itself (no server, no socket) took: "
              + "; ".join(f"{row} {figure:.3f} s" for row, figure in alone) + ".")
    print("\nServer and client CPU per timed pass (ms, medians):\n")
    print("| row | server | server CPU | client CPU |")
    print("|---|---|---:|---:|")
    for row in order:
        for (r, label) in sorted(figures):
            if r == row and not row.startswith("sparse-copy"):
                print(f"| {row} | {label} | {statistics.median(server_cpu[r, label]):.0f} | "
                      f"{statistics.median(client_cpu[r, label]):.0f} |")


if __name__ == "__main__":
    main(*sys.argv[1:6])
