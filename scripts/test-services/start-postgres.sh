#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster for tests (used by tests/Pacs.Archive.Tests).
#
#   start-postgres.sh -d DATADIR -p PORT [options]
#
#   -d DIR        data directory (created if missing; re-used if it already holds a cluster)
#   -p PORT       TCP port; the server listens on 127.0.0.1 only
#   --db NAME     database to create (default: dicom_test)
#   --role NAME   login role to create, owner of the database (default: dicom)
#   --password PW password of that role (default: dicom)
#   --os-user U   unprivileged OS user that owns the cluster when run as root
#                 (default: postgres if it exists, otherwise pgtest, created on demand)
#   --no-fsync    fsync=off, synchronous_commit=off, full_page_writes=off (faster, not crash-safe)
#   --extensions  also CREATE EXTENSION unaccent, pg_trgm in the database
#   --env-file F  write PG* variables and a .NET connection string to F (shell syntax)
#
# Works as root (CI: initdb/postgres refuse to run as root, so they run as --os-user)
# and as an ordinary user (then that user owns the cluster).
# Prints the connection string on stdout; everything else goes to stderr.
set -euo pipefail

DATADIR="" PORT="" DB=dicom_test ROLE=dicom PASSWORD=dicom OSUSER="" FSYNC=on EXTENSIONS=0 ENVFILE=""
while [ $# -gt 0 ]; do
  case "$1" in
    -d) DATADIR="$2"; shift 2 ;;
    -p) PORT="$2"; shift 2 ;;
    --db) DB="$2"; shift 2 ;;
    --role) ROLE="$2"; shift 2 ;;
    --password) PASSWORD="$2"; shift 2 ;;
    --os-user) OSUSER="$2"; shift 2 ;;
    --no-fsync) FSYNC=off; shift ;;
    --extensions) EXTENSIONS=1; shift ;;
    --env-file) ENVFILE="$2"; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[ -n "$DATADIR" ] && [ -n "$PORT" ] || { echo "usage: $0 -d DATADIR -p PORT [options]" >&2; exit 2; }
log() { echo "[test-services/start-postgres] $*" >&2; }

# --- binaries -------------------------------------------------------------------------------
find_bindir() {
  if [ -n "${PG_BINDIR:-}" ]; then echo "$PG_BINDIR"; return; fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}
BINDIR="$(find_bindir)"
if [ -z "$BINDIR" ] || [ ! -x "$BINDIR/initdb" ]; then
  if [ "$(id -u)" = 0 ]; then
    log "PostgreSQL server binaries not found; installing Debian's postgresql"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql postgresql-contrib >&2
    BINDIR="$(find_bindir)"
  fi
  [ -n "$BINDIR" ] && [ -x "$BINDIR/initdb" ] || { log "no initdb found (set PG_BINDIR)"; exit 1; }
fi

# --- who runs the server ----------------------------------------------------------------------
if [ "$(id -u)" = 0 ]; then
  if [ -z "$OSUSER" ]; then
    if id postgres >/dev/null 2>&1; then OSUSER=postgres; else OSUSER=pgtest; fi
  fi
  if ! id "$OSUSER" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$OSUSER"
  fi
  as_user() { runuser -u "$OSUSER" -- "$@"; }
else
  OSUSER="$(id -un)"
  as_user() { "$@"; }
fi

DATADIR="$(realpath -m "$DATADIR")"
# Unix sockets live in the data directory; their path must stay under ~107 bytes.
if [ $(( ${#DATADIR} + 20 )) -gt 107 ]; then log "data directory path too long for a unix socket: $DATADIR"; exit 1; fi
mkdir -p "$DATADIR"
if [ "$(id -u)" = 0 ]; then chown "$OSUSER": "$DATADIR"; fi
chmod 700 "$DATADIR"
if ! as_user test -w "$DATADIR"; then
  log "user $OSUSER cannot reach $DATADIR (a parent directory is not traversable?); use a directory under /tmp"
  exit 1
fi

# --- initdb (only when the directory is empty) -------------------------------------------------
if [ ! -f "$DATADIR/PG_VERSION" ]; then
  log "initdb in $DATADIR as $OSUSER"
  # C.UTF-8: byte-order collation (fast, deterministic) but Unicode-aware ctype, so lower()/upper()
  # and pg_trgm's word splitting handle Vietnamese letters.
  as_user "$BINDIR/initdb" -D "$DATADIR" -U postgres --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 --no-instructions \
    $([ "$FSYNC" = off ] && echo --no-sync) >"$DATADIR.initdb.log" 2>&1 \
    || { cat "$DATADIR.initdb.log" >&2; exit 1; }
  if [ "$(id -u)" = 0 ]; then chown "$OSUSER": "$DATADIR.initdb.log" 2>/dev/null || true; fi
fi

# Settings are (re)written on every start so that -p/--no-fsync always apply.
cat > "$DATADIR/postgresql.auto.conf" <<EOF
# written by start-postgres.sh
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DATADIR'
max_connections = 200
shared_buffers = 256MB
fsync = $FSYNC
synchronous_commit = $([ "$FSYNC" = on ] && echo on || echo off)
full_page_writes = $FSYNC
max_wal_size = 2GB
checkpoint_timeout = 30min
logging_collector = off
log_min_messages = warning
log_line_prefix = '%m [%p] %u@%d '
EOF
[ "$(id -u)" = 0 ] && chown "$OSUSER": "$DATADIR/postgresql.auto.conf"

# --- start and wait -------------------------------------------------------------------------
if as_user "$BINDIR/pg_ctl" -D "$DATADIR" status >/dev/null 2>&1; then
  log "already running"
else
  as_user "$BINDIR/pg_ctl" -D "$DATADIR" -l "$DATADIR/server.log" -w -t 60 -o "-p $PORT" start >&2 \
    || { tail -n 30 "$DATADIR/server.log" >&2; exit 1; }
fi
for _ in $(seq 1 100); do
  "$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$PORT" && break
  sleep 0.1
done
"$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$PORT" || { log "server not ready"; exit 1; }

# --- role, database, extensions (idempotent) --------------------------------------------------
psql_su() { as_user "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$DATADIR" -p "$PORT" -U postgres "$@"; }
ROLE_SQL=${ROLE//\'/\'\'}; PW_SQL=${PASSWORD//\'/\'\'}
psql_su -d postgres >&2 <<EOF
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', '$ROLE_SQL', '$PW_SQL')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$ROLE_SQL') \gexec
SELECT format('ALTER ROLE %I PASSWORD %L', '$ROLE_SQL', '$PW_SQL') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', '${DB//\'/\'\'}', '$ROLE_SQL')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '${DB//\'/\'\'}') \gexec
EOF
if [ "$EXTENSIONS" = 1 ]; then
  psql_su -d "$DB" -c 'CREATE EXTENSION IF NOT EXISTS unaccent; CREATE EXTENSION IF NOT EXISTS pg_trgm;' >&2
fi

CONN="Host=127.0.0.1;Port=$PORT;Database=$DB;Username=$ROLE;Password=$PASSWORD"
if [ -n "$ENVFILE" ]; then
  cat > "$ENVFILE" <<EOF
export PGHOST=127.0.0.1 PGPORT=$PORT PGDATABASE='$DB' PGUSER='$ROLE' PGPASSWORD='$PASSWORD'
export PG_CONNECTION_STRING='$CONN'
export PG_DATADIR='$DATADIR'
EOF
fi
log "ready: 127.0.0.1:$PORT db=$DB role=$ROLE fsync=$FSYNC datadir=$DATADIR owner=$OSUSER"
echo "$CONN"
