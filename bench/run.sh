#!/usr/bin/env bash
# The executor benchmark: a 100-step runbook against a local page, run with screenshots
# (an unchanged page's picture linked), with every picture captured, and without. Prints WebDriver commands per step (screenshots aside), wall time per step,
# and the executor's CPU time as a share of wall time.
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
PY
done
