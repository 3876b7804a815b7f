#!/usr/bin/env bash
# Time from starting `cairn serve` to its first answered request, N times (first run on an empty home).
# usage: bench/serve-startup.sh [N=3]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
"$ROOT/cairn" --help >/dev/null
HOME_DIR="$(mktemp -d)"; PORT=5197
for i in $(seq 1 "${1:-3}"); do
  start=$(date +%s.%N)
  dotnet "$ROOT/artifacts/cli/cairn.dll" serve --home "$HOME_DIR" --urls "http://127.0.0.1:$PORT" >/dev/null 2>&1 &
  pid=$!
  until curl -s -o /dev/null "http://127.0.0.1:$PORT/projects"; do sleep 0.02; done
  echo "run $i: first response after $(echo "$(date +%s.%N) - $start" | bc) s"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
rm -rf "$HOME_DIR"
