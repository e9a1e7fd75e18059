import csv, glob, statistics, sys, re
d = sys.argv[1]
vals = {}
for f in sorted(glob.glob(d + "/*-*/*.csv")):
    v, i = re.search(r"/(plain|nt)-(\d+)/", f).groups()
    for r in csv.DictReader(open(f)):
        if r["nbd4j_median"] and not r["row"].startswith("cold-vs-warm"):
            vals.setdefault(r["row"], {}).setdefault(v, []).append((int(i), float(r["nbd4j_median"])))
for row, by in vals.items():
    p = [x for _, x in sorted(by.get("plain", []))]; n = [x for _, x in sorted(by.get("nt", []))]
    ratios = [b / a for a, b in zip(p, n)]
    print(f"{row}: plain median {statistics.median(p):.1f} {p}  nt median {statistics.median(n):.1f} {n}  pairwise nt/plain median {statistics.median(ratios):.3f}, nt lower in {sum(r < 1 for r in ratios)}/{len(ratios)}")
