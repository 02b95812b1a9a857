#!/usr/bin/env bash
# Two instances of the sample, one Redis, one key: do they keep to one budget? From the repository root:
#   api-key-sample-app/bench/shared-budget.sh
# Starts the packaged sample twice with the 'postgres' profile (PostgreSQL on 127.0.0.1:5432 as user postgres, Redis
# on 127.0.0.1:6379) on a scratch database, creates a key under the default limit of 100 requests per 10 s, and
# offers it 4x that (40 requests/s, alternating between the instances) for 65 s with SharedBudgetLoad.java, after 15 s
# of the same load on another key to warm the instances up (WARMUP_SECONDS=0 measures them cold). Prints
# the requests accepted in each 10-s window; the target is at most 100 (no overshoot) and at least 95 (no
# undershoot). Exits non-zero when a window misses it. RATE, LOAD_SECONDS, LIMIT and WINDOW change the load and the
# limit.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
JAR=$ROOT/api-key-sample-app/target/api-key-sample-app.jar
RATE=${RATE:-40}
SECONDS_OF_LOAD=${LOAD_SECONDS:-65}
LIMIT=${LIMIT:-100}
WINDOW=${WINDOW:-10}
WARMUP_SECONDS=${WARMUP_SECONDS:-15}
PORTS=(${PORTS:-18281 18282})

command -v psql >/dev/null || { echo "psql is needed (the PostgreSQL client) to create the scratch database" >&2; exit 1; }
[ -f "$JAR" ] || ./mvnw -q -DskipTests package

WORK=$(mktemp -d)
DATABASE=apikey_shared_budget_$(date +%s)
createdb -h 127.0.0.1 -U postgres "$DATABASE"
PIDS=()
cleanup() {
    local status=$?
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ "$status" -ne 0 ]; then
        mkdir -p "$ROOT/api-key-sample-app/target/shared-budget-logs"
        cp "$WORK"/app-*.log "$ROOT/api-key-sample-app/target/shared-budget-logs/" 2>/dev/null || true
        echo "the instances' logs are in api-key-sample-app/target/shared-budget-logs" >&2
    fi
    dropdb -h 127.0.0.1 -U postgres --force --if-exists "$DATABASE" || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# A channel and a bucket prefix of their own, so that other applications on the same Redis neither disturb the run
# nor are disturbed by it.
start_instance() {
    local port=$1
    (cd "$WORK" && exec env API_KEY_PEPPER=benchmark-pepper-0123456789abcdef0123456789 \
        POSTGRES_URL="jdbc:postgresql://127.0.0.1:5432/$DATABASE" java -jar "$JAR" --spring.profiles.active=postgres \
        --server.port="$port" --api-key.cache.redis-channel=shared-budget-bench:invalidations \
        --api-key.rate-limit.redis-key-prefix="shared-budget-bench:$DATABASE:" \
        --api-key.rate-limit.default[0].name=requests --api-key.rate-limit.default[0].limit="$LIMIT" \
        --api-key.rate-limit.default[0].duration="${WINDOW}s") >"$WORK/app-$port.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 1 180); do grep -q "Started SampleApplication" "$WORK/app-$port.log" && return 0; sleep 1; done
    echo "the instance on port $port did not start; its log:" >&2
    tail -50 "$WORK/app-$port.log" >&2
    exit 1
}

# One after the other: the first creates the table and the admin key, which the second then finds.
start_instance "${PORTS[0]}"
start_instance "${PORTS[1]}"
ADMIN_KEY=$(grep -o "Using generated API key with scope 'api-keys:admin': ak_v1-[0-9a-f]*-[A-Za-z0-9]*" \
    "$WORK/app-${PORTS[0]}.log" | sed 's/.*: //')
new_key() {
    curl -s -X POST "http://127.0.0.1:${PORTS[0]}/api-keys" -H "Authorization: Bearer $ADMIN_KEY" \
        -H 'Content-Type: application/json' -d "{\"name\": \"$1\"}" | sed -E 's/.*"apiKey":"([^"]+)".*/\1/'
}
KEY=$(new_key "shared budget")
WARMUP_KEY=$(new_key "warm-up")

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1); two instances on ports ${PORTS[*]}," \
     "limit $LIMIT per ${WINDOW} s on Redis, $RATE requests/s for $SECONDS_OF_LOAD s"
URLS=()
for port in "${PORTS[@]}"; do URLS+=("http://127.0.0.1:$port/protected"); done
API_KEY=$KEY WARMUP_KEY=$WARMUP_KEY WARMUP_SECONDS=$WARMUP_SECONDS java "$ROOT/api-key-sample-app/bench/SharedBudgetLoad.java" "$RATE" "$SECONDS_OF_LOAD" "$LIMIT" \
    "$WINDOW" "${URLS[@]}"
