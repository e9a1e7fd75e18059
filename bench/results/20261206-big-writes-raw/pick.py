import csv,sys
want=['write-over','cpu:write-over','read-c4','cpu:read-c4','fsync-4conn','cpu:fsync-4conn']
rows={r['row']:r['nbd4j_median'] for f in sys.argv[1:] for r in csv.DictReader(open(f))}
print(' '.join(f"{w}={rows.get(w,'-')}" for w in want))
