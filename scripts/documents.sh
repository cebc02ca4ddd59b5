#!/usr/bin/env bash
# Scanned documents under load, on a release build:
#   1. UPLOADS distinct 2 MiB PDFs put over HTTP (`curl -T -`-like chunked
#      bodies made on the fly by a Python client, 4 at a time), with the
#      throughput and the server's resident memory before and at its peak
#      (VmHWM);
#   2. a back-scan of BACKSCAN files (JPEG pages and PDFs of ~SIZE_KB each,
#      named REFERENCE_OWNER_KIND[_pPAGE].EXT for the demo's cases) with
#      `casework documents attach`, timed with its peak memory, then run
#      again (it must store nothing new);
#   3. the case page of a family holding 30 scans under wrk (16
#      connections, DURATION), signed in as a verifier.
#
#   scripts/documents.sh                          # SQLite, scans in a directory
#   DB=postgres scripts/documents.sh
#   DOCUMENTS_URL=s3://bucket/prefix scripts/documents.sh   # with AWS_* set (moto)
#   UPLOADS=200 BACKSCAN=2000 FAMILIES=200 scripts/documents.sh
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${BIN:-./target/release/casework}"
DB="${DB:-sqlite}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
FAMILIES="${FAMILIES:-1000}"
UPLOADS="${UPLOADS:-1000}"
BACKSCAN="${BACKSCAN:-10000}"
SIZE_KB="${SIZE_KB:-100}"
DURATION="${DURATION:-20s}"
command -v wrk >/dev/null || { echo "documents: wrk is missing (apt-get install -y wrk)" >&2; exit 2; }
[ -x "$BIN" ] || { echo "documents: no binary at $BIN (cargo build --release)" >&2; exit 2; }

work=$(mktemp -d)
port=$((19900 + RANDOM % 90))
server=""
dbname="casework_documents_$$_$RANDOM"
if [ "$DB" = postgres ]; then
  export DATABASE_URL="${PG_URL%/*}/$dbname"
  psql "$PG_URL" -qc "CREATE DATABASE \"$dbname\"" >/dev/null
else
  export DATABASE_URL="sqlite://$work/documents.db?mode=rwc"
fi
export CASEWORK_DOCUMENTS_URL="${DOCUMENTS_URL:-$work/scans}"
export CASEWORK_MAIL_URL="file://$work/mail" CASEWORK_LOG="${CASEWORK_LOG:-warn}"
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  wait 2>/dev/null || true
  [ "$DB" = postgres ] && psql "$PG_URL" -qc "DROP DATABASE IF EXISTS \"$dbname\"" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

echo "documents: $DB, scans in ${DOCUMENTS_URL:-a directory}, $FAMILIES families, $(nproc) cores shared by the clients and the server"
"$BIN" demo --families "$FAMILIES" >/dev/null 2>&1
password="documents-$(date +%s)-bench"
token=$("$BIN" users add documents.clerk --role intake_clerk --all-districts 2>/dev/null)
"$BIN" users add documents.verifier --role verifier --all-districts >/dev/null 2>&1
printf '%s\n' "$password" | "$BIN" users passwd documents.verifier >/dev/null

# The demo's families and how many members each has.
if [ "$DB" = postgres ]; then
  psql "$DATABASE_URL" -AtF, -c "SELECT a.reference, count(*) FROM applications a JOIN members m ON m.application_id = a.id WHERE a.workflow_name = 'naturalization-family' GROUP BY a.id, a.reference ORDER BY a.id" > "$work/families.csv"
else
  sqlite3 -csv "$work/documents.db" "SELECT a.reference, count(*) FROM applications a JOIN members m ON m.application_id = a.id WHERE a.workflow_name = 'naturalization-family' GROUP BY a.id, a.reference ORDER BY a.id" > "$work/families.csv"
fi

CASEWORK_ADDR="127.0.0.1:$port" "$BIN" serve > "$work/serve.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
rss() { awk -v k="$1:" '$1 == k { printf "%.1f", $2 / 1024 }' "/proc/$server/status"; }

# 1. Uploads: member 1's court decision of the first UPLOADS families.
before=$(rss VmRSS)
python3 - "$base" "$token" "$work/families.csv" "$UPLOADS" <<'EOF'
import http.client, sys, threading, time, urllib.parse
base, token, families, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
refs = [line.split(",")[0] for line in open(families)][:count]
host = urllib.parse.urlparse(base)
size, part = 2 * 1024 * 1024, 64 * 1024
failed = []
def body(seed):
    # A distinct PDF-looking body, made part by part (never whole).
    yield b"%PDF-1.7\n" + seed.to_bytes(8, "big")
    block = bytes((seed * 131 + i) % 251 for i in range(part))
    sent = 17
    while sent < size:
        n = min(part, size - sent)
        yield block[:n]
        sent += n
def worker(mine):
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=120)
    for i in mine:
        conn.request("PUT", f"/api/applications/{refs[i]}/documents/1/court_decision",
                     body=body(i), headers={"Authorization": "Bearer " + token,
                                            "Content-Type": "application/pdf"},
                     encode_chunked=True)
        r = conn.getresponse(); r.read()
        if r.status != 201:
            failed.append((refs[i], r.status))
