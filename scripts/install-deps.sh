#!/usr/bin/env bash
# Installs what building, running and testing Griha needs on Debian 12, and nothing when it
# is all there already. Usage: scripts/install-deps.sh [run|test]
set -euo pipefail
mode=${1:-test}

# Libraries and build tools, checked as Debian packages.
packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-system1.81-dev
  libsqlite3-dev libpq-dev libsodium-dev libssl-dev zlib1g-dev libcurl4-openssl-dev
  libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev libvips-dev
  libkainjow-mustache-dev libical-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)
# Programs, checked as commands: a machine may already have them from elsewhere (Node.js
# with its own npm, a full nginx), and installing Debian's package over those would conflict.
commands=("node:nodejs" "npm:npm")
if [ "$mode" = test ]; then
  packages+=(postgresql-15 postgresql-client-15)
  commands+=("nginx:nginx-light" "wrk:wrk" "curl:curl" "bc:bc" "sqlite3:sqlite3")
  # The web app's browser tests drive Debian's Chromium through playwright-core; browsers
  # are never downloaded by npm.
  packages+=(chromium)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
for c in "${commands[@]}"; do
  command -v "${c%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${c%%:*}" ] || missing+=("${c#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# JavaScript tools and the web pages' libraries come from the npm registry, pinned by the
# lock file; `npm ci` is skipped when node_modules already matches it.
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.griha-lock; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.griha-lock
fi
mkdir -p web/assets/vendor
cp node_modules/redoc/bundles/redoc.standalone.js web/assets/vendor/
# The web app's libraries: Leaflet for the maps, Chart.js for the admin statistics.
mkdir -p web/assets/vendor/leaflet/images
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css web/assets/vendor/leaflet/
cp node_modules/leaflet/dist/images/*.png web/assets/vendor/leaflet/images/
cp node_modules/chart.js/dist/chart.umd.min.js web/assets/vendor/
