#!/usr/bin/env python3
"""Turns the samples gathered by bench/run into the results tables: the median of each row for each
server, a score where above 1 always means nbd4j did better, and whether the DESIGN §6 target is met;
then the server CPU time each throughput row cost, per GiB moved or per I/O.

Usage: report.py SAMPLES.tsv META.tsv [--md OUT.md] [--csv OUT.csv]

SAMPLES.tsv holds one line per measurement, "row<TAB>server<TAB>value", where value is a number or
FAIL; META.tsv holds "key<TAB>value" lines describing the run, shown above the table in that order.
The Markdown table is always printed on stdout. Standard library only.
"""
import argparse
import csv
import re
import statistics
import sys
from dataclasses import dataclass

HIGHER = "higher"
LOWER = "lower"
SERVERS = ("nbdkit", "nbd4j")


@dataclass(frozen=True)
class Target:
    """A target: on the score (nbd4j relative to nbdkit), on the raw ratio nbd4j/nbdkit, on nbd4j's own
    median, or on nbd4j's median relative to nbd4j's median of another row (`other`)."""
    kind: str  # "score>=", "ratio<=", "nbd4j<=", "nbd4j>=" or "row<="
    bound: float
    other: str = ""

    def describe(self, unit):
        if self.kind == "score>=":
            return f"≥ {self.bound:g}× nbdkit"
        if self.kind == "ratio<=":
            return f"≤ {self.bound:g}× nbdkit"
        if self.kind == "row<=":
            return f"≤ {self.bound:g}× nbd4j's {self.other}"
        if self.kind == "nbd4j>=":
            return f"≥ {self.bound:g} {unit}".rstrip()
        return f"≤ {self.bound:g} {unit}"

    def needs_nbdkit(self):
        return self.kind in ("score>=", "ratio<=")

    def met(self, nbdkit, nbd4j, score, other_nbd4j=None):
        if self.kind == "score>=":
            return score is not None and score >= self.bound
        if self.kind == "ratio<=":
            return nbdkit is not None and nbd4j is not None and nbd4j <= self.bound * nbdkit
        if self.kind == "row<=":
            return nbd4j is not None and other_nbd4j is not None and nbd4j <= self.bound * other_nbd4j
        if self.kind == "nbd4j>=":
            return nbd4j is not None and nbd4j >= self.bound
        return nbd4j is not None and nbd4j <= self.bound


# Issue 14, goal 3: every memory and file row at least 1.3 times nbdkit, cold and warm.
GOAL = Target("score>=", 1.3)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    unit: str
    better: str
    target: Target | None = None


