#!/usr/bin/env bash
# Statistics-engine micro-benchmarks (issue 6): builds `switchyard` in release mode and runs
# `switchyard bench-stats`, which prints ns/op for
#   1. recording one request's metrics on the request path      (target <= 100 ns)
#   2. computing a full 5 variants x 5 metrics results document   (target <= 1 ms)
# and writes the figures as JSON next to this script (results-<date>.json).
# Usage: loadtests/stats/run.sh [extra bench-stats options, e.g. --requests 50000000]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

echo "== building switchyard (release)"
swift build -c release --product switchyard 2>&1 | tail -n 3
bin="$(swift build -c release --show-bin-path)/switchyard"

echo "== machine: $(uname -m), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
echo "== commit: $(git rev-parse --short HEAD 2>/dev/null || echo n/a)"
out="$("$bin" bench-stats "$@")"
echo "$out"

record_ns="$(echo "$out" | awk '/^record one request/ {print $(NF-4)}')"
doc_ns="$(echo "$out" | awk '/^results document/ {print $(NF-4)}')"
json="$here/results-$(date -u +%Y%m%dT%H%M%SZ).json"
cat > "$json" <<JSON
{"benchmark": "bench-stats", "commit": "$(git rev-parse --short HEAD 2>/dev/null || echo n/a)",
 "cores": $(nproc), "record_request_ns": ${record_ns:-null}, "record_request_target_ns": 100,
 "results_document_ns": ${doc_ns:-null}, "results_document_target_ns": 1000000}
JSON
echo "== wrote $json"
