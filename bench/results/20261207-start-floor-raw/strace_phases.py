# strace_phases.py LABEL LOG...: medians of the phases of captive starts from strace -f -ttt -e trace=execve,listen,connect,exit_group logs
import sys, re, statistics
res = {}
for path in sys.argv[2:]:
    lines = open(path).read().splitlines()
    t = {}
    for l in lines:
        m = re.match(r'(\d+) (\d+\.\d+) (.*)', l)
        if not m: continue
        pid, ts, rest = m.group(1), float(m.group(2)), m.group(3)
        if 'execve("/usr/lib/jvm' in rest and 'java' in rest and 'jspawnhelper' not in rest and 'java0' not in t: t['java0'] = ts
        if rest.startswith('listen(') and 'listen' not in t: t['listen'] = ts
        if 'execve("/usr/bin/nbdinfo"' in rest: t['nbdinfo'] = ts
        if rest.startswith('connect(') and 'nbdinfo' in t and 'connect' not in t: t['connect'] = ts
        if 'exit_group' in rest and 'nbdinfo' in t and 'nbdinfo_exit' not in t and 'connect' in t: t['nbdinfo_exit'] = ts
        if '+++ exited' in rest: t['end'] = ts
    keys = ['java0', 'listen', 'nbdinfo', 'connect', 'nbdinfo_exit', 'end']
    if not all(k in t for k in keys): print("incomplete", path, t.keys()); continue
    for a, b in zip(keys, keys[1:]):
        res.setdefault(a + '->' + b, []).append((t[b] - t[a]) * 1000)
    res.setdefault('total', []).append((t['end'] - t['java0']) * 1000)
print(sys.argv[1], ' | '.join('%s %.1f' % (k, statistics.median(v)) for k, v in res.items()))
