#!/usr/bin/env bash
# Native runtime vs onnxruntime on every fixture at batch 1 and 64 (see README.md).
#   PYTHON=/path/to/venv/bin/python loadtests/runtime/bench.sh [MODELS_DIR] [OUT_JSON]
# PYTHON must have onnxruntime, onnx and numpy (pip install onnxruntime onnx numpy).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MODELS="${1:-$ROOT/../shared/fixtures/models}"
OUT="${2:-$ROOT/loadtests/runtime/result-$(date -u +%Y%m%dT%H%M%SZ).json}"
PYTHON="${PYTHON:-python3}"

(cd "$ROOT" && swift build -c release --product switchyard >/dev/null)
echo "machine: $(nproc) cores, $(uptime)"
"$PYTHON" "$ROOT/loadtests/runtime/compare_onnxruntime.py" --batches "${BATCHES:-1,64}" \
    --switchyard "$ROOT/.build/release/switchyard" --models "$MODELS" --json "$OUT" \
    --iterations "${ITERATIONS:-2000}" --rounds "${ROUNDS:-3}"
echo "json: $OUT"