ROWS = [
    Row("s3-write-64k", "s3 on S3Proxy, 64 KiB objects: nbdcopy write of the s3 copy size", "MB/s", HIGHER,
        Target("score>=", 5)),
    Row("s3-read-64k", "s3 on S3Proxy, 64 KiB objects: nbdcopy read back", "MB/s", HIGHER, Target("score>=", 5)),
    Row("s3-write-1m", "s3 on S3Proxy, 1 MiB objects (nbd4j only): nbdcopy write", "MB/s", HIGHER),
    Row("s3-read-1m", "s3 on S3Proxy, 1 MiB objects (nbd4j only): nbdcopy read back", "MB/s", HIGHER),
    Row("s3proxy-put-64k", "S3Proxy's ceiling: 64 KiB PUTs by one SDK client, 32 threads (in the nbd4j column)", "MB/s", HIGHER),
    Row("s3proxy-get-64k", "S3Proxy's ceiling: 64 KiB GETs by one SDK client, 32 threads (in the nbd4j column)", "MB/s", HIGHER),
    Row("write-first", "memory {size}: nbdcopy first write into the empty disk, 4 conns", "MB/s", HIGHER,
        Target("score>=", 3)),
    Row("write-first-hugepages", "memory {size}, nbd4j with allocator=sparse,hugepages=true (nbdkit: its default): "
        "nbdcopy first write into the empty disk, 4 conns", "MB/s", HIGHER),
    Row("write-over", "memory {size}: nbdcopy overwrite of the written disk, 4 conns", "MB/s", HIGHER, GOAL),
    Row("read-c4", "memory {size}: nbdcopy read to null:, 4 conns", "MB/s", HIGHER, GOAL),
    Row("read-c1", "memory {size}: nbdcopy read to null:, 1 conn", "MB/s", HIGHER, GOAL),
    Row("randread-qd1", "memory {size}: fio 4 KiB random read, QD1", "IOPS", HIGHER, GOAL),
    Row("randread-qd16", "memory {size}: fio 4 KiB random read, QD16", "IOPS", HIGHER, GOAL),
    Row("randwrite-qd16", "memory {size}: fio 4 KiB random write, QD16", "IOPS", HIGHER, GOAL),
    Row("seqread-1m-qd4", "memory {size}: fio 1 MiB sequential read, QD4", "MB/s", HIGHER, GOAL),
    Row("seqwrite-1m-qd4", "memory {size}: fio 1 MiB sequential write, QD4", "MB/s", HIGHER, GOAL),
    Row("file-randread-qd1", "file {size}: fio 4 KiB random read, QD1", "IOPS", HIGHER, GOAL),
    Row("file-randread-qd16", "file {size}: fio 4 KiB random read, QD16", "IOPS", HIGHER, GOAL),
    Row("file-randwrite-qd16", "file {size}: fio 4 KiB random write, QD16", "IOPS", HIGHER, GOAL),
    Row("file-seqread-1m-qd4", "file {size}: fio 1 MiB sequential read, QD4", "MB/s", HIGHER, GOAL),
    Row("file-seqwrite-1m-qd4", "file {size}: fio 1 MiB sequential write, QD4", "MB/s", HIGHER, GOAL),
    Row("sparse-copy-large", "file {sparse_large} sparse, {sparse_data} of data: nbdcopy to a new file", "s",
        LOWER, GOAL),
    Row("sparse-copy-small", "file {sparse_small} sparse, {sparse_data} of data: nbdcopy to a new file", "s",
        LOWER, GOAL),
    Row("fsync-4conn", "file {size} + multi-conn emulate: fio 4 conns, 4 KiB random write + flush each",
        "IOPS", HIGHER),
    Row("rss-full", "memory {size}: server RSS once the disk is full", "MiB", LOWER, Target("ratio<=", 1.15)),
    Row("run-nbdinfo", "-U - memory {size} --run 'nbdinfo --size $uri': wall time", "ms", LOWER,
        Target("nbd4j<=", 100)),
]

# Rows computed from others (see derived()): issue 3's sparse-copy yardstick, issue 14's kernel share.
DERIVED_ROWS = [
    Row("sparse-copy-large-vs-small", "sparse copy: the 8 times larger file's time ÷ the small one's (issue 3: "
        "time grows with the data, not the size)", "×", LOWER, Target("nbd4j<=", 1.5)),
    Row("fsync-4conn-share", "fsync-4conn as a share of the kernel's own figure (fio psync, 4 jobs, 4 KiB random "
        "write + fsync each, on the same file)", "", HIGHER, Target("nbd4j>=", 0.7)),
    Row("run-nbdinfo-vs-java-floor", "run-nbdinfo ÷ the same run by the Java floor (bench/lib/CaptiveFloor.java: "
        "the handshake only, on nbd4j's JVM options with an AOT cache of its own)", "×", LOWER),
]

# Scale (issue 14, goal 6).
ROWS += [
    Row("idle-conn-kib", "memory {size}: RSS growth per idle connection, {idle} clients", "KiB", LOWER,
        Target("nbd4j<=", 64)),
    Row("start-rss-1g", "memory {size}: RSS after start and one nbdinfo", "MiB", LOWER),
    Row("start-rss-max", "memory 2^63-1 bytes: RSS after start and one nbdinfo", "MiB", LOWER,
        Target("row<=", 1.1, "start-rss-1g")),
    Row("clients-4", "memory {size}: fio 4 KiB random read QD16, 4 clients", "IOPS", HIGHER),
    Row("clients-64", "memory {size}: fio 4 KiB random read QD16, 64 clients", "IOPS", HIGHER),
    Row("clients-64-vs-4", "memory {size}: IOPS of 64 clients ÷ IOPS of 4 clients", "×", HIGHER,
        Target("nbd4j>=", 0.9)),
]

