# Per-seed and per-category differences, base against the blend without drift: python3 summarise.py [seeds]
import re, os, sys, statistics as st
D=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
def base_log(n):
    for p in [f'{D}/nab-gap-anchor-base-corpus{n}-s{n}-2026-12-03.log', f'{D}/nab-gap-anchor-seeds-2026-12-03/base9-corpus{n}-s{n}.log', f'{D}/nab-anchor-without-drift-2026-12-04/base-corpus{n}-s{n}.log']:
        if os.path.exists(p): return p
def nd_log(n):
    for p in [f'{D}/nab-anchor-without-drift-2026-12-04/nodrift-corpus{n}-s{n}.log']:
        if os.path.exists(p): return p
def parse(p):
    if not p: return None
    s=open(p).read()
    m=re.search(r'RESULT nab (.*)',s)
    if not m: return None
    r=dict(kv.split('=') for kv in m.group(1).split())
    r={k:float(v) for k,v in r.items()}
    cats={}
    for line in s.splitlines():
        c=[x.strip() for x in line.strip().strip('|').split('|')]
        if len(c)==10 and c[0] not in ('category','clean') and not c[0].startswith('-'):
            try: cats[c[0]]=(float(c[6]),float(c[9]))
            except ValueError: pass
    return r,cats
seeds=[int(x) for x in sys.argv[1:]] or list(range(1,17))
rows=[]
for n in seeds:
    b,d=parse(base_log(n)),parse(nd_log(n))
    if b and d: rows.append((n,b,d))
print('seeds', [r[0] for r in rows])
keys=['standard','default_threshold_standard','mean_category','false_alarms_per_1000_series_days']
for n,b,d in rows:
    print(n, ' '.join(f"{k[:12]} {b[0][k]:.1f}->{d[0][k]:.1f}" for k in keys))
def se(x): return st.stdev(x)/len(x)**0.5 if len(x)>1 else float('nan')
for k in keys:
    bb=[b[0][k] for _,b,_ in rows]; dd=[d[0][k] for _,_,d in rows]; df=[y-x for x,y in zip(bb,dd)]
    print(f"{k:36s} base {st.mean(bb):.2f} nodrift {st.mean(dd):.2f} diff {st.mean(df):+.2f} (se {se(df):.2f})")
for c in sorted(rows[0][1][1]):
    for i,lab in ((0,'swept'),(1,'alarms')):
        df=[d[1][c][i]-b[1][c][i] for _,b,d in rows]
        bb=[b[1][c][i] for _,b,_ in rows]
        print(f"  {c:22s} {lab:6s} base {st.mean(bb):.2f} diff {st.mean(df):+.2f} (se {se(df):.2f}) down on {sum(x<0 for x in df)}/{len(df)}")
