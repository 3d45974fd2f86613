#!/usr/bin/env bash
# Experiments benchmark (issue 5), all on loopback, in one run:
#  1. Routing overhead: the `mlp` fixture (batch 1) addressed directly (/v2/models/mlp/versions/1/infer)
#     against an experiment with two variants on the same model version (/v2/models/ab/infer):
#     HTTP/1.1 wrk -c32 and h2c h2load -c32 -m16, alternating runs, medians.   Target: routed >= 0.97x direct.
#     The same over HTTP/1.1 for the `cnn` fixture (a 28x28 image, batch 1): routing's cost is per request, so
#     its share depends on the model; `mlp` batch 1 is the cheapest request there is, the worst case.
#  2. Shadow cost: the maximum rate of the routed endpoint (h2load -c32 -m1), then half of it offered
#     open-loop (h2load --rps over 8 clients) to an experiment without shadows and to one whose every
#     request is also run on a shadow; p50/p99 from h2load's per-request log.  Target: p50 <= 1.05x.
# Usage: loadtests/experiments/bench.sh [SECONDS=10] [REPEATS=3] [LOOPS=2]
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
SECS=${1:-10}; REPS=${2:-3}; LOOPS=${3:-2}
OIP="$ROOT/loadtests/oip"
prepare_switchyard

mkdir -p "$WORK/repo/mlp/1" "$WORK/repo/mlp/2" "$WORK/repo/cnn/1"
cp "$FIX/mlp.onnx" "$WORK/repo/mlp/1/model.onnx"; cp "$FIX/mlp.onnx" "$WORK/repo/mlp/2/model.onnx"
cp "$FIX/cnn.onnx" "$WORK/repo/cnn/1/model.onnx"
printf 'version_policy: { all: {} }\n' > "$WORK/repo/mlp/config.yaml"
"$PY" "$OIP/payloads.py" "$FIX/mlp.inputs.json" "$WORK/p" >/dev/null
"$PY" "$OIP/payloads.py" "$FIX/cnn.inputs.json" "$WORK/pc" >/dev/null
cat > "$WORK/experiments.yaml" <<YAML
experiments:
  - name: ab                      # two variants, the same model version: the cost of routing alone
    variants:
      - { name: a, model: mlp, version: 1, weight: 50, control: true }
      - { name: b, model: mlp, version: 1, weight: 50 }
  - name: shadowed                # every request also runs on version 2, off the response path
    variants:
      - { name: a, model: mlp, version: 1, weight: 50, control: true }
      - { name: b, model: mlp, version: 1, weight: 50 }
    shadow:
      - { name: v2, model: mlp, version: 2, percent: 100, sampling: random }
  - name: ab-cnn                  # routing alone again, on a model that does some work
    variants:
      - { name: a, model: cnn, version: 1, weight: 50, control: true }
      - { name: b, model: cnn, version: 1, weight: 50 }
YAML

SY=$(free_port); ADMIN=$(free_port)
"$BIN" serve --host 127.0.0.1 --port "$SY" --admin-port "$ADMIN" --loops "$LOOPS" --repository "$WORK/repo" \
  --config "$WORK/experiments.yaml" --state-dir "$WORK/state" 2>"$WORK/switchyard.log" & PIDS+=($!)
wait_port "$SY" || { cat "$WORK/switchyard.log" >&2; exit 1; }
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$SY/v2/health/ready" >/dev/null && break; sleep 0.1; done
J="$WORK/p/infer.json"; JC="$WORK/pc/infer.json"
for target in "mlp/versions/1 $J" "ab $J" "shadowed $J" "cnn/versions/1 $JC" "ab-cnn $JC"; do
  read -r path body <<<"$target"
  curl -sf -H 'content-type: application/json' --data-binary @"$body" "http://127.0.0.1:$SY/v2/models/$path/infer" | grep -q '"outputs"' \
    || { echo "no answer from /v2/models/$path/infer" >&2; cat "$WORK/switchyard.log" >&2; exit 1; }
done

wrk_post() { BODY_FILE=${2:-$J} CONTENT_TYPE=application/json wrk -t1 -c32 -d"${SECS}s" -s "$OIP/post.lua" "$1" 2>&1 \
  | awk '/Requests\/sec/ {r=$2} /^non2xx/ {b=$2} END {if (b > 0) print "ERR"; else print r}'; }
h2_post() { run_h2load "$1" "$SECS" "$2" -d "$J" -H 'content-type: application/json'; }

declare -A R
for rep in $(seq 1 "$REPS"); do
  R[direct_h1]+=" $(wrk_post "http://127.0.0.1:$SY/v2/models/mlp/versions/1/infer")"
  R[routed_h1]+=" $(wrk_post "http://127.0.0.1:$SY/v2/models/ab/infer")"
  R[direct_m16]+=" $(h2_post "http://127.0.0.1:$SY/v2/models/mlp/versions/1/infer" 16)"
  R[routed_m16]+=" $(h2_post "http://127.0.0.1:$SY/v2/models/ab/infer" 16)"
  R[routed_max]+=" $(h2_post "http://127.0.0.1:$SY/v2/models/ab/infer" 1)"
  R[direct_cnn]+=" $(wrk_post "http://127.0.0.1:$SY/v2/models/cnn/versions/1/infer" "$JC")"
  R[routed_cnn]+=" $(wrk_post "http://127.0.0.1:$SY/v2/models/ab-cnn/infer" "$JC")"