started = time.time()
threads = [threading.Thread(target=worker, args=(range(k, len(refs), 4),)) for k in range(4)]
for t in threads: t.start()
for t in threads: t.join()
took = time.time() - started
mib = len(refs) * size / 1024 / 1024
print(f"documents: uploads: {len(refs)} x 2 MiB in {took:.1f} s: {len(refs)/took:.1f}/s, {mib/took:.1f} MiB/s; failed {len(failed)}")
if failed: print(failed[:5]); sys.exit(1)
EOF
echo "documents: uploads: server RSS before $before MiB, now $(rss VmRSS) MiB, peak (VmHWM) $(rss VmHWM) MiB"

# 2. The back-scan archive: per family the form, each member's register
# extract in 2 pages and photos; the first family gets 30 documents.
python3 - "$work/families.csv" "$work/archive" "$BACKSCAN" "$SIZE_KB" <<'EOF'
import os, sys
families, out, wanted, size_kb = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
os.makedirs(out, exist_ok=True)
def jpeg(seed):
    head = bytes([0xFF, 0xD8, 0xFF, 0xE0, 0, 16]) + b"JFIF\0" + bytes([1, 1, 1, 0, 200, 0, 200, 0, 0])
    frame = bytes([0xFF, 0xC0, 0, 11, 8, 0x06, 0x00, 0x04, 0x00, 1, 1, 0x11, 0])
    filler = bytes((seed * 7 + i) % 251 for i in range(size_kb * 1024))
    com = b"".join(bytes([0xFF, 0xFE]) + (len(c) + 2).to_bytes(2, "big") + c
                   for c in [filler[i:i + 60000] for i in range(0, len(filler), 60000)])
    return head + com + frame + bytes([0xFF, 0xD9])
def pdf(seed):
    return b"%PDF-1.7\n" + bytes((seed * 13 + i) % 251 for i in range(size_kb * 1024))
kinds = ["register_extract", "photos", "parents_register_entries", "mukhtar_attestation",
         "witness_statements", "court_decision"]
n = 0
def put(name, data):
    global n
    if n < wanted:
        with open(os.path.join(out, name), "wb") as f: f.write(data)
        n += 1
rows = [line.strip().split(",") for line in open(families)]
# The largest family gets 30 documents (its member 1's court decision is
# an upload's already); the last family stays with its one upload.
big = max(rows[:-1], key=lambda r: int(r[1]))
ref, members = big[0], int(big[1])
put(f"{ref}_family_application_form.pdf", pdf(n))
slots = [(m, k) for m in range(1, members + 1) for k in kinds if (m, k) != (1, "court_decision")]
for m, k in slots[:28]:
    put(f"{ref}_{m}_{k}.pdf", pdf(n))
for ref, members in rows[:-1]:
    if ref == big[0]: continue
    put(f"{ref}_family_application_form.pdf", pdf(n))
    for m in range(1, int(members) + 1):
        put(f"{ref}_{m}_register_extract_p1.jpg", jpeg(n))
        put(f"{ref}_{m}_register_extract_p2.jpg", jpeg(n))
        put(f"{ref}_{m}_photos.jpg", jpeg(n))
    if n >= wanted: break
print(f"documents: back-scan archive: {n} files, {sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out)) // 1024 // 1024} MiB; the case with 30 scans is {big[0]}, the one with 1 is {rows[-1][0]}")
open(os.path.join(os.path.dirname(out), "thirty"), "w").write(big[0])
open(os.path.join(os.path.dirname(out), "one"), "w").write(rows[-1][0])
EOF
for run in first again; do
  /usr/bin/time -f "%e %M" -o "$work/time.$run" "$BIN" documents attach --lang en "$work/archive" > "$work/attach.$run" 2>/dev/null || true
  read -r seconds kib < "$work/time.$run"
  echo "documents: back-scan ($run run): $(tail -n1 "$work/attach.$run" | sed 's/; [0-9.]* s$//'); $seconds s, peak RSS $((kib / 1024)) MiB"
done

# 3. The case page with 30 scans, and for comparison in the same run one
# with a single scan, signed in as a verifier.
curl -s -o /dev/null -c "$work/cookies" --data-urlencode "username=documents.verifier" \
  --data-urlencode "password=$password" --data-urlencode "next=/" "$base/signin"
cookie=$(awk '$6 == "casework_session" { print "casework_session=" $7 }' "$work/cookies")
for which in one thirty; do
  ref=$(cat "$work/$which")
  curl -sf -H "Cookie: $cookie" "$base/applications/$ref" > "$work/case.html"
  shown=$(grep -o "/documents/[0-9a-z]*/[a-z_]*" "$work/case.html" | sort -u | wc -l)
  wrk -t2 -c16 -d3s -H "Cookie: $cookie" "$base/applications/$ref" > /dev/null
  wrk -t2 -c16 -d"$DURATION" --latency -H "Cookie: $cookie" "$base/applications/$ref" > "$work/case.txt"
  rps=$(awk '/Requests\/sec/ { print $2 }' "$work/case.txt")
  p50=$(awk '$1 == "50%" { print $2 }' "$work/case.txt")
  p99=$(awk '$1 == "99%" { print $2 }' "$work/case.txt")
  errors=$(grep -E 'Non-2xx|Socket errors' "$work/case.txt" | tr -s ' ' | tr '\n' ' ' || true)
  echo "documents: case page with $shown scans ($(wc -c < "$work/case.html") bytes): $rps req/s, p50 $p50, p99 $p99, ${errors:-no errors}"
done
