#!/usr/bin/env python3
"""Prints one figure from a fio JSON report (--output-format=json): the IOPS or the MB/s (10^6 bytes per
second) of the reads or of the writes, summed over every job in the report.

Usage: fio_result.py REPORT.json read|write iops|mbps

Exits with status 1 and a message on stderr when a job reports an error or no I/O was done in that
direction, so a server that fails cannot be mistaken for a slow one. Standard library only.
"""
import json
import sys


def load_report(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    # Engines may print a line of their own before the JSON document.
    start = text.find("{")
    if start < 0:
        raise ValueError(f"{path}: no JSON report found")
    return json.loads(text[start:])


def figure(report, direction, metric):
    jobs = report.get("jobs", [])
    if not jobs:
        raise ValueError("the report lists no jobs")
    total = 0.0
    ios = 0
    for job in jobs:
        if job.get("error", 0):
            raise ValueError(f"job {job.get('jobname')} failed with error {job['error']}")
        stats = job[direction]
        ios += stats.get("total_ios", 0)
        total += stats["iops"] if metric == "iops" else stats["bw_bytes"] / 1e6
    if ios == 0:
        raise ValueError(f"no {direction} I/O completed")
    return total


def main(argv):
    if len(argv) != 4 or argv[2] not in ("read", "write") or argv[3] not in ("iops", "mbps"):
        print("usage: fio_result.py REPORT.json read|write iops|mbps", file=sys.stderr)
        return 2
    try:
        value = figure(load_report(argv[1]), argv[2], argv[3])
    except (OSError, ValueError, KeyError) as e:
        print(f"fio_result: {e}", file=sys.stderr)
        return 1
    print(f"{value:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