# The nbd and curl plugins (issue 11). The proxy-vs-direct rows put a direct connection to the upstream
# in the nbdkit column and nbd4j's proxy in the nbd4j column: the score is the share of the direct
# figure the proxy keeps, so ≥ 0.9 means at most 10% overhead.
ROWS += [
    Row("proxy-read-c4", "nbd plugin in front of nbdkit memory {size}: nbdcopy read to null:, 4 conns", "MB/s",
        HIGHER, Target("score>=", 1.0)),
    Row("proxy-write-c4", "nbd plugin in front of nbdkit memory {size}: nbdcopy write, 4 conns", "MB/s", HIGHER,
        Target("score>=", 1.0)),
    Row("proxy-randread-qd16", "nbd plugin in front of nbdkit memory {size}: fio 4 KiB random read, QD16", "IOPS",
        HIGHER, Target("score>=", 1.0)),
    Row("proxy-vs-direct-read-c4", "nbdkit memory {size} read, 4 conns: direct (nbdkit column) vs through nbd4j's "
        "nbd plugin", "MB/s", HIGHER, Target("score>=", 0.9)),
    Row("proxy-vs-direct-randread-qd16", "nbdkit memory {size} fio 4 KiB random read QD16: direct (nbdkit column) "
        "vs through nbd4j's nbd plugin", "IOPS", HIGHER, Target("score>=", 0.9)),
    Row("curl-read-c4", "curl plugin on nginx, {size} file: nbdcopy read to null:, 4 conns", "MB/s", HIGHER,
        Target("score>=", 1.0)),
    Row("curl-randread-qd16", "curl plugin on nginx, {size} file: fio 4 KiB random read, QD16", "IOPS", HIGHER,
        Target("score>=", 1.0)),
]

# Rows measured twice on one fresh server: "cold:<row>" holds the first pass, "<row>" the second.
COLD_KEYS = [r.key for r in ROWS if r.unit in ("MB/s", "IOPS", "s") and not r.key.startswith(("s3", "clients"))
             and "vs-direct" not in r.key]
COLD_ROWS = [Row("cold:" + r.key, r.label + " — cold: first pass on a fresh server", r.unit, r.better, r.target)
             for r in ROWS if r.key in COLD_KEYS]

# Filters that change no data (issue 12): nbd4j without a filter in the nbdkit column, nbd4j through the
# filter in the nbd4j column, so the score is the share of the unfiltered figure the filter keeps and
# ≥ 0.95 means at most 5% overhead. blocksize appears only when the build has that filter.
for _filter, _how in (("nofilter", "nofilter"), ("offset", "offset (offset=1M)"),
                      ("truncate", "truncate (round-up=512)"), ("blocksize", "blocksize (minblock=4K, aligned copies)")):
    ROWS += [
        Row(f"filter-{_filter}-write-c4", f"memory {{size}} overwrite, 4 conns: nbd4j without a filter (nbdkit column) "
            f"vs through {_how}", "MB/s", HIGHER, Target("score>=", 0.95)),
        Row(f"filter-{_filter}-read-c4", f"memory {{size}} read to null:, 4 conns: nbd4j without a filter (nbdkit "
            f"column) vs through {_how}", "MB/s", HIGHER, Target("score>=", 0.95)),
    ]

# The CPU cost of every throughput row: sample rows named "cpu:<row>", lower is better, no target.
CPU_ROWS = [Row("cpu:" + r.key, r.label, "ms/GiB" if r.unit == "MB/s" else "µs/IO", LOWER)
            for r in ROWS + COLD_ROWS if r.unit in ("MB/s", "IOPS")]
CPU_ROWS = [r for r in CPU_ROWS if "vs-direct" not in r.key]  # two programs in one row: no CPU comparison


def read_samples(path):
    samples = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3:
                continue
            row, server, value = parts
            samples.setdefault((row, server), []).append(value)
    return samples


def read_meta(path):
    meta = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition("\t")
            if key:
                meta.append((key, value))
    return meta


def median(values):
    """The median of the numeric samples; None when there are none or any run failed."""
    if not values or "FAIL" in values:
        return None
    return statistics.median(float(v) for v in values)


def spread(values):
    """How far apart one server's runs were, (max - min) / median, as a hint of the machine's noise."""
    m = median(values)
    if m is None or len(values) < 2 or m == 0:
        return ""
    numbers = [float(v) for v in values]
    return f" spread {100 * (max(numbers) - min(numbers)) / m:.0f}%"


def score_of(row, nbdkit, nbd4j):
    if nbdkit is None or nbd4j is None or nbdkit <= 0 or nbd4j <= 0:
        return None
    return nbd4j / nbdkit if row.better == HIGHER else nbdkit / nbd4j


