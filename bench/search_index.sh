#!/usr/bin/env bash
# Records the search index benchmark (bench/search_bench.cpp) with the machine it ran on, and
# runs the index-vs-SQLite differential test at full size (50,000 listings).
#   bench/search_index.sh [listings=1000000] [pages_per_kind=2000]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
cmake --preset release >/dev/null
cmake --build --preset release --target search_bench griha_unit_tests -j2 >/dev/null
GRIHA_SEARCH_DIFF_LISTINGS=50000 build/release/tests/griha_unit_tests \
  --gtest_filter='SearchDifferential.*' --gtest_brief=1
figures=$(build/release/bench/search_bench "${1:-1000000}" "${2:-2000}")
machine=$(machine_json)
load=$(cut -d' ' -f1 /proc/loadavg)
python3 - "$figures" "$machine" "$load" <<'PY' | tee bench/results/search_index.json
import json, sys
out = json.loads(sys.argv[1])
out["machine"] = json.loads(sys.argv[2])
out["load_average_at_end"] = float(sys.argv[3])
out["differential_test"] = "50,000 listings x 1,000 queries vs SQLite: passed"
print(json.dumps(out, indent=2))
PY
