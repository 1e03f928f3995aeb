#!/usr/bin/env bash
# Fuzzes the runbook parser with cargo-fuzz (libFuzzer) for a bounded time.
#   usage: scripts/fuzz.sh [SECONDS=300]
# cargo-fuzz needs nightly features; RUSTC_BOOTSTRAP lets the stable toolchain build them.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
secs=${1:-300}
export RUSTC_BOOTSTRAP=1
mkdir -p fuzz/corpus/runbook
cp -n runbooks/*.yaml tests/corpus/*.yaml tests/runbooks/*.yaml fuzz/corpus/runbook/ 2>/dev/null || true
cargo fuzz run runbook fuzz/corpus/runbook -- -max_total_time="$secs" -max_len=4096 -timeout=5
echo "fuzz: ${secs}s on the runbook parser with no crash"
