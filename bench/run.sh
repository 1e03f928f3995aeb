#!/usr/bin/env bash
# The executor benchmark: a 100-step runbook against a local page, run with screenshots
# (an unchanged page's picture linked), with every picture captured, and without. Prints WebDriver commands per step (screenshots aside), wall time per step,
# the executor's CPU time as a share of wall time, the picture's round trips, and where
# each step's time goes (mean and p90 per phase, from report.json's timings_ms).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prereqs.sh
bash scripts/build-lightning.sh
cargo build --release --quiet
work=$(mktemp -d)
python3 bench/make-runbook.py > "$work/bench.yaml"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory . >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do python3 -c "import socket; socket.create_connection(('127.0.0.1',$port))" 2>/dev/null && break; sleep 0.1; done
for mode in screenshots fresh-screenshots no-screenshots; do
  flags=(); [ "$mode" != screenshots ] && flags=(--"$mode")
  ./target/release/setupwright run "$work/bench.yaml" -i "base=http://127.0.0.1:$port" \
    --artifacts "$work/art-$mode" --quiet "${flags[@]}" > "$work/out-$mode" || { cat "$work/out-$mode"; exit 1; }
  report=$(ls "$work"/art-$mode/*/report.json)
  python3 - "$report" "$mode" <<'PY'
import json, os, sys
r = json.load(open(sys.argv[1]))
run = os.path.dirname(sys.argv[1])
pngs = [os.path.join(run, f) for f in os.listdir(run) if f.endswith(".png")]
shots = f", {len({os.stat(f).st_ino for f in pngs})} of {len(pngs)} pictures captured" if pngs else ""
wall = r["duration_ms"] / 1000
cpu = r["executor_cpu_ms"] / 1000
steps = [s for s in r["steps"] if s["kind"] == "action"]
cmds = sum(s["commands"] for s in steps)
dur = sum(s["duration_ms"] for s in steps)
print(f"{sys.argv[2]:>15}: {len(steps)} steps, {cmds / len(steps):.2f} WebDriver commands/step (screenshots aside), "
      f"{dur / len(steps):.0f} ms/step, whole run {wall:.1f} s, executor CPU {cpu:.2f} s = {100 * cpu / wall:.1f}% of wall{shots}")
pic = [s["picture_commands"] for s in steps if "picture_commands" in s]
if pic:
    print(f"{'':>15}  picture round trips (looks, verdicts, capture): {sum(pic) / len(pic):.2f}/step")
# Where the time goes: mean and p90 of each phase over the action steps (report.json's
# timings_ms; the phases are laps of one clock, so they add up to the step's duration).
def p90(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(0.9 * len(xs)))]
timed = [s["timings_ms"] for s in steps if "timings_ms" in s]
if timed:
    phases = ["locate", "action", "settle", "look", "capture", "cover", "write", "records"]
    print(f"{'':>15}  " + "  ".join(f"{p:>13}" for p in phases) + "   (ms: mean/p90)")
    print(f"{'':>15}  " + "  ".join(f"{sum(t[p] for t in timed) / len(timed):6.1f}/{p90([t[p] for t in timed]):6.1f}" for p in phases))
    page = [t.get("in_page", 0) for t in timed]
    print(f"{'':>15}  of locate, settle and look, the engine's time in the page: {sum(page) / len(page):.1f}/{p90(page):.1f} ms")
PY
done
