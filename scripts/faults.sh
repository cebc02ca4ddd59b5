#!/usr/bin/env bash
# The kill -9 drill: transitions over HTTP against PostgreSQL while the
# server is killed with SIGKILL three times at random moments and restarted,
# then the checks: every acknowledged transition is in the audit trail, no
# case is half-changed, every audit chain verifies, every statistic equals a
# recount, no outbox mail is lost.
#
#   scripts/faults.sh                      # release binary, 300 families, 24 s of load
#   BIN=./target/debug/casework FAMILIES=200 SECONDS_OF_LOAD=15 scripts/faults.sh
#
# PG_URL names the server (a database of its own is created and dropped).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${BIN:-./target/release/casework}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
FAMILIES="${FAMILIES:-300}"
SECONDS_OF_LOAD="${SECONDS_OF_LOAD:-24}"
THREADS="${THREADS:-8}"
KILLS="${KILLS:-3}"
[ -x "$BIN" ] || { echo "faults: no binary at $BIN (cargo build --release, or set BIN)" >&2; exit 2; }

started=$(date +%s)
db="casework_faults_$$_$RANDOM"
base="${PG_URL%/*}"
query=""
case "$PG_URL" in *\?*) query="?${PG_URL#*\?}" ;; esac
export DATABASE_URL="$base/$db$query"
work=$(mktemp -d)
mail="$work/mail"
mkdir -p "$mail"
export CASEWORK_MAIL_URL="file://$mail" CASEWORK_LOG="${CASEWORK_LOG:-warn}"
port=$((18200 + RANDOM % 600))
server=""

cleanup() {
  [ -n "$server" ] && kill -9 "$server" 2>/dev/null || true
  wait 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then
    echo "faults: kept $work and the database $db"
  else
    psql "$PG_URL" -qc "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1 || true
    rm -rf "$work"
  fi
}
trap cleanup EXIT

start_server() {
  CASEWORK_ADDR="127.0.0.1:$port" "$BIN" serve >> "$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "faults: the server did not come up; its log:" >&2
  tail -20 "$work/serve.log" >&2
  exit 1
}

psql "$PG_URL" -qc "CREATE DATABASE \"$db\"" >/dev/null
"$BIN" demo --families "$FAMILIES" --seed 7 >/dev/null
TOKEN=$("$BIN" users add fault.officer --role supervisor --role verifier --all-districts 2>/dev/null)
q() { psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -Atc "$1"; }
outbox_before=$(q "SELECT COALESCE(MAX(id), 0) FROM outbox")

# The cases to drive, each with a two-step cycle: intake <-> returned (each
# return mails the applicant), and in verification one pending member
# verified and reopened (another member stays pending, so nothing moves on).
q "SELECT json_agg(c) FROM (
     SELECT reference, version, state, 'case' AS kind, 0 AS member, '' AS member_state FROM applications
      WHERE state IN ('intake', 'returned') AND applicant_email IS NOT NULL
     UNION ALL
     SELECT * FROM (SELECT DISTINCT ON (a.id) a.reference, a.version, a.state, 'member', m.ordinal, m.state
       FROM applications a JOIN members m ON m.application_id = a.id
      WHERE a.state = 'verification' AND m.state = 'pending'
        AND m.documents LIKE '%register_extract%'
        AND EXISTS (SELECT 1 FROM members o WHERE o.application_id = a.id
                    AND o.state = 'pending' AND o.ordinal <> m.ordinal)
      ORDER BY a.id, m.ordinal) v) c" > "$work/cases.json"
ncases=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1])) or []))' "$work/cases.json")
[ "$ncases" -gt 0 ] || { echo "faults: no case to drive in the demo" >&2; exit 1; }
echo "faults: $FAMILIES families on $db; $ncases cases driven by $THREADS threads for ${SECONDS_OF_LOAD}s; $KILLS kills"

start_server
python3 scripts/fault_client.py load --url "http://127.0.0.1:$port" --token "$TOKEN" \
  --cases "$work/cases.json" --threads "$THREADS" --seconds "$SECONDS_OF_LOAD" \
  --acks "$work/acks.jsonl" --errors "$work/errors.jsonl" &
client=$!

# Kill at random moments spread over the load (the first after 1-4 s).
slice=$(( SECONDS_OF_LOAD * 10 / (KILLS + 1) ))
for k in $(seq 1 "$KILLS"); do
  sleep "$(python3 -c "import random; print(round(random.uniform(0.3, 1.0) * $slice / 10, 2))")"
  done_before=$(wc -l < "$work/acks.jsonl" 2>/dev/null || echo 0)
  kill -9 "$server"
  wait "$server" 2>/dev/null || true
  echo "faults: kill -9 number $k after $done_before acknowledged transitions"
  sleep 0.5
  start_server
done

client_status=0
wait "$client" || client_status=$?
if [ -s "$work/errors.jsonl" ]; then
  echo "faults: refused requests (first 5):" >&2
  head -5 "$work/errors.jsonl" >&2
fi

# Deliver what is left: a server whose scheduler clock runs 11 minutes ahead,
# so that claims left by a killed dispatcher (valid 10 minutes) have run out.
kill -9 "$server"; wait "$server" 2>/dev/null || true
CASEWORK_SCHEDULER_START=$(date -u -d '+11 minutes' +%Y-%m-%dT%H:%M:%SZ) start_server
for _ in $(seq 1 120); do
  left=$(q "SELECT COUNT(*) FROM outbox WHERE id > $outbox_before AND dedupe_key IS NULL AND status IN ('pending', 'sending')")
  [ "$left" = 0 ] && break
  sleep 0.5
done
kill "$server"; wait "$server" 2>/dev/null || true
server=""

status=0
python3 scripts/fault_client.py check --db "$DATABASE_URL" --acks "$work/acks.jsonl" \
  --mail "$mail" --outbox-before "$outbox_before" || status=1
"$BIN" audit verify || { echo "FAIL: casework audit verify" >&2; status=1; }
"$BIN" stats check || { echo "FAIL: casework stats check" >&2; status=1; }
[ "$client_status" = 0 ] || { echo "FAIL: the client saw refusals or unanswered requests" >&2; status=1; }
echo "faults: $([ $status = 0 ] && echo passed || echo FAILED) in $(( $(date +%s) - started )) s"
exit $status
