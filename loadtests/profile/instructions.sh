#!/usr/bin/env bash
# Instructions per request under callgrind: a deterministic cost for comparing two builds of one
# code path, where req/s on these shared 2-vCPU machines moves by 10-40 % from one hour to the next.
# One event loop; the load is sent after a warm-up with the counters zeroed, so start-up, model
# compilation and connection setup beyond the first requests are not counted. Kernel time is not
# counted either (callgrind sees user space only): confirm a change with a bench before believing
# a ratio.
#
# Usage: loadtests/profile/instructions.sh CASE [REQUESTS=20000] [BINARY]
#   CASE: h1 | m1 | m16 (health over HTTP/1.1, h2c -m1, h2c -m16)
#         json | binary (mlp batch 1 over HTTP/1.1) | m16json (over h2c -m16) | grpc (ModelInfer -m16)
#         routed | routed-m16 (mlp batch 1 JSON through a two-variant experiment; compare with json / m16json)
#         cnn | routed-cnn (the cnn fixture, batch 1 JSON over HTTP/1.1, direct and through an experiment)
#         shadowed (routed mlp with a 100 % shadow on the same model: the shadow's work on its own threads counts too)
#   BINARY: a switchyard executable to measure instead of building this tree (A/B a change).
#   KEEP_DUMP=FILE in the environment keeps the callgrind profile (inclusive costs, call graph).
#   CALLGRIND_OPTS adds valgrind options, e.g. --dump-instr=yes for costs per machine instruction.
# Prints instructions per request, the 25 functions with the most instructions of their own, and
# the reference-count calls per request with the 12 functions that make the most (refcounts.py).
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
CASE=${1:?usage: instructions.sh CASE [REQUESTS] [BINARY]}; N=${2:-20000}
if [ -n "${3:-}" ]; then
  BIN=$3; FIX="$ROOT/Tests/Fixtures/models"; [ -f "$FIX/mlp.inputs.json" ] || FIX="$ROOT/../shared/fixtures/models"
  PY="$ROOT/.build/venv/bin/python"; [ -x "$PY" ] || PY=python3
else
  prepare_switchyard
fi
command -v valgrind >/dev/null || { echo "installing valgrind" >&2; apt-get install -y -qq valgrind >/dev/null; }

# Valgrind 3.19 (Debian 12) cannot read the DWARF 5 that Swift emits: measure a copy without it
# (symbols stay, so functions are still named).
strip --strip-debug -o "$WORK/switchyard" "$BIN"
mkdir -p "$WORK/repo/mlp/1" "$WORK/repo/cnn/1"; cp "$FIX/mlp.onnx" "$WORK/repo/mlp/1/model.onnx"
"$PY" "$ROOT/loadtests/oip/payloads.py" "$FIX/mlp.inputs.json" "$WORK/p" >/dev/null
# The cnn fixture (28x28 image, batch 1) is in ../shared; the project's own has a smaller cnn_small.
CNN=cnn; [ -f "$FIX/cnn.onnx" ] || CNN=cnn_small
cp "$FIX/$CNN.onnx" "$WORK/repo/cnn/1/model.onnx"
"$PY" "$ROOT/loadtests/oip/payloads.py" "$FIX/$CNN.inputs.json" "$WORK/pc" >/dev/null

cat > "$WORK/experiments.yaml" <<YAML
experiments:
  - name: ab
    variants:
      - { name: a, model: mlp, version: 1, weight: 50, control: true }
      - { name: b, model: mlp, version: 1, weight: 50 }
  - name: shadowed
    variants:
      - { name: a, model: mlp, version: 1, weight: 100, control: true }
      - { name: b, model: mlp, version: 1, weight: 0 }
    shadow:
      - { name: s, model: mlp, version: 1, percent: 100, sampling: random }
  - name: ab-cnn
    variants:
      - { name: a, model: cnn, version: 1, weight: 50, control: true }
      - { name: b, model: cnn, version: 1, weight: 50 }
YAML

# The inline threshold is lifted: each model's cost per row is measured at load, and under
# callgrind that measurement is tens of times too high, which would send the requests to the
# offload pool and count thread hops that the real server does not make.
# Deterministic hashing: with per-process random seeds, dictionary lookups vary by ~100-200
# instructions per request from one run to the next.
PORT=$(free_port)
SWIFT_DETERMINISTIC_HASHING=1 valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.out" ${CALLGRIND_OPTS:-} \
  "$WORK/switchyard" serve --host 127.0.0.1 --port "$PORT" --admin-port "$(free_port)" --loops 1 \
  --repository "$WORK/repo" --config "$WORK/experiments.yaml" --state-dir "$WORK/state" \
  --inline-threshold-us 1000000 >"$WORK/server.log" 2>&1 & PIDS+=($!)
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/v2/health/ready" >/dev/null && break; sleep 0.2; done

