"""setupwright against Playwright on the seed flow, on this machine, in one run.

Each run gets fresh simulated orgs (a provisioned org would let the runbook skip its
work). Both sides take one screenshot per step and run headless Chromium from
/usr/bin/chromium. setupwright links the last picture for a step that left the page
unchanged; it is also timed with --fresh-screenshots, which captures every one. Measured from outside, by polling /proc every 20 ms:
  - wall time of the whole command (browser start to exit);
  - CPU time and peak RSS (VmHWM) of the tool's own process: setupwright, or the Node
    process that runs Playwright's client; and, apart, of setupwright's chromedriver
    (Playwright speaks DevTools to Chromium itself, so it has no such process).
Chromium's own processes (the same browser on both sides, but each tool makes it work:
the engine's calls, the pictures' encoding) and the simulated orgs' servers are summed
apart, read every 100 ms, so that where the CPU of several orgs at once goes is seen.

usage: python3 bench/compare.py [--repeat 3] [--scale 1,2,4]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "setupwright")
RUNBOOK = os.path.join(ROOT, "runbooks", "focus-matters-secured-login.yaml")
FLOW = os.path.join(ROOT, "bench", "playwright", "seed-flow.mjs")
USER, PASSWORD, CODE = "admin@example.com", "Sim-Passw0rd!", "246810"
TICK = os.sysconf("SC_CLK_TCK")


def start_sims(n):
    sims = []
    for _ in range(n):
        p = subprocess.Popen([BIN, "sim"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for line in p.stdout:
            if line.startswith("My Domain"):
                sims.append((p, line.split()[-1]))
                break
    return sims


def sims_cpu(sims):
    """CPU seconds the simulated orgs' servers spent so far."""
    return sum((proc_stats(p.pid) or (0.0, 0))[0] for p, _ in sims)


def stop(procs):
    for p in procs:
        p.terminate()
    for p in procs:
        p.wait()


