import sys,re,statistics as st
rows={}
for f in sys.argv[1:]:
    for line in open(f):
        m=re.match(r'(old|new|kernel) (.*)',line)
        if not m: continue
        kv=dict(x.split('=') for x in m.group(2).split())
        rows.setdefault(m.group(1),[]).append({k:float(v) for k,v in kv.items()})
for k,v in rows.items():
    out=[k, 'n=%d'%len(v), 'iops med=%d' % st.median(r['iops'] for r in v), 'all=' + ','.join('%d'%r['iops'] for r in v)]
    if 'cpu_us_per_io' in v[0]:
        out.append('cpu/cycle med=%.1f all=%s' % (st.median(r['cpu_us_per_io'] for r in v), ','.join('%.1f'%r['cpu_us_per_io'] for r in v)))
        out.append('flush_lat med=%d' % st.median(r['flush_lat_us'] for r in v))
        out.append('write_lat med=%d' % st.median(r['write_lat_us'] for r in v))
        out.append('disk flushes/write med=%.3f' % st.median(r['disk_flushes']/r['ios'] for r in v))
    print(' '.join(out))
old=rows.get('old',[]); new=rows.get('new',[])
if old and new:
    n=min(len(old),len(new))
    print('per-pair new/old iops:', ' '.join('%.2f'%(new[i]['iops']/old[i]['iops']) for i in range(n)), 'median %.2f'%st.median(new[i]['iops']/old[i]['iops'] for i in range(n)))
    print('per-pair new/old cpu:', ' '.join('%.2f'%(new[i]['cpu_us_per_io']/old[i]['cpu_us_per_io']) for i in range(n)), 'median %.2f'%st.median(new[i]['cpu_us_per_io']/old[i]['cpu_us_per_io'] for i in range(n)))
    k=rows.get('kernel')
    if k: print('share of kernel (medians): old %.2f new %.2f' % (st.median(r['iops'] for r in old)/st.median(r['iops'] for r in k), st.median(r['iops'] for r in new)/st.median(r['iops'] for r in k)))
