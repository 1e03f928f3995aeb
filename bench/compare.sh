#!/usr/bin/env bash
# setupwright against Playwright on the seed flow (see bench/compare.py for what is
# measured and how). Installs playwright-core from npm into bench/playwright.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prereqs.sh
bash scripts/build-lightning.sh
command -v npm >/dev/null 2>&1 || { echo "error: npm is needed for playwright-core (apt-get install nodejs npm)" >&2; exit 1; }
[ -d bench/playwright/node_modules/playwright-core ] || npm ci --prefix bench/playwright --ignore-scripts --no-audit --no-fund --silent
cargo build --release --quiet
python3 bench/compare.py "$@"
