#!/usr/bin/env bash
# The main job: replay the seed runbook against the built-in Setup simulator.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prereqs.sh
bash scripts/build-lightning.sh
cargo build --release --quiet
exec ./target/release/setupwright demo "$@"
