#!/usr/bin/env bash
# Every test: unit tests, the malformed-runbook corpus, and end-to-end runs in headless
# Chromium against fixture pages and the simulator. Starts everything it needs itself.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prereqs.sh
cargo test --workspace --quiet "$@"
