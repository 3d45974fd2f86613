#!/usr/bin/env bash
# Open Inference Protocol benchmark (issue 4): the `mlp` fixture at batch 1 through Switchyard,
# against nginx `return 200` of the same response (the practical ceiling of an HTTP server here)
# and MLServer 1.7.1 serving an sklearn MLP of the same shape (what a Python user would pick).
#   HTTP/1.1 JSON and binary tensors: wrk -t1 -c32;  h2c: h2load -t1 -c32 -m1 / -m16;
#   gRPC ModelInfer: h2load -m16 with a framed protobuf body;  1 MiB FP32 tensor: MB/s (JSON, binary,
#   and JSON sent and answered with Content-Encoding: lz4, counted in decoded bytes).
# Alternating runs (A B A B …), medians. Usage: loadtests/oip/bench.sh [SECONDS=10] [REPEATS=3] [LOOPS=2] [--no-mlserver]
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
SECS=${1:-10}; REPS=${2:-3}; LOOPS=${3:-2}; MLSERVER=1
[ "${4:-}" = "--no-mlserver" ] && MLSERVER=0
HERE="$ROOT/loadtests/oip"
prepare_switchyard

# Model repository with the mlp and cnn fixtures.
for m in mlp cnn; do mkdir -p "$WORK/repo/$m/1"; cp "$FIX/$m.onnx" "$WORK/repo/$m/1/model.onnx"; done
BIG=$("$PY" "$HERE/payloads.py" "$FIX/mlp.inputs.json" "$WORK/p" "$FIX/cnn.inputs.json")
echo "payloads: mlp batch 1 ($(stat -c %s "$WORK/p/infer.json") B JSON); 1 MiB case: $BIG rows"

SY=$(free_port)
"$BIN" serve --host 127.0.0.1 --port "$SY" --loops "$LOOPS" --repository "$WORK/repo" 2>"$WORK/switchyard.log" & PIDS+=($!)
wait_port "$SY" || { cat "$WORK/switchyard.log" >&2; exit 1; }
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$SY/v2/health/ready" >/dev/null && break; sleep 0.1; done

# nginx returns exactly Switchyard's response to the same request.
curl -s -H 'content-type: application/json' --data-binary @"$WORK/p/infer.json" "http://127.0.0.1:$SY/v2/models/mlp/infer" > "$WORK/resp.json"
grep -q '"outputs"' "$WORK/resp.json" || { echo "switchyard did not answer the infer request: $(cat "$WORK/resp.json")" >&2; exit 1; }
NG_H1=$(free_port); NG_H2=$(free_port)
start_nginx "$NG_H1" "$NG_H2" "$WORK/resp.json" application/json

if [ "$MLSERVER" = 1 ]; then
  MV="$ROOT/.build/venv-mlserver"
  if [ ! -x "$MV/bin/mlserver" ]; then
    python3 -m venv "$MV"
    "$MV/bin/pip" install -q mlserver==1.7.1 mlserver-sklearn==1.7.1 uvloop==0.21.0
  fi
  ML=$(free_port)
  "$MV/bin/python" "$HERE/mlserver_setup.py" "$WORK/ml" "$ML" "$(free_port)" "$(free_port)"
  (cd "$WORK/ml" && exec "$MV/bin/mlserver" start . >"$WORK/mlserver.log" 2>&1) & PIDS+=($!)
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$ML/v2/models/mlp/ready" >/dev/null && break; sleep 0.1; done
  curl -sf -H 'content-type: application/json' --data-binary @"$WORK/p/infer.json" "http://127.0.0.1:$ML/v2/models/mlp/infer" >/dev/null \
    || { echo "MLServer is not answering; log:" >&2; tail -20 "$WORK/mlserver.log" >&2; exit 1; }
fi

wrk_post() {  # URL BODY CONTENT_TYPE [IHCL] [CODING]
  BODY_FILE=$2 CONTENT_TYPE=$3 IHCL=${4:-} CODING=${5:-} wrk -t1 -c32 -d"${SECS}s" -s "$HERE/post.lua" "$1" 2>&1 \
    | awk '/Requests\/sec/ {r=$2} /^non2xx/ {b=$2} END {if (b > 0) print "ERR"; else print r}'
}
h2_post() {  # URL BODY M [headers...]
  local url=$1 body=$2 m=$3; shift 3
  run_h2load "$url" "$SECS" "$m" -d "$body" "$@"
}
mbps() { awk -v r="$1" -v b="$2" 'BEGIN { printf "%.1f", r * b / 1048576 }'; }

