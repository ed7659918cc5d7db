#!/usr/bin/env bash
# Every test, run inside scripts/with-postgres.sh (GRIHA_TEST_PG_URL is set):
# the CTest suites (unit, pg, integration on both back ends, then every HTTP exchange the
# integration suites made checked against api/openapi.json: openapi.conformance) and the API
# description lint.
set -euo pipefail
build_dir=${1:-build/release}
cd "$(dirname "$0")/.."

: "${GRIHA_TEST_PG_URL:?run me through scripts/with-postgres.sh}"

echo "== OpenAPI lint (@redocly/cli)"
npx --no-install redocly lint api/openapi.json --format=stylish

echo "== CTest: unit, pg, integration (SQLite and PostgreSQL), OpenAPI conformance"
ctest --test-dir "$build_dir" --output-on-failure -j 2 --timeout 300