def fmt(value, unit):
    if value is None:
        return "n/a"
    if unit in ("×", ""):
        return f"{value:.2f}"
    if unit == "IOPS":
        return f"{value:,.0f}"
    if unit == "s":
        return f"{value:,.3f}"
    return f"{value:,.1f}"


def build(rows, samples, names):
    """names: the values the row labels refer to ({size}, {sparse_large}, ...)."""
    table = []
    for row in rows:
        runs = {s: samples.get((row.key, s), []) for s in SERVERS}
        if not any(runs.values()):
            continue
        nbdkit, nbd4j = median(runs["nbdkit"]), median(runs["nbd4j"])
        score = score_of(row, nbdkit, nbd4j)
        if row.target is None:
            target, meets = "—", "—"
        else:
            target = row.target.describe(row.unit)
            other = median(samples.get((row.target.other, "nbd4j"), [])) if row.target.other else None
            if (nbd4j is None or (row.target.needs_nbdkit() and nbdkit is None)
                    or (row.target.kind == "row<=" and other is None)):
                meets = "—"
            else:
                meets = "yes" if row.target.met(nbdkit, nbd4j, score, other) else "no"
        table.append({
            "row": row.key, "workload": row.label.format_map(names), "unit": row.unit, "better": row.better,
            "nbdkit": nbdkit, "nbd4j": nbd4j, "score": score, "target": target, "meets": meets,
            "nbdkit_samples": runs["nbdkit"], "nbd4j_samples": runs["nbd4j"],
        })
    return table


def table_lines(table, with_targets=True):
    head = "| workload | unit | better | nbdkit | nbd4j | nbd4j vs nbdkit |"
    rule = "|---|---|---|---:|---:|---:|"
    lines = [head + " target | meets |", rule + "---|---|"] if with_targets else [head, rule]
    for t in table:
        score = "n/a" if t["score"] is None else f"{t['score']:.2f}×"
        line = (f"| {t['workload']} | {t['unit']} | {t['better']} | {fmt(t['nbdkit'], t['unit'])} | "
                f"{fmt(t['nbd4j'], t['unit'])} | {score} |")
        lines.append(line + f" {t['target']} | {t['meets']} |" if with_targets else line)
    return lines


def markdown(table, cold_table, shares, cpu_table, meta):
    out = ["# nbd4j vs nbdkit", ""]
    for key, value in meta:
        out.append(f"- **{key}**: {value}")
    out += ["", "## Warm: the second pass on a server", ""] + table_lines(table)
    out += ["",
            "Medians over all runs. *nbd4j vs nbdkit* is nbd4j/nbdkit for higher-is-better rows and "
            "nbdkit/nbd4j for lower-is-better rows, so above 1 always means nbd4j did better. "
            "Targets: issue 14 (memory and file rows ≥ 1.3× nbdkit cold and warm, first write ≥ 3×, "
            "--run ≤ 100 ms, fsync ≥ 70% of the kernel, the scale rows), issue 11 (proxy, curl), DESIGN §6 "
            "(RSS). n/a: no run succeeded, or a run failed."]
    if cold_table:
        out += ["", "## Cold: the first pass on a freshly started server", "",
                "Each workload starts one server per measurement and runs twice on it; this table holds the "
                "first pass (a fresh JVM for nbd4j, pages never read before for the read rows), the one above "
                "the second.", ""] + table_lines(cold_table)
    if shares:
        out += ["", "## Cold as a share of warm", "",
                "Each server's cold median ÷ its warm median (for time rows, warm ÷ cold): 1 means the first "
                "pass is as fast as the second.", ""] + table_lines(shares)
    if cpu_table:
        out += ["", "## Server CPU time per unit of work", "",
                "User + system time of the server process over all its threads, during the measured part "
                "of each run, per GiB moved (MB/s rows) or per I/O (IOPS rows). It moves much less than "
                "throughput when other work shares the machine, so it is the steadier comparison on a "
                "busy host.", ""] + table_lines(cpu_table, with_targets=False)
    out += ["", "## Samples", "", "Every run's figure; *spread* is (max − min) / median.", ""]
    for t in table + cold_table + cpu_table:
        parts = [f"{s} [{', '.join(t[s + '_samples'])}]{spread(t[s + '_samples'])}" for s in SERVERS]
        out.append(f"- {t['row']}: " + "; ".join(parts))
    return "\n".join(out) + "\n"