J="$WORK/p/infer.json"; B="$WORK/p/infer.bin"; IH=$(cat "$WORK/p/infer.bin.ihcl"); G="$WORK/p/infer.grpc"
lz4 -q -c "$WORK/p/big.json" > "$WORK/p/big.json.lz4"
declare -A R C
NG=$(nginx_pids); SP=${PIDS[0]}
for rep in $(seq 1 "$REPS"); do
  measured ng_h1 "$NG" "$SECS" wrk_post "http://127.0.0.1:$NG_H1/v2/models/mlp/infer" "$J" application/json
  measured sy_json "$SP" "$SECS" wrk_post "http://127.0.0.1:$SY/v2/models/mlp/infer" "$J" application/json
  measured sy_bin "$SP" "$SECS" wrk_post "http://127.0.0.1:$SY/v2/models/mlp/infer" "$B" application/octet-stream "$IH"
  [ "$MLSERVER" = 1 ] && R[ml_json]+=" $(wrk_post "http://127.0.0.1:$ML/v2/models/mlp/infer" "$J" application/json)"
  measured ng_m1 "$NG" "$SECS" h2_post "http://127.0.0.1:$NG_H2/v2/models/mlp/infer" "$J" 1 -H 'content-type: application/json'
  measured sy_m1 "$SP" "$SECS" h2_post "http://127.0.0.1:$SY/v2/models/mlp/infer" "$J" 1 -H 'content-type: application/json'
  measured ng_m16 "$NG" "$SECS" h2_post "http://127.0.0.1:$NG_H2/v2/models/mlp/infer" "$J" 16 -H 'content-type: application/json'
  measured sy_m16 "$SP" "$SECS" h2_post "http://127.0.0.1:$SY/v2/models/mlp/infer" "$J" 16 -H 'content-type: application/json'
  measured sy_grpc "$SP" "$SECS" h2_post "http://127.0.0.1:$SY/inference.GRPCInferenceService/ModelInfer" "$G" 16 -H 'content-type: application/grpc' -H 'te: trailers'
  R[sy_big_json]+=" $(wrk_post "http://127.0.0.1:$SY/v2/models/cnn/infer" "$WORK/p/big.json" application/json)"
  R[sy_big_bin]+=" $(wrk_post "http://127.0.0.1:$SY/v2/models/cnn/infer" "$WORK/p/big.bin" application/octet-stream "$(cat "$WORK/p/big.bin.ihcl")")"
  R[sy_big_lz4]+=" $(wrk_post "http://127.0.0.1:$SY/v2/models/cnn/infer" "$WORK/p/big.json.lz4" application/json "" lz4)"
done

load=$(cut -d' ' -f1-3 /proc/loadavg)
JSON=""
row() {  # label sy-key peer-key target
  local s n cs cn; s=$(median ${R[$2]}); n=$(median ${R[$3]})
  cs=$(median ${C[$2]:-nan}); cn=$(median ${C[$3]:-nan})
  printf '| %-34s | %10.0f | %10.0f | %7s | %-7s | %6s | %6s | %s |\n' "$1" "$s" "$n" "$(ratio "$s" "$n")" "$4" "$cs" "$cn" "$(run_ratios "${R[$2]}" "${R[$3]}")"
  JSON+="{\"case\":\"$1\",\"switchyard_rps\":$s,\"peer_rps\":$n,\"ratio\":$(ratio "$s" "$n"),\"target\":\"$4\",\"switchyard_cpu_us_per_req\":\"$cs\",\"peer_cpu_us_per_req\":\"$cn\",\"runs\":\"${R[$2]# } / ${R[$3]# }\"},"
}
echo
echo "OIP v2, mlp batch 1; ${SECS}s x ${REPS} alternating runs, medians; switchyard loops=$LOOPS; load avg $load"
echo "CPU sy / CPU peer: server CPU time (all threads, /proc) per request, µs, median (not measured for MLServer)."
echo "| case (peer)                        | switchyard |       peer |   ratio | target  | CPU sy | CPU peer | ratio per run |"
echo "|------------------------------------|-----------:|-----------:|--------:|---------|-------:|-------:|---------------|"
row "HTTP/1.1 JSON (nginx)" sy_json ng_h1 ">=0.6"
[ "$MLSERVER" = 1 ] && row "HTTP/1.1 JSON (MLServer 1.7.1)" sy_json ml_json ">=50"
row "HTTP/1.1 binary (nginx)" sy_bin ng_h1 ">=0.7"
row "h2c -m1 JSON (nginx h2c)" sy_m1 ng_m1 ">=1.0"
row "h2c -m16 JSON (nginx h2c)" sy_m16 ng_m16 ">=2.0"
row "gRPC ModelInfer -m16 (nginx h2c)" sy_grpc ng_m16 ">=1.5"
bj=$(median ${R[sy_big_json]}); bb=$(median ${R[sy_big_bin]}); bz=$(median ${R[sy_big_lz4]})
echo
echo "1 MiB FP32 tensor (cnn, $BIG): JSON $(mbps "$bj" "$(stat -c %s "$WORK/p/big.json")") MB/s of request body ($bj req/s); binary $(mbps "$bb" "$(stat -c %s "$WORK/p/big.bin")") MB/s ($bb req/s); JSON with Content-Encoding: lz4 $(mbps "$bz" "$(stat -c %s "$WORK/p/big.json")") MB/s decoded ($bz req/s, $(stat -c %s "$WORK/p/big.json.lz4") B on the wire)"
out="$RESULTS/oip-$(date +%Y%m%dT%H%M%S).json"
echo "{\"benchmark\":\"oip\",\"seconds\":$SECS,\"repeats\":$REPS,\"loops\":$LOOPS,\"loadavg\":\"$load\",\"results\":[${JSON%,}],\"big_json_rps\":$bj,\"big_bin_rps\":$bb,\"big_json_lz4_rps\":$bz}" > "$out"
echo "JSON: $out"
