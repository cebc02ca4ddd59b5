#!/usr/bin/env bash
# Two builds of casework back to back (A B A B), `bench transitions` on a
# fresh SQLite file and a fresh PostgreSQL database each run, so that a
# change's effect on the step path shows beside the machine's own noise.
#
#   scripts/bench-compare.sh BEFORE_BINARY AFTER_BINARY [WORKERS] [SECONDS]
#
# e.g. build the older commit in a worktree, copy its target/debug/casework
# to /tmp/casework-before, then: scripts/bench-compare.sh /tmp/casework-before target/debug/casework
set -euo pipefail
before=$1 after=$2 workers=${3:-1,16} seconds=${4:-3}
PG=${PG_URL:-postgres://postgres@127.0.0.1:5432}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for db in sqlite postgres; do
  for which in before after before after; do
    if [ "$db" = sqlite ]; then
      rm -f "$scratch"/b.db*; url="sqlite://$scratch/b.db?mode=rwc"
    else
      psql "$PG/postgres" -qc 'DROP DATABASE IF EXISTS casework_bench_compare' >/dev/null
      psql "$PG/postgres" -qc 'CREATE DATABASE casework_bench_compare' >/dev/null
      url="$PG/casework_bench_compare"
    fi
    binary=$before; [ "$which" = after ] && binary=$after
    echo "=== $db $which ($binary)"
    DATABASE_URL=$url CASEWORK_LOG=warn "$binary" bench transitions --workers "$workers" --seconds "$seconds" --rounds 3 | tail -n 12
  done
done
