#!/usr/bin/env bash
# The workbench's pages under wrk (from Debian): the demo province on a
# fresh database (copied up to GROW_TO families with `casework bench grow`
# when set), `casework serve`, a verifier and an intake clerk signed in with
# a password (a session cookie, as a browser has), then 16 connections for
# DURATION on
#   the queue page   GET /                       (the verifier's "My work": one state)
#   the clerk's queue GET /                      (intake and returned: two states)
#   a case page      GET /applications/{ref}     (a case in verification)
#   a family of nine GET /applications/{ref}     (opened for the run, in verification)
#   the team         GET /team                   (a supervisor's home)
# and then, one request at a time, the whole-family action on nine members
# (POST /api/applications/{ref}/transitions, verify_member for all nine)
# on ACTIONS families of nine opened for it,
# with req/s, p50/p99 and errors, each page's size with everything it loads
# (the page and its one style sheet), and any address outside this server
# that a page names (there must be none).
#
#   scripts/pages.sh                       # PostgreSQL, 48,000 families, 20 s each
#   DB=sqlite scripts/pages.sh
#   FAMILIES=2000 DURATION=5s scripts/pages.sh
#   GROW_TO=2016000 scripts/pages.sh       # the demo copied 42 times (PostgreSQL)
#   KEEP_DB=1 ...                          # keep the database (its URL is printed)
#   REUSE_URL=postgres://…/db scripts/pages.sh   # time a database kept before
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${BIN:-./target/release/casework}"
DB="${DB:-postgres}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
FAMILIES="${FAMILIES:-48000}"
GROW_TO="${GROW_TO:-}"
KEEP_DB="${KEEP_DB:-}"
REUSE_URL="${REUSE_URL:-}"
DURATION="${DURATION:-20s}"
THREADS="${THREADS:-2}"
ACTIONS="${ACTIONS:-200}"
command -v wrk >/dev/null || { echo "pages: wrk is missing (apt-get install -y wrk)" >&2; exit 2; }
[ -x "$BIN" ] || { echo "pages: no binary at $BIN (cargo build --release)" >&2; exit 2; }

work=$(mktemp -d)
port=$((19400 + RANDOM % 500))
server=""
dbname="casework_pages_$$_$RANDOM"
if [ -n "$REUSE_URL" ]; then
  export DATABASE_URL="$REUSE_URL"
  KEEP_DB=1
elif [ "$DB" = postgres ]; then
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
  if [ -n "$KEEP_DB" ]; then
    echo "pages: the database is kept: DATABASE_URL=$DATABASE_URL"
  elif [ "$DB" = postgres ]; then
    psql "${PG_URL%%\?*}" -qc "DROP DATABASE IF EXISTS \"$dbname\"" >/dev/null 2>&1
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "pages: $DB, ${REUSE_URL:+the families of $REUSE_URL}${REUSE_URL:-${GROW_TO:-$FAMILIES} families}, wrk -c16 $DURATION per page, $(nproc) cores shared by wrk and the server"
if [ -z "$REUSE_URL" ]; then
  t0=$(date +%s)
  "$BIN" demo --families "$FAMILIES" >/dev/null
  echo "pages: demo built in $(( $(date +%s) - t0 )) s"
  if [ -n "$GROW_TO" ]; then
    t0=$(date +%s)
    "$BIN" bench grow --families "$GROW_TO" 2>/dev/null
    echo "pages: copied up to $GROW_TO families in $(( $(date +%s) - t0 )) s"
  fi
fi
password="pages-$(date +%s)-bench"
for who in verifier intake_clerk supervisor; do
  "$BIN" users add "pages.$who" --role "$who" --all-districts > "$work/token.$who" 2>/dev/null || true
  printf '%s\n' "$password" | "$BIN" users passwd "pages.$who" >/dev/null
done

CASEWORK_ADDR="127.0.0.1:$port" "$BIN" serve > "$work/serve.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

# Sign in as a browser does and keep the session cookie.
signin() { # user name; prints the cookie
  curl -s -o /dev/null -c "$work/cookies.$1" --data-urlencode "username=$1" \
    --data-urlencode "password=$password" --data-urlencode "next=/" "$base/signin"
  awk '$6 == "casework_session" { print "casework_session=" $7 }' "$work/cookies.$1"
}
cookie=$(signin pages.verifier)
clerk_cookie=$(signin pages.intake_clerk)
team_cookie=$(signin pages.supervisor)
[ -n "$cookie" ] && [ -n "$clerk_cookie" ] && [ -n "$team_cookie" ] || { echo "pages: sign-in gave no session cookie" >&2; exit 1; }
# Families of nine, opened through the API by the clerk and sent to
# verification (ACTIONS of them): the case page of the first, and the
# whole-family action on each below.
clerk_token=$(cat "$work/token.intake_clerk")
for i in $(seq 1 "$ACTIONS"); do
  body=$(python3 - "$i" <<'PY'
import datetime, json, sys
i = int(sys.argv[1])
names = ["علي", "مريم", "حسن", "نور", "يوسف", "سارة", "عمر"]
families = ["الحسيني", "العبدالله", "الشمري", "الجبوري", "الطائي", "الخليل", "الأحمد", "العمر", "السليمان", "الصالح", "الحمد"]
def member(n, first, relationship, sex, born):
    return {"first_name": first, "father_name": "محمد" if n > 1 else "أحمد", "mother_name": "فاطمة خليل",
            "family_name": families[i % len(families)], "sex": sex, "birth_date": born, "birth_place": "القامشلي",
            "relationship": relationship, "register_number": f"{9000 + i}/{n + 1}",
            "documents": ["register_extract", "photos"]}
members = [member(0, "محمد", "head", "male", f"{1950 + i % 25}-03-{i % 28 + 1:02d}"),
           member(1, "فاطمة", "spouse", "female", f"{1955 + i % 25}-09-{i % 28 + 1:02d}")]
members += [member(k + 2, first, "son" if k % 2 == 0 else "daughter", "male" if k % 2 == 0 else "female",
                   f"{1980 + i % 20 + 3 * k}-0{k + 1}-{i % 28 + 1:02d}") for k, first in enumerate(names)]
print(json.dumps({"district": "al_qamishli", "office": "qamishli_1",
                  "submitted_on": str(datetime.date.today()), "family_documents": ["application_form"],
                  "members": members}, ensure_ascii=False))
PY
)
  made=$(curl -s -X POST -H "Authorization: Bearer $clerk_token" -H 'Content-Type: application/json' \
    -d "$body" "$base/api/applications")
  ref9=$(printf '%s' "$made" | python3 -c 'import json, sys; print(json.load(sys.stdin).get("reference", ""))' 2>/dev/null || true)
  [ -n "$ref9" ] || { echo "pages: the clerk could not open a family of nine: $made" >&2; exit 1; }
  curl -sf -o /dev/null -X POST -H "Authorization: Bearer $clerk_token" -H 'Content-Type: application/json' \
    -d '{"action": "submit_for_verification"}' "$base/api/applications/$ref9/transitions"
  echo "$ref9 1,2,3,4,5,6,7,8,9"
