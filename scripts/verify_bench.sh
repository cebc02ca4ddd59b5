#!/usr/bin/env bash
# `casework audit verify` over a large history on PostgreSQL, before and
# after issue 21 §3 (partitioned history, parallel and incremental verify):
#   1. the demo province (FAMILIES) and 4 agencies, made by BASE_BIN (the
#      code before: unpartitioned tables, one sequential walk);
#   2. a copy of that database for BIN, which migrates it (migration 32,
#      timed) and appends ENTRIES access-log entries over 12 months through
#      the portal's path (`bench access-log`); the same entries are copied
#      into the first database so both hold the same history;
#   3. BASE_BIN's `audit verify`; BIN's `audit verify --full` at --jobs 1
#      and JOBS; a signed checkpoint, new entries and events after it, and
#      BIN's incremental `audit verify`.
#
#   BASE_BIN=./target/casework-base scripts/verify_bench.sh
#   FAMILIES=2000 ENTRIES=50000 BASE_BIN=… scripts/verify_bench.sh   # a quick run
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${BIN:-./target/release/casework}"
BASE_BIN="${BASE_BIN:-}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
FAMILIES="${FAMILIES:-55000}"
ENTRIES="${ENTRIES:-1200000}"
JOBS="${JOBS:-4}"
PREFIX="${PREFIX:-casework_hist}"
[ -x "$BIN" ] || { echo "verify_bench: no binary at $BIN (cargo build --release)" >&2; exit 2; }
[ -n "$BASE_BIN" ] && [ -x "$BASE_BIN" ] || { echo "verify_bench: set BASE_BIN to a build of the code before" >&2; exit 2; }

work=$(mktemp -d)
before="${PREFIX}_before_$$"
after="${PREFIX}_after_$$"
url() { echo "${PG_URL%/*}/$1"; }
admin() { psql "${PG_URL%%\?*}" -qAtc "$1"; }
cleanup() {
  admin "DROP DATABASE IF EXISTS \"$before\"" >/dev/null 2>&1 || true
  admin "DROP DATABASE IF EXISTS \"$after\"" >/dev/null 2>&1 || true
  rm -rf "$work"
}
[ -n "${KEEP:-}" ] || trap cleanup EXIT
export CASEWORK_LOG="${CASEWORK_LOG:-warn}" CASEWORK_MAIL_URL="file://$work/mail"
timed() { # label, command…
  local t0 t1; t0=$(date +%s.%N); "${@:2}"; t1=$(date +%s.%N)
  printf 'verify_bench: %s: %.1f s\n' "$1" "$(echo "$t1 - $t0" | bc)" >&2
}

echo "verify_bench: $FAMILIES families, $ENTRIES access-log entries, $(nproc) cores"
admin "CREATE DATABASE \"$before\""
timed "demo (before's binary)" env DATABASE_URL="$(url "$before")" "$BASE_BIN" demo --families "$FAMILIES" >/dev/null
for n in 1 2 3 4; do
  DATABASE_URL="$(url "$before")" "$BASE_BIN" agencies add "bench-agency-$n" --scopes naturalization-status --rate 1000000 >/dev/null
done
admin "CREATE DATABASE \"$after\" TEMPLATE \"$before\""
timed "migration 32 (partitioning $(psql "$(url "$after")" -qAtc 'SELECT COUNT(*) FROM audit_events') audit events)" \
  env DATABASE_URL="$(url "$after")" "$BIN" migrate >/dev/null
DATABASE_URL="$(url "$after")" "$BIN" bench access-log --entries "$ENTRIES"
# The same entries and heads in the database before.
columns="agency_id, seq, at, key_prefix, scope, subject, purpose, result, application_id, member_ordinal, persons, prev_hash, hash"
psql "$(url "$after")" -qc "\\copy (SELECT $columns FROM agency_access ORDER BY agency_id, seq) TO STDOUT" \
  | psql "$(url "$before")" -qc "\\copy agency_access ($columns) FROM STDIN"
psql "$(url "$after")" -qAtF ' ' -c "SELECT id, log_seq, log_head FROM agencies" | while read -r id seq head; do
  psql "$(url "$before")" -qc "UPDATE agencies SET log_seq = $seq, log_head = '$head' WHERE id = $id"
done
psql "$(url "$before")" -qc "VACUUM ANALYZE" ; psql "$(url "$after")" -qc "VACUUM ANALYZE"
echo "verify_bench: $(psql "$(url "$after")" -qAtc "SELECT (SELECT COUNT(*) FROM audit_events) || ' audit events, ' || (SELECT COUNT(*) FROM agency_access) || ' access-log entries, ' || (SELECT COUNT(*) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname IN ('audit_events', 'agency_access')) || ' partitions'")"

timed "before: audit verify" env DATABASE_URL="$(url "$before")" "$BASE_BIN" audit verify | tail -1
timed "after: audit verify --full --jobs 1" env DATABASE_URL="$(url "$after")" "$BIN" audit verify --full --jobs 1 | tail -1
timed "after: audit verify --full --jobs $JOBS" env DATABASE_URL="$(url "$after")" "$BIN" audit verify --full --jobs "$JOBS" | tail -1

# A checkpoint, then history after it: entries and transitions.
export CASEWORK_AUDIT_KEY_FILE="$work/audit.key"
public=$("$BIN" audit keygen | tail -1)
timed "after: audit checkpoint" env DATABASE_URL="$(url "$after")" "$BIN" audit checkpoint
DATABASE_URL="$(url "$after")" "$BIN" bench access-log --entries 20000 --months 0 >/dev/null
psql "$(url "$after")" -qc "SELECT 1" >/dev/null
timed "after: audit verify (incremental, jobs $JOBS)" env DATABASE_URL="$(url "$after")" "$BIN" audit verify --public-key "$public" --jobs "$JOBS" | tail -1
timed "after: audit verify --full (with the checkpoint, jobs $JOBS)" env DATABASE_URL="$(url "$after")" "$BIN" audit verify --public-key "$public" --full --jobs "$JOBS" | tail -1
