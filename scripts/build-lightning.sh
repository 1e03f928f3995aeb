#!/usr/bin/env bash
# Builds the simulator's Lightning pages (sim/lightning/dist) from Salesforce's own base
# components and SLDS, pinned in sim/lightning/package-lock.json. Installs Node.js and npm
# from Debian when missing; skips the build when its inputs have not changed.
set -euo pipefail
cd "$(dirname "$0")/../sim/lightning"
if ! command -v npm >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
fi
stamp=$(cat package.json package-lock.json rollup.config.mjs $(find src -type f | sort) | sha256sum | cut -d' ' -f1)
if [ -f dist/.stamp ] && [ "$(cat dist/.stamp)" = "$stamp" ]; then
  exit 0
fi
# npm ci only when node_modules does not hold what the lock file pins.
if ! cmp -s package-lock.json node_modules/.package-lock.json 2>/dev/null &&
   ! node -e 'const a=require("./package-lock.json").packages,b=require("./node_modules/.package-lock.json").packages;for(const k of Object.keys(a))if(k&&!a[k].optional&&(!b[k]||b[k].version!==a[k].version))process.exit(1)' 2>/dev/null; then
  npm ci --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=error
fi
echo "Building the simulator's Lightning pages (lightning-base-components, lwc, SLDS)..." >&2
rm -rf dist
npx --no-install rollup -c --silent
cp node_modules/@salesforce-ux/design-system/assets/styles/salesforce-lightning-design-system.min.css dist/slds.css
echo "$stamp" > dist/.stamp