done > "$work/families-of-nine.txt"
ref9=$(awk 'NR == 1 { print $1 }' "$work/families-of-nine.txt")
echo "pages: $(wc -l < "$work/families-of-nine.txt") families of nine opened and sent to verification"

curl -sf -H "Cookie: $cookie" "$base/" > "$work/queue.html"
curl -sf -H "Cookie: $clerk_cookie" "$base/" > "$work/clerk.html"
ref=$(grep -oE '(HSK-[0-9]{4}-[0-9]{6}|COPY-[0-9]+)' "$work/queue.html" | head -n1)
[ -n "$ref" ] || { echo "pages: the verifier's queue is empty" >&2; exit 1; }
curl -sf -H "Cookie: $cookie" "$base/applications/$ref" > "$work/case.html"
curl -sf -H "Cookie: $cookie" "$base/applications/$ref9" > "$work/nine.html"
curl -sf -H "Cookie: $team_cookie" "$base/team" > "$work/team.html"
css=$(curl -sf "$base/web/style.css" | wc -c)

summary() { # name, wrk output file
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ { print $2 }' "$2")
  p50=$(awk '$1 == "50%" { print $2 }' "$2")
  p99=$(awk '$1 == "99%" { print $2 }' "$2")
  errors=$(grep -E 'Non-2xx|Socket errors' "$2" | tr -s ' ' | tr '\n' ' ' || true)
  printf 'pages: %-10s %8s req/s  p50 %8s  p99 %8s  %s\n' "$1" "$rps" "$p50" "$p99" "${errors:-no errors}"
}
for page in queue clerk case nine team; do
  path="/" who="$cookie"
  [ "$page" = case ] && path="/applications/$ref"
  [ "$page" = nine ] && path="/applications/$ref9"
  [ "$page" = clerk ] && who="$clerk_cookie"
  [ "$page" = team ] && path="/team" who="$team_cookie"
  wrk -t"$THREADS" -c16 -d3s -H "Cookie: $who" "$base$path" > /dev/null
  wrk -t"$THREADS" -c16 -d"$DURATION" --latency -H "Cookie: $who" "$base$path" > "$work/$page.txt"
  summary "$page" "$work/$page.txt"
done
for page in queue clerk case nine team; do
  size=$(wc -c < "$work/$page.html")
  outside=$( (grep -oE '(src|href|action)="(https?:)?//[^"]*"' "$work/$page.html" || true) | grep -vc "127.0.0.1:$port" || true)
  printf 'pages: %-10s %6d bytes + style sheet %d bytes = %d bytes; addresses outside this server: %d\n' \
    "$page" "$size" "$css" $(( size + css )) "$outside"
done

# The whole-family action, one request at a time (each family once: the
# action moves its members on): verify_member for the nine, in one step.
token=$(cat "$work/token.verifier")
while read -r ref9 members; do
  curl -s -o "$work/answer.json" -w '%{http_code} %{time_total}\n' -X POST \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"action\": \"verify_member\", \"members\": [$members]}" \
    "$base/api/applications/$ref9/transitions" < /dev/null
  grep -q '"status":[45]' "$work/answer.json" && { cat "$work/answer.json"; echo; } >> "$work/refused.txt"
done < "$work/families-of-nine.txt" > "$work/family.txt"
[ -s "$work/refused.txt" ] && echo "pages: refused: $(head -c 600 "$work/refused.txt")"
ok=$(awk '$1 ~ /^2/' "$work/family.txt" | wc -l)
awk '$1 ~ /^2/ { print $2 * 1000 }' "$work/family.txt" | sort -n > "$work/family.ms"
if [ "$ok" -gt 0 ]; then
  pick() { sed -n "$(( ($1 * ok + 99) / 100 ))p" "$work/family.ms"; }
  printf 'pages: %-10s %d of %d taken (nine members each, one at a time)  p50 %.2fms  p99 %.2fms  max %.2fms\n' \
    "family" "$ok" "$(wc -l < "$work/family.txt")" "$(pick 50)" "$(pick 99)" "$(tail -n1 "$work/family.ms")"
else
  echo "pages: family     no whole-family action was taken: $(sort "$work/family.txt" | cut -d' ' -f1 | uniq -c | tr '\n' ' ')"
fi