def write_csv(table, path):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["row", "workload", "unit", "better", "nbdkit_median", "nbd4j_median",
                    "nbd4j_vs_nbdkit", "target", "meets", "nbdkit_samples", "nbd4j_samples"])
        for t in table:
            digits = 3 if t["unit"] in ("s", "×", "") else 1
            w.writerow([t["row"], t["workload"], t["unit"], t["better"],
                        "" if t["nbdkit"] is None else f"{t['nbdkit']:.{digits}f}",
                        "" if t["nbd4j"] is None else f"{t['nbd4j']:.{digits}f}",
                        "" if t["score"] is None else f"{t['score']:.3f}",
                        t["target"], t["meets"],
                        ";".join(t["nbdkit_samples"]), ";".join(t["nbd4j_samples"])])


def label_names(meta):
    """The sizes the row labels name, from the run's description (see bench/run's meta lines)."""
    sparse = re.match(r"(\S+) and (\S+), each holding (\S+) in", meta.get("sparse files", ""))
    large, small, data = sparse.groups() if sparse else ("", "", "")
    idle = re.match(r"(\d+)", meta.get("idle connections", ""))
    return {"size": meta.get("disk size", ""), "sparse_large": large, "sparse_small": small, "sparse_data": data,
            "idle": idle.group(1) if idle else ""}


def derived(samples):
    """Samples of the rows computed from others: per server, from the medians of whole rows."""
    out = {}
    for s in SERVERS:
        large, small = median(samples.get(("sparse-copy-large", s), [])), median(samples.get(("sparse-copy-small", s), []))
        if large is not None and small:
            out[("sparse-copy-large-vs-small", s)] = [f"{large / small:.3f}"]
        fsync, kernel = median(samples.get(("fsync-4conn", s), [])), median(samples.get(("fsync-4conn-kernel", "kernel"), []))
        if fsync is not None and kernel:
            out[("fsync-4conn-share", s)] = [f"{fsync / kernel:.3f}"]
        run, floor = median(samples.get(("run-nbdinfo", s), [])), median(samples.get(("run-nbdinfo-java-floor", "floor"), []))
        if run is not None and floor:
            out[("run-nbdinfo-vs-java-floor", s)] = [f"{run / floor:.3f}"]
    return out


def cold_vs_warm(samples, names):
    """For every row measured cold and warm: the cold pass's median as a share of the warm one's (for time
    rows, warm ÷ cold), per server; issue 14's goal 1 is ≥ 0.9 for nbd4j."""
    table = []
    for row in ROWS:
        if row.key not in COLD_KEYS:
            continue
        shares = {}
        for s in SERVERS:
            cold, warm = median(samples.get(("cold:" + row.key, s), [])), median(samples.get((row.key, s), []))
            if cold and warm:
                shares[s] = cold / warm if row.better == HIGHER else warm / cold
        if not shares:
            continue
        nbd4j = shares.get("nbd4j")
        table.append({"row": "cold-vs-warm:" + row.key, "workload": row.label.format_map(names), "unit": "×",
                      "better": HIGHER, "nbdkit": shares.get("nbdkit"), "nbd4j": nbd4j, "score": None,
                      "target": "nbd4j ≥ 0.9", "meets": "—" if nbd4j is None else ("yes" if nbd4j >= 0.9 else "no"),
                      "nbdkit_samples": [], "nbd4j_samples": []})
    return table


