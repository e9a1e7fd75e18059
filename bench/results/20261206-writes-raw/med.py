import sys,statistics,collections
v=collections.defaultdict(list)
for l in open(sys.argv[1]):
    p=l.split()
    if len(p)==3 and not p[0][0].isdigit():
        try: v[p[0]].append((float(p[1]),float(p[2])))
        except ValueError: pass
rows=sorted(set(k.rsplit('-',1)[0] for k in v))
for r in rows:
    out=[r]
    for s in ('kit','base','new'):
        xs=v.get(f"{r}-{s}",[])
        if xs: out.append(f"{s}: n={len(xs)} rate {statistics.median(x[0] for x in xs):.0f} cpu {statistics.median(x[1] for x in xs):.2f}")
    print(' | '.join(out))
