"""Two builds of setupwright on the seed runbook, alternating run by run, each run on a
fresh simulated org: wall time, the look's and the capture's sums from report.json, and
the CPU of every process under the run (setupwright, chromedriver, Chromium), read from
/proc every 100 ms. For a change's cost or gain, where the machine's drift between runs
is as large as the change: compare within a round only.

    python3 bench/seed-ab.py ROUNDS BIN_A BIN_B   (release builds; the simulator is A's)"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import PASSWORD, CODE, RUNBOOK, USER, descendants, proc_stats  # noqa: E402


def one(binary, sim_binary):
    sim = subprocess.Popen([sim_binary, "sim"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = next(line.split()[-1] for line in sim.stdout if line.startswith("My Domain"))
    art = tempfile.mkdtemp()
    env = dict(os.environ, SETUPWRIGHT_LOGIN_PASSWORD=PASSWORD, SETUPWRIGHT_VERIFICATION_CODE=CODE)
    cmd = [binary, "run", RUNBOOK, "-i", f"my_domain_url={url}", "-i", f"username={USER}",
           "-i", f"contact_email={USER}", "--artifacts", art, "--quiet"]
    try:
        start = time.monotonic()
        p = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        last = {}
        while p.poll() is None:
            for pid in [p.pid] + descendants(p.pid):
                s = proc_stats(pid)
                if s:
                    last[pid] = s[0]
            time.sleep(0.1)
        wall = time.monotonic() - start
        out = p.stdout.read()
        if p.returncode != 0:
            sys.exit(f"{binary} failed ({p.returncode}):\n{out}")
    finally:
        sim.terminate()
        sim.wait()
    sums = {"look": 0.0, "capture": 0.0, "in_page": 0.0}
    for d, _, fs in os.walk(art):
        if "report.json" in fs:
            for st in json.load(open(os.path.join(d, "report.json")))["steps"]:
                t = st.get("timings_ms") or {}
                for k in sums:
                    sums[k] += t.get(k, 0) / 1000
    return {"wall": wall, "cpu": sum(last.values()), **sums}


def main():
    rounds, a, b = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    runs = {a: [], b: []}
    for r in range(rounds):
        for binary in (a, b) if r % 2 == 0 else (b, a):
            res = one(binary, a)
            runs[binary].append(res)
            print(f"round {r + 1} {binary}: " + ", ".join(f"{k} {v:.2f}" for k, v in res.items()), flush=True)
    for binary in (a, b):
        med = {k: statistics.median(x[k] for x in runs[binary]) for k in runs[binary][0]}
        print(f"median {binary}: " + ", ".join(f"{k} {v:.2f} s" for k, v in med.items()))


if __name__ == "__main__":
    main()
