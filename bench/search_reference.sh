#!/usr/bin/env bash
# The independent search differential (tests/js/search_reference.test.mjs) at bench size:
# 50,000 seeded listings plus listings created through the API, 2,000 random queries, on the
# back end named by GRIHA_TEST_DATABASE (sqlite by default; postgres inside
# scripts/with-postgres.sh). make test runs the same test small.
#   bench/search_reference.sh [seeded=50000] [queries=2000] [created=200]
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release --target griha -j2 >/dev/null
GRIHA_BINARY=build/release/griha \
GRIHA_TEST_DATABASE=${GRIHA_TEST_DATABASE:-sqlite} \
GRIHA_SEARCH_REF_SEEDED=${1:-50000} \
GRIHA_SEARCH_REF_QUERIES=${2:-2000} \
GRIHA_SEARCH_REF_CREATED=${3:-200} \
  node --test --test-timeout=3600000 tests/js/search_reference.test.mjs
