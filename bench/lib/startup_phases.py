"""Phases of captive starts, from bench/startup-phases' strace logs and JVM class-initialisation logs.

Usage: startup_phases.py WORKDIR RUNS. Reads WORKDIR/{nbd4j,nbdkit}.N.strace and nbd4j.N.jvm and prints
the median of each phase in milliseconds, with the total from the server's exec to its exit.
"""
import re
import statistics
import sys
from pathlib import Path

CALL = re.compile(r'^(\d+)\s+([\d.]+)\s+(?:<\.\.\. )?(\w+)(?:\(| resumed>)(.*)$')
JVM_MARK = re.compile(r"^\[(\d+)ms\].*Initializing '([^']+)'")
# JVM classes whose initialisation marks the end of a phase, with the phase they end.
MARKERS = [
    ("io/nbd4j/cli/Main", "JVM start (AOT cache loaded, main class)"),
    ("io/nbd4j/cli/LayerLoader", "option parsing"),
    ("io/nbd4j/server/LayerStack", "finding the plugin"),
    ("io/nbd4j/cli/ServerRun", "configuring the plugin (get ready)"),
]


def strace_events(path):
    """(pid, seconds, call, rest) of every call that did not fail; an unfinished call's start time is kept."""
    pending = {}
    events = []
    for line in path.read_text().splitlines():
        m = CALL.match(line)
        if not m:
            continue
        pid, t, call, rest = int(m.group(1)), float(m.group(2)), m.group(3), m.group(4)
        if '<unfinished ...>' in rest:
            pending[(pid, call)] = (t, rest)
            continue
        if 'resumed>' in line and (pid, call) in pending:
            t, first = pending.pop((pid, call))
            rest = first + rest
        if re.search(r'= -1 E', rest):
            continue
        events.append((pid, t * 1000.0, call, rest))
    return events


def exit_time(path, pid):
    """When process {pid} ended (strace's '+++ exited' line, whichever of its threads called exit)."""
    for line in path.read_text().splitlines():
        m = re.match(r'^(\d+)\s+([\d.]+)\s+\+\+\+ exited', line)
        if m and int(m.group(1)) == pid:
            return float(m.group(2)) * 1000.0
    raise ValueError(f"no exit of process {pid} in {path}")


def phases(strace, jvm):
    ev = strace_events(strace)
    execs = [(pid, t, rest) for pid, t, call, rest in ev if call == 'execve']
    start_pid, start, _ = execs[0]
    out = []
    mark = start
    if jvm is not None:
        java = next(t for pid, t, rest in execs if re.match(r'"[^"]*/bin/java"', rest))
        out.append(("launcher script", java - mark))
        mark = java
        seen = {}
        for line in jvm.read_text().splitlines():
            m = JVM_MARK.match(line)
            if m and m.group(2) not in seen:
                seen[m.group(2)] = float(m.group(1))
        for cls, name in MARKERS:
            out.append((name, seen[cls] - mark))
            mark = seen[cls]
    listen = next(t for pid, t, call, rest in ev if call == 'listen')
    out.append(("listening" if jvm is not None else "start to listening", listen - mark))
    sh = next(t for pid, t, rest in execs if rest.startswith('"/bin/sh"') and t > listen)
    client_pid, client_exec = next((pid, t) for pid, t, rest in execs if t > sh and not rest.startswith('"/bin/sh"'))
    out.append(("starting the --run command (fork, sh, exec client)", client_exec - listen))
    connect = next(t for pid, t, call, rest in ev if call == 'connect' and pid == client_pid)
    out.append(("client start until it connects", connect - client_exec))
    client_exit = next(t for pid, t, call, rest in ev if call == 'exit_group' and pid == client_pid)
    out.append(("serving the client until it exits", client_exit - connect))
    end = exit_time(strace, start_pid)
    out.append(("shutdown and exit", end - client_exit))
    out.append(("total", end - start))
    return out


def main():
    work, runs = Path(sys.argv[1]), int(sys.argv[2])
    for server in ("nbd4j", "nbdkit"):
        samples = []
        for i in range(runs):
            s = work / f"{server}.{i}.strace"
            if not s.exists():
                continue
            jvm = work / f"{server}.{i}.jvm" if server == "nbd4j" else None
            samples.append(phases(s, jvm))
        if not samples:
            continue
        print(f"\n{server} ({len(samples)} runs), median ms per phase:")
        for k, (name, _) in enumerate(samples[0]):
            values = [run[k][1] for run in samples]
            print(f"  {name:<52} {statistics.median(values):8.1f}   (min {min(values):.1f}, max {max(values):.1f})")


if __name__ == "__main__":
    main()