def svg_plot(table, cold_table):
    """Horizontal bars: nbd4j's score against nbdkit for every compared row, cold and warm, with 1× and
    each row's target marked. Standard library only, so hand-written SVG."""
    cold = {t["row"][len("cold:"):]: t for t in cold_table}
    rows = [t for t in table if t["score"] is not None or (t["row"] in cold and cold[t["row"]]["score"] is not None)]
    rows = [t for t in rows if t["target"].endswith("nbdkit") or t["row"] in cold]
    top, bar, gap, left, width = 40, 9, 8, 430, 420
    scale_max = max([3.5] + [t["score"] or 0 for t in rows] + [(cold.get(t["row"]) or {}).get("score") or 0 for t in rows])
    x = lambda v: left + width * min(v, scale_max) / scale_max
    height = top + len(rows) * (2 * bar + gap) + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 60}" height="{height}" '
           f'font-family="sans-serif" font-size="11">',
           '<rect width="100%" height="100%" fill="white"/>',
           f'<text x="10" y="18" font-size="14">nbd4j ÷ nbdkit per row (above 1: nbd4j better); '
           f'<tspan fill="#4a7ab5">warm</tspan>, <tspan fill="#e08a2c">cold (first pass on a fresh server)</tspan>; '
           f'| target</text>']
    for v in range(0, int(scale_max) + 1):
        out.append(f'<line x1="{x(v):.1f}" y1="{top - 6}" x2="{x(v):.1f}" y2="{height - 30}" '
                   f'stroke="{"#333" if v == 1 else "#ddd"}" stroke-width="{1.5 if v == 1 else 1}"/>')
        out.append(f'<text x="{x(v):.1f}" y="{height - 16}" text-anchor="middle">{v}×</text>')
    y = top
    for t in rows:
        label = t["workload"] if len(t["workload"]) <= 68 else t["workload"][:66] + "…"
        out.append(f'<text x="{left - 6}" y="{y + bar + 4}" text-anchor="end">{escape(label)}</text>')
        for score, colour, dy in ((t["score"], "#4a7ab5", 0), ((cold.get(t["row"]) or {}).get("score"), "#e08a2c", bar)):
            if score is not None:
                out.append(f'<rect x="{left}" y="{y + dy}" width="{x(score) - left:.1f}" height="{bar - 1}" fill="{colour}"/>')
                out.append(f'<text x="{x(score) + 3:.1f}" y="{y + dy + bar - 2}" font-size="9">{score:.2f}</text>')
        m = re.match(r"≥ ([0-9.]+)× nbdkit", t["target"])
        if m:
            tx = x(float(m.group(1)))
            out.append(f'<line x1="{tx:.1f}" y1="{y - 1}" x2="{tx:.1f}" y2="{y + 2 * bar}" stroke="#c00" stroke-width="2"/>')
        y += 2 * bar + gap
    out.append("</svg>")
    return "\n".join(out) + "\n"


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def main(argv):
    parser = argparse.ArgumentParser(description="Build the nbd4j vs nbdkit results table.")
    parser.add_argument("samples")
    parser.add_argument("meta")
    parser.add_argument("--md", help="also write the Markdown here")
    parser.add_argument("--csv", help="also write the table as CSV here")
    parser.add_argument("--svg", help="also write a plot of the ratios, cold and warm, here")
    args = parser.parse_args(argv[1:])
    meta = read_meta(args.meta)
    samples = read_samples(args.samples)
    samples.update(derived(samples))
    names = label_names(dict(meta))
    table = build(ROWS + DERIVED_ROWS, samples, names)
    cold_table = build(COLD_ROWS, samples, names)
    shares = cold_vs_warm(samples, names)
    cpu_table = build(CPU_ROWS, samples, names)
    kernel = samples.get(("fsync-4conn-kernel", "kernel"), [])
    if kernel:
        meta.append(("kernel fsync figure", f"fio psync, 4 jobs, 4 KiB random write + fsync each: "
                                            f"median {fmt(median(kernel), 'IOPS')} IOPS [{', '.join(kernel)}]"))
    floor = samples.get(("run-nbdinfo-java-floor", "floor"), [])
    if floor:
        meta.append(("Java floor for --run", f"bench/lib/CaptiveFloor.java serving --run 'nbdinfo --size $uri' "
                                             f"for a {names['size']} export: median {fmt(median(floor), 'ms')} ms "
                                             f"[{', '.join(floor)}]"))
    steal = samples.get(("run-nbdinfo-machine", "steal"), [])
    load = samples.get(("run-nbdinfo-machine", "load"), [])
    if steal:
        meta.append(("machine during the --run samples", f"per round, CPU time taken by the hypervisor (steal) "
                                                         f"[{', '.join(s + '%' for s in steal)}], load average "
                                                         f"after them [{', '.join(load)}]"))
    text = markdown(table, cold_table, shares, cpu_table, meta)
    sys.stdout.write(text)
    if args.md:
        with open(args.md, "w", encoding="utf-8") as f:
            f.write(text)
    if args.csv:
        write_csv(table + cold_table + shares + cpu_table, args.csv)
    if args.svg:
        with open(args.svg, "w", encoding="utf-8") as f:
            f.write(svg_plot(table, cold_table))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
