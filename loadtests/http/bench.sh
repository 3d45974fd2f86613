#!/usr/bin/env bash
# Serving-core benchmark: Switchyard's health endpoint vs nginx `return 200` of the same body,
# HTTP/1.1 (wrk -t1 -c32) and h2c (h2load -t1 -c32 -m1 and -m16), alternating A B A B, medians.
# Usage: [ACCEPT=reuseport|handoff] loadtests/http/bench.sh [SECONDS=10] [REPEATS=3] [LOOPS=2]
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
SECS=${1:-10}; REPS=${2:-3}; LOOPS=${3:-2}

cd "$ROOT"
swift build -c release --product switchyard >/dev/null
BIN="$ROOT/.build/release/switchyard"

printf '{"live":true}' > "$WORK/body.json"
NG_H1=$(free_port); NG_H2=$(free_port); SY=$(free_port)
start_nginx "$NG_H1" "$NG_H2" "$WORK/body.json" application/json
mkdir -p "$WORK/empty-repo"
ACCEPT=${ACCEPT:-reuseport}
"$BIN" serve --host 127.0.0.1 --port "$SY" --loops "$LOOPS" --accept "$ACCEPT" --repository "$WORK/empty-repo" 2>"$WORK/switchyard.log" & PIDS+=($!)
wait_port "$SY" || { cat "$WORK/switchyard.log" >&2; exit 1; }

declare -A R C
NG=$(nginx_pids); SP=${PIDS[-1]}
for rep in $(seq 1 "$REPS"); do
  measured nginx_h1 "$NG" "$SECS" run_wrk "http://127.0.0.1:$NG_H1/v2/health/live" "$SECS"
  measured sy_h1 "$SP" "$SECS" run_wrk "http://127.0.0.1:$SY/v2/health/live" "$SECS"
  measured nginx_m1 "$NG" "$SECS" run_h2load "http://127.0.0.1:$NG_H2/v2/health/live" "$SECS" 1
  measured sy_m1 "$SP" "$SECS" run_h2load "http://127.0.0.1:$SY/v2/health/live" "$SECS" 1
  measured nginx_m16 "$NG" "$SECS" run_h2load "http://127.0.0.1:$NG_H2/v2/health/live" "$SECS" 16
  measured sy_m16 "$SP" "$SECS" run_h2load "http://127.0.0.1:$SY/v2/health/live" "$SECS" 16
done

load=$(cut -d' ' -f1-3 /proc/loadavg)
row() {  # name peer-key sy-key target
  local n; n=$(median ${R[$2]}); local s; s=$(median ${R[$3]})
  local cn; cn=$(median ${C[$2]}); local cs; cs=$(median ${C[$3]})
  printf '| %-28s | %10.0f | %10.0f | %6s | %-8s | %6.2f | %6.2f | %s / %s |\n' "$1" "$n" "$s" "$(ratio "$s" "$n")" "$4" "$cn" "$cs" "${R[$2]# }" "${R[$3]# }"
  JSON+="{\"case\":\"$1\",\"nginx_rps\":$n,\"switchyard_rps\":$s,\"ratio\":$(ratio "$s" "$n"),\"target\":\"$4\",\"nginx_cpu_us_per_req\":$cn,\"switchyard_cpu_us_per_req\":$cs},"
}
JSON=""
echo
echo "Serving core, health endpoint; ${SECS}s x ${REPS} alternating runs, median req/s; switchyard loops=$LOOPS accept=$ACCEPT; load avg $load"
echo "CPU µs/req: server CPU time (all threads, /proc) per request served, median; lower is better."
echo "| case                         |  nginx r/s | switchyard |  ratio | target   | CPU nginx | CPU sy | runs nginx / switchyard |"
echo "|------------------------------|-----------:|-----------:|-------:|----------|-------:|-------:|-------------------------|"
row "HTTP/1.1 wrk -c32" nginx_h1 sy_h1 ">=0.9"
row "h2c h2load -c32 -m1" nginx_m1 sy_m1 ">=1.0"
row "h2c h2load -c32 -m16" nginx_m16 sy_m16 ">=3.0"
out="$RESULTS/http-$(date +%Y%m%dT%H%M%S).json"
echo "{\"benchmark\":\"http\",\"seconds\":$SECS,\"repeats\":$REPS,\"loops\":$LOOPS,\"loadavg\":\"$load\",\"results\":[${JSON%,}]}" > "$out"
echo "JSON: $out"
