#!/usr/bin/env bash
# Starts throw-away PostgreSQL and Redis instances on free loopback ports, exports WEIDAI_DATABASE_URL and
# WEIDAI_REDIS_URL, runs the given command, and stops what it started whatever happens. WEIDAI_PG_OPTIONS adds
# server settings (e.g. "-c shared_preload_libraries=pg_stat_statements" to see where a benchmark's statements go);
# WEIDAI_SERVICES_SOCKETS=unix connects through the services' Unix sockets instead of loopback TCP.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/ensure-debian-packages.sh" redis-server postgresql

free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
REDIS_PORT=$(free_port)
PG_PORT=$(free_port)
PG_DIR=$(mktemp -d /tmp/weidai-pg.XXXXXX)
REDIS_DIR=$(mktemp -d /tmp/weidai-redis.XXXXXX)

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

cleanup() {
  set +e
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1
  as_pg "$PG_BIN/pg_ctl -D $PG_DIR/data -m fast -w stop" >/dev/null 2>&1
  rm -rf "$PG_DIR" "$REDIS_DIR"
}
trap cleanup EXIT INT TERM

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --unixsocket "$REDIS_DIR/redis.sock" --unixsocketperm 700 --daemonize yes --save "" --appendonly no \
  --dir "$REDIS_DIR" --logfile "$REDIS_DIR/redis.log" >/dev/null
chmod 755 "$PG_DIR"
[ "$(id -u)" -eq 0 ] && chown postgres: "$PG_DIR"
as_pg "$PG_BIN/initdb -D $PG_DIR/data -A trust -U postgres -E UTF8 --no-locale" >/dev/null
as_pg "$PG_BIN/pg_ctl -D $PG_DIR/data -o '-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off ${WEIDAI_PG_OPTIONS:-}' -l $PG_DIR/log -w start" >/dev/null
for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

# WEIDAI_SERVICES_SOCKETS=unix: both reached through their Unix sockets, as services on the same host would be
# (PostgreSQL's port names its socket file). The Redis socket's URL is exported for the tests either way.
export WEIDAI_TEST_REDIS_SOCKET_URL="unix://$REDIS_DIR/redis.sock"
if [ "${WEIDAI_SERVICES_SOCKETS:-tcp}" = unix ]; then
  export WEIDAI_DATABASE_URL="postgres://postgres@localhost:$PG_PORT/postgres?host=$PG_DIR"
  export WEIDAI_REDIS_URL="$WEIDAI_TEST_REDIS_SOCKET_URL"
else
  export WEIDAI_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  export WEIDAI_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
fi
echo "services: PostgreSQL on $PG_PORT, Redis on $REDIS_PORT"
"$@"
