#!/usr/bin/env bash
# Installs what building, running and testing Switchyard needs on Debian 12, idempotently:
# Debian packages (C libraries, protocol clients, load-test peers) and a Python venv inside the
# build tree (.build/venv) with the test clients. Safe to run repeatedly; fast when all is present.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(pkg-config libnghttp2-dev liblz4-dev libsimdjson-dev nghttp2-client curl python3-venv lz4)
if [ "${1:-}" = "--with-loadtest-peers" ]; then APT_PACKAGES+=(nginx-light wrk); fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

VENV=.build/venv
REQ=scripts/requirements-test.txt
if [ ! -x "$VENV/bin/python" ] || ! cmp -s "$REQ" "$VENV/.requirements" 2>/dev/null; then
  echo "install-deps: preparing $VENV"
  mkdir -p .build
  # Debian's python3 is the one python3-venv works with; fall back to whatever python3 is first.
  PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
  "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$REQ"
  cp "$REQ" "$VENV/.requirements"
fi
