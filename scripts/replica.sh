#!/usr/bin/env bash
# A PostgreSQL streaming replica of the local server, for the read-replica
# tests and for trying CASEWORK_READ_DATABASE_URL on one machine:
#   scripts/replica.sh start   # pg_basebackup into REPLICA_DIR, a second postmaster on REPLICA_PORT
#   scripts/replica.sh stop
# The primary is PRIMARY (postgres@127.0.0.1:5432 with trust); replication
# connections from 127.0.0.1 are allowed in its pg_hba.conf (trust, as the
# rest of this machine's test server) if they are not yet. Run as root.
set -euo pipefail
REPLICA_DIR="${REPLICA_DIR:-/var/tmp/casework-replica}"
REPLICA_PORT="${REPLICA_PORT:-5433}"
PRIMARY="${PRIMARY:-postgresql://postgres@127.0.0.1:5432/postgres}"
bin="/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -V | tail -n1)/bin"
as_postgres() { runuser -u postgres -- "$@"; }

stop() {
  if [ -f "$REPLICA_DIR/postmaster.pid" ]; then
    as_postgres "$bin/pg_ctl" -D "$REPLICA_DIR" -m fast stop >/dev/null || true
  fi
}

case "${1:-}" in
  start)
    stop
    hba=$(psql "$PRIMARY" -Atc 'SHOW hba_file')
    if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$hba"; then
      echo "host replication all 127.0.0.1/32 trust" >> "$hba"
      psql "$PRIMARY" -qAtc 'SELECT pg_reload_conf()' >/dev/null
    fi
    rm -rf "$REPLICA_DIR"
    mkdir -p "$REPLICA_DIR"
    chown postgres: "$REPLICA_DIR"
    chmod 700 "$REPLICA_DIR"
    # -R writes standby.signal and the primary's address.
    as_postgres "$bin/pg_basebackup" -d "$PRIMARY" -D "$REPLICA_DIR" -R -X stream -c fast
    # Debian keeps the configuration outside the data directory: the
    # replica gets its own, with defaults and trust from this machine.
    : > "$REPLICA_DIR/postgresql.conf"
    printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' > "$REPLICA_DIR/pg_hba.conf"
    : > "$REPLICA_DIR/pg_ident.conf"
    chown postgres: "$REPLICA_DIR"/*.conf
    as_postgres "$bin/pg_ctl" -D "$REPLICA_DIR" -l "$REPLICA_DIR/replica.log" -w \
      -o "-p $REPLICA_PORT -k $REPLICA_DIR -c listen_addresses=127.0.0.1 -c hot_standby=on" start >/dev/null
    psql "postgresql://postgres@127.0.0.1:$REPLICA_PORT/postgres" -Atc 'SELECT pg_is_in_recovery()' | grep -qx t
    echo "replica: streaming from $PRIMARY on 127.0.0.1:$REPLICA_PORT (data in $REPLICA_DIR)"
    ;;
  stop)
    stop
    echo "replica: stopped"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