def proc_stats(pid):
    """(cpu seconds, VmHWM kB) of one process, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / TICK
        with open(f"/proc/{pid}/status") as f:
            hwm = int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1))
        return cpu, hwm
    except (OSError, AttributeError, IndexError, ValueError):
        return None


def children(pid):
    """Children of every thread of `pid` (chromedriver starts Chromium from another thread)."""
    out = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for t in tasks:
        try:
            with open(f"/proc/{pid}/task/{t}/children") as f:
                out.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return out


def descendants(pid):
    out, todo = [], children(pid)
    while todo:
        c = todo.pop()
        out.append(c)
        todo.extend(children(c))
    return out


def comm(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return ""


def measure(cmds, env):
    """Runs the commands at once; returns wall seconds, and per command its exit code,
    own (cpu, peak kB), and its chromedriver's (cpu, peak kB) if it has one."""
    start = time.monotonic()
    procs = [subprocess.Popen(c, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for c in cmds]
    own = {p.pid: (0.0, 0) for p in procs}
    driver = {p.pid: {} for p in procs}
    # Every other process below the tool (the browser's), by its last reading.
    browser = {p.pid: {} for p in procs}
    tick = 0
    while any(p.poll() is None for p in procs):
        tick += 1
        for p in procs:
            s = proc_stats(p.pid)
            if s:
                own[p.pid] = s
            # The whole tree every 100 ms: reading it is work on the same cores.
            for c in descendants(p.pid) if tick % 5 == 1 else []:
                d = proc_stats(c)
                if not d:
                    continue
                # chromedriver is a grandchild: setupwright starts it through a keeper shell.
                if comm(c) == "chromedriver":
                    driver[p.pid][c] = d
                else:
                    browser[p.pid][c] = d
        time.sleep(0.02)
    wall = time.monotonic() - start
    out = []
    for p in procs:
        text = p.stdout.read()
        d = list(driver[p.pid].values())
        out.append({"code": p.returncode, "own": own[p.pid], "driver": (sum(x[0] for x in d), sum(x[1] for x in d)) if d else None,
                    "browser_cpu": sum(x[0] for x in browser[p.pid].values()), "text": text})
    return wall, out


def pictures(art):
    """(screenshot files, distinct pictures): an unchanged page's picture is a hard link."""
    files = [os.path.join(d, f) for d, _, fs in os.walk(art) for f in fs if f.endswith(".png")]
    return len(files), len({os.stat(f).st_ino for f in files})


def phases_setupwright(art):
    """Seconds a run spent in its steps' actions (locate and act) and in their pictures
    (settle, look, capture, cover, write), summed over every report of the run."""
    act = pic = 0.0
    for d, _, fs in os.walk(art):
        if "report.json" not in fs:
            continue
        with open(os.path.join(d, "report.json")) as f:
            rep = json.load(f)
        for st in rep["steps"]:
            t = st.get("timings_ms") or {}
            act += t.get("locate", 0) + t.get("action", 0)
            pic += sum(t.get(k, 0) for k in ("settle", "look", "capture", "cover", "write"))
    return act / 1000, pic / 1000


def phases_playwright(text):
    """The same two sums from the flow's closing JSON line."""
    for line in reversed(text.splitlines()):
        if line.startswith("{"):
            j = json.loads(line)
            return j.get("action_ms", 0) / 1000, j.get("picture_ms", 0) / 1000
    return 0.0, 0.0


def run_setupwright(n, work, fresh=False):
    sims = start_sims(n)
    try:
        targets = os.path.join(work, f"targets-{n}.yaml")
        with open(targets, "w") as f:
            f.write(f"inputs: {{ username: {USER}, contact_email: {USER} }}\ntargets:\n")
            for i, (_, url) in enumerate(sims):
                f.write(f"  - name: org{i + 1}\n    inputs: {{ my_domain_url: \"{url}\" }}\n")
        env = dict(os.environ, SETUPWRIGHT_LOGIN_PASSWORD=PASSWORD, SETUPWRIGHT_VERIFICATION_CODE=CODE)
        art = tempfile.mkdtemp(dir=work)
        cmd = [BIN, "run", RUNBOOK, "--targets", targets, "--jobs", str(n), "--artifacts", art, "--quiet"] + (["--fresh-screenshots"] if fresh else [])
        wall, rs = measure([cmd], env)
        r = rs[0]
        if r["code"] != 0:
            sys.exit(f"setupwright failed ({r['code']}):\n{r['text']}")
        shots, captured = pictures(art)
        act, pic = phases_setupwright(art)
        return {"wall": wall, "cpu": r["own"][0], "peak_kb": r["own"][1], "driver": r["driver"], "shots": shots, "captured": captured,
                "browser_cpu": r["browser_cpu"], "sim_cpu": sims_cpu(sims), "act": act, "pic": pic}
    finally:
        stop([p for p, _ in sims])


def run_playwright(n, work):
    sims = start_sims(n)
    try:
        env = dict(os.environ, SEED_USERNAME=USER, SEED_PASSWORD=PASSWORD, SEED_CODE=CODE)
        arts = [tempfile.mkdtemp(dir=work) for _ in sims]
        cmds = [["node", FLOW, url, art] for (_, url), art in zip(sims, arts)]
        wall, rs = measure(cmds, env)
        for r in rs:
            if r["code"] != 0:
                sys.exit(f"the Playwright flow failed ({r['code']}):\n{r['text']}")
        shots = sum(len([f for f in os.listdir(a) if f.endswith(".png")]) for a in arts)
        act, pic = (sum(x) for x in zip(*(phases_playwright(r["text"]) for r in rs)))
        return {"wall": wall, "cpu": sum(r["own"][0] for r in rs), "peak_kb": max(r["own"][1] for r in rs), "driver": None, "shots": shots,
                "browser_cpu": sum(r["browser_cpu"] for r in rs), "sim_cpu": sims_cpu(sims), "act": act, "pic": pic}
    finally:
        stop([p for p, _ in sims])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--scale", default="1,2,4")
    args = ap.parse_args()
    scale = [int(x) for x in args.scale.split(",")]
    work = tempfile.mkdtemp(prefix="setupwright-compare-")
    print(f"seed flow, one org, median of {args.repeat} runs each (alternating):")
    sw, swf, pw = [], [], []
    for _ in range(args.repeat):
        sw.append(run_setupwright(1, work))
        swf.append(run_setupwright(1, work, fresh=True))
        pw.append(run_playwright(1, work))
    med = lambda rs, k: statistics.median(r[k] for r in rs)
    s_wall, p_wall = med(sw, "wall"), med(pw, "wall")
    s_cpu, p_cpu = med(sw, "cpu"), med(pw, "cpu")
    s_mem, p_mem = max(r["peak_kb"] for r in sw), max(r["peak_kb"] for r in pw)
    d_cpu = statistics.median(r["driver"][0] for r in sw if r["driver"])
    d_mem = max(r["driver"][1] for r in sw if r["driver"])
    print(f"  {'':12} {'wall':>8} {'own CPU':>9} {'CPU/wall':>9} {'own peak RSS':>13} {'screenshots':>12}")
    shots = f"{sw[0]['shots']} ({sw[0]['captured']} captured)"
    print(f"  {'setupwright':12} {s_wall:7.2f}s {s_cpu:8.2f}s {100 * s_cpu / s_wall:8.1f}% {s_mem / 1024:10.1f} MB {shots:>12}")
    print(f"  {' chromedriver':12} {'':8} {d_cpu:8.2f}s {100 * d_cpu / s_wall:8.1f}% {d_mem / 1024:10.1f} MB")
    print(f"  {'playwright':12} {p_wall:7.2f}s {p_cpu:8.2f}s {100 * p_cpu / p_wall:8.1f}% {p_mem / 1024:10.1f} MB {pw[0]['shots']:>12}")
    print(f"  CPU besides the tool: the browser (Chromium's processes) setupwright {med(sw, 'browser_cpu'):.2f}s, playwright {med(pw, 'browser_cpu'):.2f}s; "
          f"the simulated org's server {med(sw, 'sim_cpu'):.2f}s, {med(pw, 'sim_cpu'):.2f}s")
    f_wall = med(swf, "wall")
    print(f"  wall-time ratio setupwright/playwright: {s_wall / p_wall:.2f}")
    print(f"  with --fresh-screenshots (every picture captured, {swf[0]['captured']}): {f_wall:.2f}s, ratio {f_wall / p_wall:.2f}")
    for name, rs in (("setupwright", sw), ("--fresh", swf), ("playwright", pw)):
        act, pic = med(rs, "act"), med(rs, "pic")
        print(f"  {name}: steps' actions {act:.2f}s, their pictures {pic:.2f}s, the rest {med(rs, 'wall') - act - pic:.2f}s (start, guards, stop)")
    walls = lambda rs: ", ".join("%.1f" % r["wall"] for r in rs)
    print(f"  runs: setupwright {walls(sw)} s; --fresh-screenshots {walls(swf)} s; playwright {walls(pw)} s")
    print("\nparallel orgs (setupwright: run --targets --jobs N; playwright: N node processes):")
    print(f"  {'orgs':>4} {'setupwright':>12} {'x one':>6} {'playwright':>11} {'x one':>6}")
    base = {}
    for n in scale:
        sr = run_setupwright(n, work)
        pr = run_playwright(n, work)
        s, p = sr["wall"], pr["wall"]
        base.setdefault("s", s)
        base.setdefault("p", p)
        cpu = lambda r: r["cpu"] + (r["driver"][0] if r["driver"] else 0) + r["browser_cpu"] + r["sim_cpu"]
        print(f"  {n:>4} {s:11.1f}s {s / base['s']:5.2f}x {p:10.1f}s {p / base['p']:5.2f}x   all CPU: setupwright {cpu(sr):.1f}s, playwright {cpu(pr):.1f}s")
    subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
