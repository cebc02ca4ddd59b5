#!/usr/bin/env bash
# The workbench's pages under wrk (from Debian): the demo province on a
# fresh database, `casework serve`, a verifier signed in with a password
# (a session cookie, as a browser has), then 16 connections for DURATION on
#   the queue page   GET /                       (the verifier's "My work")
#   a case page      GET /applications/{ref}     (a case in verification)
# with req/s, p50/p99 and errors, each page's size with everything it loads
# (the page and its one style sheet), and any address outside this server
# that a page names (there must be none).
#
#   scripts/pages.sh                       # PostgreSQL, 48,000 families, 20 s each
#   DB=sqlite scripts/pages.sh
#   FAMILIES=2000 DURATION=5s scripts/pages.sh
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${BIN:-./target/release/casework}"
DB="${DB:-postgres}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
FAMILIES="${FAMILIES:-48000}"
DURATION="${DURATION:-20s}"
THREADS="${THREADS:-2}"
command -v wrk >/dev/null || { echo "pages: wrk is missing (apt-get install -y wrk)" >&2; exit 2; }
[ -x "$BIN" ] || { echo "pages: no binary at $BIN (cargo build --release)" >&2; exit 2; }

work=$(mktemp -d)
port=$((19400 + RANDOM % 500))
server=""
dbname="casework_pages_$$_$RANDOM"
if [ "$DB" = postgres ]; then
  query=""
  case "$PG_URL" in *\?*) query="?${PG_URL#*\?}" ;; esac
  export DATABASE_URL="${PG_URL%/*}/$dbname$query"
  psql "${PG_URL%%\?*}" -qc "CREATE DATABASE \"$dbname\"" >/dev/null
else
  export DATABASE_URL="sqlite://$work/pages.db?mode=rwc"
fi
export CASEWORK_MAIL_URL="file://$work/mail" CASEWORK_LOG="${CASEWORK_LOG:-warn}"
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  wait 2>/dev/null || true
  [ "$DB" = postgres ] && psql "${PG_URL%%\?*}" -qc "DROP DATABASE IF EXISTS \"$dbname\"" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

echo "pages: $DB, $FAMILIES families, wrk -c16 $DURATION per page, $(nproc) cores shared by wrk and the server"
t0=$(date +%s)
"$BIN" demo --families "$FAMILIES" >/dev/null
echo "pages: demo built in $(( $(date +%s) - t0 )) s"
password="pages-$(date +%s)-bench"
"$BIN" users add pages.verifier --role verifier --all-districts >/dev/null 2>&1
printf '%s\n' "$password" | "$BIN" users passwd pages.verifier >/dev/null

CASEWORK_ADDR="127.0.0.1:$port" "$BIN" serve > "$work/serve.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

# Sign in as a browser does and keep the session cookie.
curl -s -o /dev/null -c "$work/cookies" --data-urlencode "username=pages.verifier" \
  --data-urlencode "password=$password" --data-urlencode "next=/" "$base/signin"
cookie=$(awk '$6 == "casework_session" { print "casework_session=" $7 }' "$work/cookies")
[ -n "$cookie" ] || { echo "pages: sign-in gave no session cookie" >&2; exit 1; }

curl -sf -H "Cookie: $cookie" "$base/" > "$work/queue.html"
ref=$(grep -o 'HSK-[0-9]\{4\}-[0-9]\{6\}' "$work/queue.html" | head -n1)
[ -n "$ref" ] || { echo "pages: the verifier's queue is empty" >&2; exit 1; }
curl -sf -H "Cookie: $cookie" "$base/applications/$ref" > "$work/case.html"
css=$(curl -sf "$base/web/style.css" | wc -c)

summary() { # name, wrk output file
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ { print $2 }' "$2")
  p50=$(awk '$1 == "50%" { print $2 }' "$2")
  p99=$(awk '$1 == "99%" { print $2 }' "$2")
  errors=$(grep -E 'Non-2xx|Socket errors' "$2" | tr -s ' ' | tr '\n' ' ' || true)
  printf 'pages: %-10s %8s req/s  p50 %8s  p99 %8s  %s\n' "$1" "$rps" "$p50" "$p99" "${errors:-no errors}"
}
for page in queue case; do
  path="/"
  [ "$page" = case ] && path="/applications/$ref"
  wrk -t"$THREADS" -c16 -d3s -H "Cookie: $cookie" "$base$path" > /dev/null
  wrk -t"$THREADS" -c16 -d"$DURATION" --latency -H "Cookie: $cookie" "$base$path" > "$work/$page.txt"
  summary "$page" "$work/$page.txt"
done
for page in queue case; do
  size=$(wc -c < "$work/$page.html")
  outside=$( (grep -oE '(src|href|action)="(https?:)?//[^"]*"' "$work/$page.html" || true) | grep -vc "127.0.0.1:$port" || true)
  printf 'pages: %-10s %6d bytes + style sheet %d bytes = %d bytes; addresses outside this server: %d\n' \
    "$page" "$size" "$css" $(( size + css )) "$outside"
done
