#!/usr/bin/env bash
# Replays the seed runbook against the simulator in chaos mode for many seeds and prints
# the pass count and run times.   usage: scripts/chaos.sh [COUNT=100] [FIRST_SEED=1]
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/prereqs.sh
cargo build --release --quiet || exit 1
count=${1:-100}; first=${2:-1}
work=$(mktemp -d); pass=0; times=()
for seed in $(seq "$first" $((first + count - 1))); do
  log="$work/sim-$seed.log"
  ./target/release/setupwright sim --chaos "$seed" > "$log" 2>&1 &
  sim=$!
  for _ in $(seq 100); do grep -q "My Domain" "$log" && break; sleep 0.05; done
  domain=$(grep "My Domain" "$log" | awk '{print $NF}')
  start=$(date +%s.%N)
  SETUPWRIGHT_LOGIN_PASSWORD='Sim-Passw0rd!' SETUPWRIGHT_VERIFICATION_CODE=246810 ./target/release/setupwright run runbooks/focus-matters-secured-login.yaml \
    -i "my_domain_url=$domain" -i username=admin@example.com -i contact_email=admin@example.com --artifacts "$work/art" --quiet > "$work/out-$seed" 2>&1
  code=$?
  secs=$(python3 -c "import sys; print(round($(date +%s.%N) - $start, 1))")
  kill $sim 2>/dev/null; wait $sim 2>/dev/null
  if [ $code -eq 0 ]; then pass=$((pass + 1)); times+=("$secs"); echo "seed $seed: passed in ${secs}s";
  else echo "seed $seed: FAILED (exit $code)"; grep -E "^ +step |FAIL" "$work/out-$seed" | head -3; fi
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
n=${#times[@]}
if [ "$n" -gt 0 ]; then
  median=$(echo "$sorted" | sed -n "$(( (n + 1) / 2 ))p"); worst=$(echo "$sorted" | tail -1)
  echo "chaos: $pass of $count seeds passed; median ${median}s, worst ${worst}s (passing runs)"
else
  echo "chaos: 0 of $count seeds passed"
fi
rm -rf "$work"
[ "$pass" -eq "$count" ]
