#!/usr/bin/env bash
# HTTP benchmarks of the sample app, with wrk (Debian: apt-get install wrk). From the repository root:
#   api-key-sample-app/bench/wrk-bench.sh
# Starts the packaged sample (building it if needed) with its defaults (Argon2id m=64 MiB, t=3, p=4, cache on,
# last-used flush every 30 s) on a scratch database, then measures:
#   1. /protected with a valid key against /public, same wrk settings, and /protected with a key whose rate limit
#      (in memory, 10^12 requests per hour) is never reached: what counting each request costs over HTTP;
#   2. last_used_at updates written while one key is under load for 30 s;
#   3. valid-key throughput during a flood of wrong-secret and unknown-key-id requests, and peak memory.
# Load goes to 127.0.0.1 only and every run is bounded in time. APP_ARGS passes extra arguments to the sample,
# for example APP_ARGS=--api-key.hashing.max-concurrent=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
JAR=$ROOT/api-key-sample-app/target/api-key-sample-app.jar
DURATION=${DURATION:-20s}
PORT=${PORT:-18181}
BASE=http://127.0.0.1:$PORT

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
[ -f "$JAR" ] || ./mvnw -q -DskipTests package

WORK=$(mktemp -d)
LOG=$WORK/app.log
(cd "$WORK" && exec env API_KEY_PEPPER=benchmark-pepper-0123456789abcdef0123456789 java -jar "$JAR" \
    --server.port="$PORT" --logging.level.io.github.apikey.core.usage=debug ${APP_ARGS:-}) >"$LOG" 2>&1 &
PID=$!
cleanup() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

for _ in $(seq 1 120); do grep -q "Started SampleApplication" "$LOG" && break; sleep 1; done
for _ in $(seq 1 30); do grep -q "Using generated API key" "$LOG" && break; sleep 1; done
ADMIN_KEY=$(grep -o "Using generated API key with scope 'api-keys:admin': ak_v1-[0-9a-f]*-[A-Za-z0-9]*" "$LOG" \
    | sed 's/.*: //')
curl -s -X POST "$BASE/api-keys" -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' \
    -d '{"name": "bench", "scopes": ["write"]}' >"$WORK/created.json"
KEY=$(sed -E 's/.*"apiKey":"([^"]+)".*/\1/' "$WORK/created.json")
KEY_ID=$(echo "$KEY" | cut -d- -f2)
curl -s -X POST "$BASE/api-keys" -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' \
    -d '{"name": "bench limited", "rateLimits": [{"name": "requests", "limit": 1000000000000, "duration": "PT1H"}]}' \
    >"$WORK/limited.json"
LIMITED_KEY=$(sed -E 's/.*"apiKey":"([^"]+)".*/\1/' "$WORK/limited.json")
# Every answer to the limited key carries the rate-limit fields: proof that the limiter runs on each request.
curl -s -o /dev/null -D - -H "Authorization: Bearer $LIMITED_KEY" "$BASE/protected" | grep -q '^RateLimit:' \
    || { echo "the limited key's answer has no RateLimit field" >&2; exit 1; }

rps() { grep "Requests/sec" | awk '{print $2}'; }
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(java -version 2>&1 | head -1)"

# Warm-up, so that the JIT has compiled both paths.
wrk -t2 -c32 -d10s "$BASE/public" >/dev/null
wrk -t2 -c32 -d10s -H "Authorization: Bearer $KEY" "$BASE/protected" >/dev/null
wrk -t2 -c32 -d10s -H "Authorization: Bearer $LIMITED_KEY" "$BASE/protected" >/dev/null

PUBLIC=$(wrk -t2 -c32 -d"$DURATION" "$BASE/public" | rps)
PROTECTED=$(wrk -t2 -c32 -d"$DURATION" -H "Authorization: Bearer $KEY" "$BASE/protected" | rps)
wrk -t2 -c32 -d"$DURATION" -H "Authorization: Bearer $LIMITED_KEY" "$BASE/protected" >"$WORK/limited.txt"
LIMITED=$(rps <"$WORK/limited.txt")
echo "1. wrk -t2 -c32 -d$DURATION: /public $PUBLIC req/s, /protected $PROTECTED req/s, ratio $(echo "scale=2; $PROTECTED / $PUBLIC" | bc);" \
     "/protected with a rate limit never reached $LIMITED req/s, ratio $(echo "scale=2; $LIMITED / $PUBLIC" | bc) of /public"
# A refused or failed request would make the limited figure meaningless.
if grep -q "Non-2xx" "$WORK/limited.txt"; then grep "Non-2xx" "$WORK/limited.txt" | sed 's/^/   limited: /'; fi

FLUSHES_BEFORE=$(grep -c "Wrote the last-used time" "$LOG" || true)
wrk -t2 -c32 -d30s -H "Authorization: Bearer $KEY" "$BASE/protected" >/dev/null
sleep 1
UPDATES=$(grep "Wrote the last-used time" "$LOG" | tail -n +$((FLUSHES_BEFORE + 1)) \
    | sed -E 's/.*time of ([0-9]+) API keys.*/\1/' | paste -sd+ | bc)
echo "2. last_used_at updates written during 30 s of load on one key (flush interval 30 s): ${UPDATES:-0}"

SOLO=$(wrk -t1 -c16 -d"$DURATION" -H "Authorization: Bearer $KEY" "$BASE/protected" | rps)
RSS_BEFORE=$(awk '/VmHWM/ {print $2}' /proc/$PID/status)
KEY_ID=$KEY_ID wrk -t1 -c64 -d"$DURATION" -s "$ROOT/api-key-sample-app/bench/flood.lua" "$BASE/protected" \
    >"$WORK/flood.txt" &
FLOOD=$!
sleep 1
DURING=$(wrk -t1 -c16 -d"$DURATION" -H "Authorization: Bearer $KEY" "$BASE/protected" | rps)
wait "$FLOOD"
FLOOD_RPS=$(rps <"$WORK/flood.txt")
RSS_PEAK=$(awk '/VmHWM/ {print $2}' /proc/$PID/status)
echo "3. valid key wrk -t1 -c16: solo $SOLO req/s, during flood $DURING req/s, share $(echo "scale=2; $DURING / $SOLO" | bc);" \
     "flood (wrk -t1 -c64, wrong secrets and unknown key ids) answered $FLOOD_RPS req/s;" \
     "peak RSS $((RSS_BEFORE / 1024)) MiB before the flood, $((RSS_PEAK / 1024)) MiB after"
grep -E "Non-2xx|Socket errors" "$WORK/flood.txt" | sed 's/^/   flood: /'
