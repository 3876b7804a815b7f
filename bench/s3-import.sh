#!/usr/bin/env bash
# Import + version 1 of a COCO folder into a home whose objects are on S3 (s3rver on loopback, the test stand-in)
# against a home with its own objects folder: seconds, MB/s of image bytes, and S3 requests per item.
#
#   bench/s3-import.sh [FOLDER [ANNOTATIONS]]   (default: ../shared/data/tiny-coco, annotations/instances_val2017.json)
#
# Needs `npm ci --prefix tests/s3rver`. CAIRN_BENCH_CLI overrides the command (default: the ./cairn launcher).
# s3rver is a stand-in: its figures show the request pattern (requests per item), not what AWS or MinIO would do.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATA="$(realpath "${1:-$ROOT/../shared/data/tiny-coco}")"
ANN="${2:-annotations/instances_val2017.json}"
CLI=(${CAIRN_BENCH_CLI:-$ROOT/cairn})
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cairn-s3-bench.XXXXXX")"
trap 'kill "$S3" 2>/dev/null || true; rm -rf "$WORK"' EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$WORK/s3"
node --openssl-legacy-provider "$ROOT/tests/s3rver/server.js" --directory "$WORK/s3" --port "$PORT" --bucket bench --count "$WORK/requests.json" >/dev/null &
S3=$!
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_EC2_METADATA_DISABLED=true
"${CLI[@]}" --help >/dev/null   # build once, outside the timings

run() { # home, extra options...
  local home=$1; shift
  local start end
  start=$(date +%s.%N)
  "${CLI[@]}" import coco "$DATA" --project bench --annotations "$ANN" --home "$home" --json "$@" > "$home.json"
  end=$(date +%s.%N)
  echo "$start $end"
}
read -r ls le < <(run "$WORK/local")
read -r ss se < <(run "$WORK/s3home" --store "s3://bench/cairn?endpoint=http://127.0.0.1:$PORT&region=us-east-1&path-style=true")
kill -TERM "$S3"; wait "$S3" 2>/dev/null || true
python3 - "$WORK" "$ls" "$le" "$ss" "$se" <<'PY'
import json, sys
work, ls, le, ss, se = sys.argv[1], *map(float, sys.argv[2:])
local, s3 = (json.load(open(f"{work}/{h}.json")) for h in ("local", "s3home"))
req = json.load(open(f"{work}/requests.json"))
items, mb = s3["items"], s3["bytes"] / 1e6
total = sum(req.values())
print(f"items {items}, {mb:.1f} MB of images")
print(f"local  {le - ls:6.2f} s  {mb / (le - ls):6.1f} MB/s")
print(f"s3     {se - ss:6.2f} s  {mb / (se - ss):6.1f} MB/s  {total} requests ({', '.join(f'{k} {v}' for k, v in sorted(req.items()))}) = {total / items:.2f} per item")
PY
