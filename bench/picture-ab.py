"""A/B of the picture path on the executor benchmark: the 100-step runbook with every
picture captured (`--fresh-screenshots`), as setupwright runs by default and with
`--compact-screenshots`, alternating. Per run: ms/step, the capture phase (report.json's
timings_ms), the CPU of setupwright with chromedriver and Chromium (its process tree,
read from /proc every 50 ms; each process's last reading counts), and the pictures' size.

    python3 bench/picture-ab.py BASE_URL [--rounds N]   (after cargo build --release)"""
import glob, json, os, statistics, subprocess, sys, tempfile, time

base = sys.argv[1]
rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 3
work = tempfile.mkdtemp()
book = os.path.join(work, "bench.yaml")
open(book, "w").write(subprocess.run([sys.executable, "bench/make-runbook.py"], capture_output=True, text=True, check=True).stdout)
TICK = os.sysconf("SC_CLK_TCK")
def stat(pid):
    f = open(f"/proc/{pid}/stat").read()
    return f[f.rindex(")") + 2:].split()
def cpu_s(pid):
    try:
        f = stat(pid)
        return (int(f[11]) + int(f[12])) / TICK
    except (OSError, ValueError):
        return None
def tree(root):
    kids = {}
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                kids.setdefault(int(stat(p)[1]), []).append(int(p))
            except (OSError, ValueError, IndexError):
                pass
    out, todo = [], [root]
    while todo:
        q = todo.pop(); out.append(q); todo.extend(kids.get(q, []))
    return out
modes = {"fast PNG (default)": [], "--compact-screenshots": ["--compact-screenshots"]}
res = {m: [] for m in modes}
for r in range(rounds):
    for m, flags in modes.items():
        art = os.path.join(work, f"{r}-{len(res[m])}-{flags and 'c' or 'f'}")
        proc = subprocess.Popen(["./target/release/setupwright", "run", book, "-i", f"base={base}", "--artifacts", art,
                                 "--quiet", "--fresh-screenshots", *flags], stdout=subprocess.DEVNULL)
        seen = {}
        while proc.poll() is None:
            for pid in tree(proc.pid):
                t = cpu_s(pid)
                if t is not None:
                    seen[pid] = t
            time.sleep(0.05)
        assert proc.returncode == 0, proc.returncode
        rep = glob.glob(os.path.join(art, "*", "report.json"))[0]
        rj = json.load(open(rep))
        steps = [s for s in rj["steps"] if s["kind"] == "action"]
        pngs = glob.glob(os.path.join(os.path.dirname(rep), "*.png"))
        res[m].append({
            "ms_step": sum(s["duration_ms"] for s in steps) / len(steps),
            "capture": statistics.mean(s["timings_ms"]["capture"] for s in steps),
            "cpu": sum(seen.values()),
            "kb": sum(os.path.getsize(p) for p in pngs) / len(pngs) / 1024,
        })
load = open("/proc/loadavg").read().split()[:3]
print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, load after {' '.join(load)}, {rounds} runs each, alternating")
for m, runs in res.items():
    f = lambda k: ", ".join(f"{x[k]:.1f}" for x in runs)
    print(f"{m:24} ms/step {f('ms_step'):24} capture ms/step {f('capture'):22} CPU s/run (all processes) {f('cpu'):20} KB/picture {f('kb')}")