U="http://127.0.0.1:$PORT"
load() {  # load COUNT
  local out
  case $CASE in
    h1) out=$(h2load -n "$1" -c32 -m1 --h1 "$U/v2/health/live") ;;
    m1) out=$(h2load -n "$1" -c32 -m1 "$U/v2/health/live") ;;
    m16) out=$(h2load -n "$1" -c32 -m16 "$U/v2/health/live") ;;
    json) out=$(h2load -n "$1" -c32 -m1 --h1 -d "$WORK/p/infer.json" -H 'content-type: application/json' "$U/v2/models/mlp/infer") ;;
    binary) out=$(h2load -n "$1" -c32 -m1 --h1 -d "$WORK/p/infer.bin" -H 'content-type: application/octet-stream' \
                  -H "inference-header-content-length: $(cat "$WORK/p/infer.bin.ihcl")" "$U/v2/models/mlp/infer") ;;
    m16json) out=$(h2load -n "$1" -c32 -m16 -d "$WORK/p/infer.json" -H 'content-type: application/json' "$U/v2/models/mlp/infer") ;;
    routed) out=$(h2load -n "$1" -c32 -m1 --h1 -d "$WORK/p/infer.json" -H 'content-type: application/json' "$U/v2/models/ab/infer") ;;
    shadowed) out=$(h2load -n "$1" -c32 -m1 --h1 -d "$WORK/p/infer.json" -H 'content-type: application/json' "$U/v2/models/shadowed/infer") ;;
    cnn) out=$(h2load -n "$1" -c32 -m1 --h1 -d "$WORK/pc/infer.json" -H 'content-type: application/json' "$U/v2/models/cnn/infer") ;;
    routed-cnn) out=$(h2load -n "$1" -c32 -m1 --h1 -d "$WORK/pc/infer.json" -H 'content-type: application/json' "$U/v2/models/ab-cnn/infer") ;;
    routed-m16) out=$(h2load -n "$1" -c32 -m16 -d "$WORK/p/infer.json" -H 'content-type: application/json' "$U/v2/models/ab/infer") ;;
    grpc) out=$(h2load -n "$1" -c32 -m16 -d "$WORK/p/infer.grpc" -H 'content-type: application/grpc' -H 'te: trailers' \
                "$U/inference.GRPCInferenceService/ModelInfer") ;;
    *) echo "unknown case $CASE" >&2; exit 2 ;;
  esac
  echo "$out" | grep -q "^status codes: $1 2xx" || { echo "$out" | grep -E '^(requests|status codes)' >&2; echo "requests failed" >&2; exit 1; }
}

load 2000                                   # warm-up: connections, caches, compiled plans
callgrind_control -z "${PIDS[0]}" >/dev/null 2>&1
load "$N"
callgrind_control -d "${PIDS[0]}" >/dev/null 2>&1
DUMP=$(ls "$WORK"/cg.out.* | head -1)
[ -n "${KEEP_DUMP:-}" ] && cp "$DUMP" "$KEEP_DUMP"   # for callgrind_annotate --inclusive=yes, kcachegrind
TOTAL=$(callgrind_annotate "$DUMP" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1; exit}')
echo "$CASE: $((TOTAL / N)) instructions per request ($N requests, $(basename "$BIN"))"
callgrind_annotate --threshold=100 --auto=no "$DUMP" 2>/dev/null \
  | awk -v n="$N" '/\[/ && !/clone|start_thread|EventLoopC5start/ {
      c = $1; gsub(",", "", c); obj = $NF; sub(/.*\//, "", obj); sub(/\]$/, "", obj)
      s = $0; sub(/ \[[^]]*\]$/, "", s); sub(/^.*(\?\?\?|\.[cS]):/, "", s)
      printf "%8.0f  %-22s %s\n", c / n, obj, substr(s, 1, 110) }' \
  | head -25 || true   # head closing the pipe early is not a failure
echo
"$PY" "$(dirname "$0")/refcounts.py" "$DUMP" "$N" 12
