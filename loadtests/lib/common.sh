# Shared helpers for the load tests: start/stop peers on loopback, run wrk/h2load, take medians.
# Sourced by the scenario scripts; everything targets 127.0.0.1 only and stops by itself.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RESULTS="$ROOT/loadtests/results"
mkdir -p "$RESULTS"
WORK="$(mktemp -d)"
PIDS=()

cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  sleep 0.2
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

wait_port() {  # wait_port PORT: until something accepts on 127.0.0.1:PORT (10 s at most)
  for _ in $(seq 1 200); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && { exec 3>&- 3<&-; return 0; }
    sleep 0.05
  done
  echo "nothing listening on port $1" >&2; return 1
}

# start_nginx HTTP_PORT H2C_PORT BODY_FILE CONTENT_TYPE: nginx-light, 2 workers, `return 200` of the body.
start_nginx() {
  local body; body="$(cat "$3")"
  body="${body//\\/\\\\}"; body="${body//\'/\\\'}"
  cat > "$WORK/nginx.conf" <<CONF
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log error;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  http2_max_requests 1000000;
  server {
    listen 127.0.0.1:$1;
    listen 127.0.0.1:$2 http2;
    location / { default_type $4; return 200 '$body'; }
  }
}
CONF
  /usr/sbin/nginx -c "$WORK/nginx.conf" -p "$WORK" -g 'daemon on;' 2>"$WORK/nginx.start.log" || { cat "$WORK/nginx.start.log" >&2; return 1; }
  wait_port "$1"; wait_port "$2"
}

# run_wrk URL SECONDS [LUA]: prints requests/s
run_wrk() {
  local lua=(); [ -n "${3:-}" ] && lua=(-s "$3")
  wrk -t1 -c32 -d"${2}s" "${lua[@]}" "$1" 2>&1 | awk '/Requests\/sec/ {print $2}'
}

# run_h2load URL SECONDS STREAMS [extra args...]: prints requests/s (fails loudly on errors)
run_h2load() {
  local url=$1 secs=$2 m=$3; shift 3
  local out; out=$(h2load -t1 -c32 -m"$m" -D"$secs" "$@" "$url" 2>&1)
  local failed; failed=$(echo "$out" | awk '/^requests:/ {for(i=1;i<=NF;i++) if($(i+1)=="failed,") print $i}')
  if [ -n "$failed" ] && [ "$failed" != "0" ]; then echo "h2load: $failed failed requests" >&2; echo "$out" | tail -5 >&2; fi
  echo "$out" | awk '/^finished in/ {for(i=1;i<=NF;i++) if($i=="req/s,") print $(i-1)}'
}

# cpu_ticks PID...: user + system clock ticks used so far by these processes (all their threads).
cpu_ticks() {
  local t=0 p s
  for p in "$@"; do
    s=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    s=${s##*) }                      # drop "pid (comm) ": the state is now field 1
    set -- $s
    t=$((t + ${12} + ${13}))         # utime, stime (fields 14 and 15 of the full line)
  done
  echo "$t"
}

# nginx_pids: the nginx worker processes (they do the serving; the master only supervises).
nginx_pids() { pgrep -P "$(cat "$WORK/nginx.pid")" | tr '\n' ' '; }

# measured KEY "PIDS" SECONDS COMMAND...: runs COMMAND (which prints requests/s), appends the rate to
# R[KEY] and the server's CPU time per request (µs, from /proc: all threads of PIDS) to C[KEY].
# The CPU figure does not depend on how much of the machine the load generator left over, so it
# compares the servers' efficiency even when the client is the bottleneck.
measured() {
  local key=$1 pids=$2 secs=$3; shift 3
  local t0 t1 rps
  t0=$(cpu_ticks $pids); rps=$("$@"); t1=$(cpu_ticks $pids)
  R[$key]+=" $rps"
  C[$key]+=" $(awk -v d=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v r="$rps" -v s="$secs" \
    'BEGIN { if (r + 0 > 0) printf "%.2f", d / hz * 1e6 / (r * s); else print "nan" }')"
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
# run_ratios "A1 A2 …" "B1 B2 …": the ratio of each repetition's pair, "0.91/0.88/0.90". Runs alternate,
# so a pair shares one stretch of machine weather; the spread shows how far a median can be trusted.
run_ratios() { awk -v a="$1" -v b="$2" 'BEGIN { n = split(a, x, " "); split(b, y, " ")
  for (i = 1; i <= n; i++) printf "%s%s", (i > 1 ? "/" : ""), (y[i] > 0 ? sprintf("%.2f", x[i] / y[i]) : "n/a") }'; }

# prepare_switchyard: finds the mlp fixture (own, else ../shared) as $FIX, installs the peers,
# builds the release binary, and sets $BIN and $PY (the test venv's python); run from anywhere.
prepare_switchyard() {
  FIX="$ROOT/Tests/Fixtures/models"; [ -f "$FIX/mlp.inputs.json" ] || FIX="$ROOT/../shared/fixtures/models"
  [ -f "$FIX/mlp.inputs.json" ] || { echo "no mlp fixture found" >&2; exit 1; }
  cd "$ROOT"
  "$ROOT/scripts/install-deps.sh" --with-loadtest-peers
  swift build -c release --product switchyard >/dev/null
  BIN="$ROOT/.build/release/switchyard"
  PY="$ROOT/.build/venv/bin/python"
}
