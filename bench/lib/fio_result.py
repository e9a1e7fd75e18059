#!/usr/bin/env python3
"""Prints one figure from a fio JSON report (--output-format=json) for the reads or for the writes,
summed over every job in the report: iops, mbps (10^6 bytes per second), or the ios and bytes done
after the ramp.

Usage: fio_result.py REPORT.json read|write iops|mbps|ios|bytes

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
    sums = {"iops": 0.0, "mbps": 0.0, "ios": 0, "bytes": 0}
    for job in jobs:
        if job.get("error", 0):
            raise ValueError(f"job {job.get('jobname')} failed with error {job['error']}")
        stats = job[direction]
        sums["iops"] += stats["iops"]
        sums["mbps"] += stats["bw_bytes"] / 1e6
        sums["ios"] += stats["total_ios"]
        sums["bytes"] += stats["io_bytes"]
    if sums["ios"] == 0:
        raise ValueError(f"no {direction} I/O completed")
    return sums[metric]


def main(argv):
    if len(argv) != 4 or argv[2] not in ("read", "write") or argv[3] not in ("iops", "mbps", "ios", "bytes"):
        print("usage: fio_result.py REPORT.json read|write iops|mbps|ios|bytes", file=sys.stderr)
        return 2
    try:
        value = figure(load_report(argv[1]), argv[2], argv[3])
    except (OSError, ValueError, KeyError) as e:
        print(f"fio_result: {e}", file=sys.stderr)
        return 1
    print(value if isinstance(value, int) else f"{value:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
