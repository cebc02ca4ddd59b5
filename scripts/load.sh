#!/usr/bin/env bash
# The server under load (wrk, from Debian): the demo province on a fresh
# database, `casework serve`, then
#   reads:        64 connections, GET /api/applications/{reference} (one case)
#   transitions:  16 and 64 connections, POST …/transitions (verify_member /
#                 reopen_member in turn, each wrk thread on cases of its own)
#   agency portal: 16 connections of one agency, POST /portal/v1/naturalization-status
#                 (one person, each answer logged), then batches of 500
# each for DURATION, with req/s, p50/p99, errors and the server's peak
# resident memory (VmHWM).
#
#   scripts/load.sh                        # PostgreSQL, 48,000 families, 20 s each
#   DB=sqlite scripts/load.sh
#   FAMILIES=2000 DURATION=5s scripts/load.sh
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${BIN:-./target/release/casework}"
DB="${DB:-postgres}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
FAMILIES="${FAMILIES:-48000}"
DURATION="${DURATION:-20s}"
THREADS="${THREADS:-2}"
command -v wrk >/dev/null || { echo "load: wrk is missing (apt-get install -y wrk)" >&2; exit 2; }
[ -x "$BIN" ] || { echo "load: no binary at $BIN (cargo build --release)" >&2; exit 2; }

work=$(mktemp -d)
port=$((18800 + RANDOM % 600))
server=""
dbname="casework_load_$$_$RANDOM"
if [ "$DB" = postgres ]; then
  query=""
  case "$PG_URL" in *\?*) query="?${PG_URL#*\?}" ;; esac
  export DATABASE_URL="${PG_URL%/*}/$dbname$query"
  psql "${PG_URL%%\?*}" -qc "CREATE DATABASE \"$dbname\"" >/dev/null
  q() { psql "${DATABASE_URL%%\?*}" -AtF ' ' -c "$1"; }
else
  export DATABASE_URL="sqlite://$work/load.db?mode=rwc"
  q() { python3 -c 'import sqlite3,sys; [print(*r) for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2])]' "$work/load.db" "$1"; }
fi
export CASEWORK_MAIL_URL="file://$work/mail" CASEWORK_LOG="${CASEWORK_LOG:-warn}"
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  wait 2>/dev/null || true
  [ "$DB" = postgres ] && psql "${PG_URL%%\?*}" -qc "DROP DATABASE IF EXISTS \"$dbname\"" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

echo "load: $DB, $FAMILIES families, wrk $DURATION per run, $(nproc) cores shared by wrk and the server"
t0=$(date +%s)
"$BIN" demo --families "$FAMILIES" >/dev/null
echo "load: demo built in $(( $(date +%s) - t0 )) s"
export TOKEN
TOKEN=$("$BIN" users add load.officer --role verifier --role supervisor --all-districts 2>/dev/null)

CASEWORK_ADDR="127.0.0.1:$port" "$BIN" serve > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
memory() { grep -E '^(VmHWM|VmRSS)' "/proc/$server/status" | tr -s ' \t' ' ' | tr '\n' ' '; }
echo "load: server up, $(memory)"

# Cases in verification with one pending member that has its register
# extract and another pending member (so verifying it moves nothing on).
pick_cases() {
  q "SELECT a.reference, MIN(m.ordinal) FROM applications a JOIN members m ON m.application_id = a.id
      WHERE a.state = 'verification' AND m.state = 'pending' AND m.documents LIKE '%register_extract%'
        AND EXISTS (SELECT 1 FROM members o WHERE o.application_id = a.id AND o.state = 'pending' AND o.ordinal <> m.ordinal)
      GROUP BY a.reference ORDER BY a.reference LIMIT 2000" > "$work/cases.txt"
}

summary() { # name, wrk output file
  python3 - "$1" "$2" <<'PY'
import re, sys
name, text = sys.argv[1], open(sys.argv[2]).read()
def ms(label):
    m = re.search(r"^\s*%s\s+([\d.]+)(us|ms|s)\s*$" % re.escape(label), text, re.M)
    if not m: return float("nan")
    return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
total = int(re.search(r"(\d+) requests in", text).group(1))
non2xx = int((re.search(r"Non-2xx or 3xx responses: (\d+)", text) or [0, 0])[1])
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
sock = sum(map(int, sock.groups())) if sock else 0
print("%-24s %9.0f req/s  p50 %7.2f ms  p99 %7.2f ms  requests %7d  non-2xx %d  socket errors %d"
      % (name, rps, ms("50%"), ms("99%"), total, non2xx, sock))
PY
}

REF=$(q "SELECT reference FROM applications WHERE state = 'verification' ORDER BY id LIMIT 1")
auth=(-H "Authorization: Bearer $TOKEN")
wrk -t"$THREADS" -c16 -d3s "${auth[@]}" "http://127.0.0.1:$port/api/applications/$REF" > /dev/null
wrk -t"$THREADS" -c64 -d"$DURATION" --latency "${auth[@]}" "http://127.0.0.1:$port/api/applications/$REF" > "$work/read.txt"
summary "read, 64 connections" "$work/read.txt"
echo "load: after reads: $(memory)"

export THREADS CASES="$work/cases.txt"
for c in 16 64; do
  pick_cases
  wrk -t"$THREADS" -c"$c" -d"$DURATION" --latency -s scripts/transition.lua "http://127.0.0.1:$port" > "$work/transitions-$c.txt"
  summary "transitions, $c conn." "$work/transitions-$c.txt"
  echo "load: ($(wc -l < "$work/cases.txt") cases) after transitions at $c: $(memory)"
done
if [ "${VERBOSE:-0}" = 1 ]; then cat "$work"/*.txt; fi
echo "load: peak resident memory of the server: $(grep VmHWM "/proc/$server/status" | tr -s ' \t' ' ')"

# The agency portal: one agency, every answer appended to its access log.
export AGENCY NN
AGENCY=$("$BIN" agencies add load.agency --scopes naturalization-status,card-status --rate 1000000 2>/dev/null)
NN=$(q "SELECT national_number FROM members WHERE state = 'collected' ORDER BY id LIMIT 1")
wrk -t"$THREADS" -c16 -d"$DURATION" --latency -s scripts/portal.lua "http://127.0.0.1:$port/portal/v1/naturalization-status" > "$work/portal.txt"
summary "portal, 16 conn." "$work/portal.txt"
BATCH=500 wrk -t"$THREADS" -c4 -d"$DURATION" --latency -s scripts/portal.lua "http://127.0.0.1:$port/portal/v1/naturalization-status/batch" > "$work/portal-batch.txt"
summary "portal batch 500, 4 conn." "$work/portal-batch.txt"
echo "load: access log: $(q "SELECT COUNT(*) FROM agency_access") entries; $(memory)"
"$BIN" audit verify