done
MAX=$(median ${R[routed_max]})
# Half of the maximum, offered open-loop by 8 clients at a fixed rate each.
RPS=$(awk -v m="$MAX" 'BEGIN { printf "%d", m / 2 / 8 }')
latency() {  # URL LOGFILE: prints "rate p50_us p99_us"
  rm -f "$2"  # h2load appends to an existing log
  h2load -t1 -c8 -m1 --rps="$RPS" -D"$SECS" --log-file="$2" -d "$J" -H 'content-type: application/json' "$1" >/dev/null 2>&1
  awk -v s="$SECS" '$2 == 200 {print $3}' "$2" | sort -n | awk -v s="$SECS" '{a[NR]=$1} END {printf "%.0f %d %d\n", NR/s, a[int(NR*0.5)], a[int(NR*0.99)]}'
}
for rep in $(seq 1 "$REPS"); do
  read -r rate p50 p99 < <(latency "http://127.0.0.1:$SY/v2/models/ab/infer" "$WORK/noshadow.log")
  R[ns_rate]+=" $rate"; R[ns_p50]+=" $p50"; R[ns_p99]+=" $p99"
  read -r rate p50 p99 < <(latency "http://127.0.0.1:$SY/v2/models/shadowed/infer" "$WORK/shadow.log")
  R[sh_rate]+=" $rate"; R[sh_p50]+=" $p50"; R[sh_p99]+=" $p99"
done
T=$(cat "$WORK/state/admin-token")
SHADOW=$(curl -sf -H "Authorization: Bearer $T" "http://127.0.0.1:$ADMIN/admin/experiments/shadowed/shadow")
compared=$(echo "$SHADOW" | "$PY" -c 'import json,sys; d=json.load(sys.stdin)["shadows"][0]; print(d["comparisons"], d["dropped"], d["shadowErrors"])')

load=$(cut -d' ' -f1-3 /proc/loadavg)
echo
echo "Experiments, mlp batch 1 (and cnn batch 1 where named); ${SECS}s x ${REPS} alternating runs, medians; switchyard loops=$LOOPS; load avg $load"
echo "| case                                   |     routed |     direct |  ratio | target | ratio per run |"
echo "|----------------------------------------|-----------:|-----------:|-------:|--------|---------------|"
for k in h1 m16 cnn; do
  case $k in h1) label="HTTP/1.1 wrk -c32 (req/s)" ;; m16) label="h2c h2load -c32 -m16 (req/s)" ;; cnn) label="cnn batch 1, HTTP/1.1 wrk -c32" ;; esac
  r=$(median ${R[routed_$k]}); d=$(median ${R[direct_$k]})
  printf '| %-38s | %10.0f | %10.0f | %6s | >=0.97 | %s |\n' "$label" "$r" "$d" "$(ratio "$r" "$d")" "$(run_ratios "${R[routed_$k]}" "${R[direct_$k]}")"
done
echo
echo "Shadow at half of the routed maximum ($MAX req/s h2c -m1 → $RPS req/s per client x 8, open loop):"
echo "| case                      | achieved req/s | p50 us | p99 us |"
echo "|---------------------------|---------------:|-------:|-------:|"
printf '| %-25s | %14s | %6s | %6s |\n' "no shadow" "$(median ${R[ns_rate]})" "$(median ${R[ns_p50]})" "$(median ${R[ns_p99]})"
printf '| %-25s | %14s | %6s | %6s |\n' "100 % shadow" "$(median ${R[sh_rate]})" "$(median ${R[sh_p50]})" "$(median ${R[sh_p99]})"
echo "p50 ratio shadow/no-shadow: $(ratio "$(median ${R[sh_p50]})" "$(median ${R[ns_p50]})") (target <= 1.05; per run $(run_ratios "${R[sh_p50]}" "${R[ns_p50]}")); shadows compared/dropped/errors: $compared"
out="$RESULTS/experiments-$(date +%Y%m%dT%H%M%S).json"
cat > "$out" <<JSON
{"benchmark":"experiments","seconds":$SECS,"repeats":$REPS,"loops":$LOOPS,"loadavg":"$load",
 "routed_h1":"${R[routed_h1]# }","direct_h1":"${R[direct_h1]# }","routed_m16":"${R[routed_m16]# }","direct_m16":"${R[direct_m16]# }",
 "routed_cnn_h1":"${R[routed_cnn]# }","direct_cnn_h1":"${R[direct_cnn]# }",
 "routed_max_m1":"${R[routed_max]# }","rps_per_client":$RPS,
 "noshadow_rate":"${R[ns_rate]# }","noshadow_p50_us":"${R[ns_p50]# }","noshadow_p99_us":"${R[ns_p99]# }",
 "shadow_rate":"${R[sh_rate]# }","shadow_p50_us":"${R[sh_p50]# }","shadow_p99_us":"${R[sh_p99]# }","shadow_compared_dropped_errors":"$compared"}
JSON
echo "JSON: $out"
