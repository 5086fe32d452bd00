# Shared PostgreSQL helpers for bench/*.sh (sourced, not run). Uses PG_CONN (an Npgsql connection
# string) and ROOT; pg_ensure starts run.sh's throwaway fsync-on instance when PG_CONN is empty
# (BENCH_PGPORT=55490, BENCH_PGROOT=/tmp/spectral-pg-bench).

pg_field() { # pg_field KEY: a field of PG_CONN (case-insensitive key)
  tr ';' '\n' <<<"$PG_CONN" | awk -F= -v k="$1" 'tolower($1)==tolower(k){sub(/^[^=]*=/, ""); print}' | tail -1
}
pg_env() { # pg_env: prints PGHOST=... PGPORT=... for libpq clients (psql, pgbench)
  local host port user db pass
  host="$(pg_field Host)"; port="$(pg_field Port)"; user="$(pg_field Username)"; db="$(pg_field Database)"; pass="$(pg_field Password)"
  echo "PGHOST=${host:-127.0.0.1} PGPORT=${port:-5432} PGUSER=${user:-postgres} PGDATABASE=${db:-postgres} PGPASSWORD=$pass"
}
psql_run() { # psql_run SQL: runs against PG_CONN's server and database
  # shellcheck disable=SC2046
  env $(pg_env) psql -X -q -At -c "$1"
}
pg_url() { # pg_url: PG_CONN as a postgres:// URL (node-postgres, graphile-worker)
  local host port user db pass
  host="$(pg_field Host)"; port="$(pg_field Port)"; user="$(pg_field Username)"; db="$(pg_field Database)"; pass="$(pg_field Password)"
  echo "postgres://${user:-postgres}${pass:+:$pass}@${host:-127.0.0.1}:${port:-5432}/${db:-postgres}"
}
pg_ensure() { # pg_ensure: sets PG_CONN, starting the throwaway instance when it is empty
  if [ -z "${PG_CONN:-}" ]; then
    echo "[bench] starting a throwaway PostgreSQL (fsync on) on port ${BENCH_PGPORT:-55490}" >&2
    PG_CONN="$(PG_FAST=0 PGPORT="${BENCH_PGPORT:-55490}" PGROOT="${BENCH_PGROOT:-/tmp/spectral-pg-bench}" "$ROOT/scripts/pg-start.sh")"
  fi
  export PG_CONN
}
pg_commits() { psql_run "select xact_commit from pg_stat_database where datname = current_database()"; }
