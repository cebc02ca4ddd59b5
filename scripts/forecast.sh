#!/usr/bin/env bash
# Times the forecast, its backtest and the staffing what-if on a database
# holding the demo province (casework demo --families 48000 --seed 2011),
# from the command line and served: each route 10 times with a leadership
# token, the median of curl's time_total.
#
#   DATABASE_URL=sqlite:///tmp/fc/d48k.db BIN=target/release/casework scripts/forecast.sh
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_fc48k BIN=target/release/casework scripts/forecast.sh
set -euo pipefail
BIN=${BIN:-target/release/casework}
PORT=${PORT:-18301}
export CASEWORK_LOG=warn
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
"$BIN" stats backtest | grep -E "^as of|coverage"
"$BIN" stats what-if --role verifier --district al_qamishli --add 2 | tail -n 5
"$BIN" stats what-if --district amuda --card-offices 1 | tail -n 5
TOKEN=$("$BIN" users add "bench.forecast.$$" --role leadership 2>/dev/null)
CASEWORK_ADDR="127.0.0.1:$PORT" "$BIN" serve > /tmp/casework-forecast-serve.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
for path in "/api/statistics/what-if?role=verifier&district=al_qamishli&add=2" \
  "/api/statistics/what-if?district=amuda&card_offices=1" "/api/statistics/forecast" \
  "/dashboard/panel" "/api/statistics/throughput"; do
  curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT$path"
  m=$(for _ in $(seq 1 10); do
    curl -s -o /dev/null -w "%{time_total}\n" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT$path"
  done | median)
  echo "$path p50 of 10: $m s"
done
