#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what the tests need, starts InfluxDB on loopback,
# runs every test project, stops what it started. Usage: ./test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")"

need_packages=()
command -v influxd >/dev/null 2>&1 || need_packages+=(influxdb)
command -v chromium >/dev/null 2>&1 || need_packages+=(chromium)
if ((${#need_packages[@]})); then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${need_packages[*]} (apt-get)..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_packages[@]}" >/dev/null
  else
    echo "The tests need: ${need_packages[*]}. Install them (Debian: apt-get install ${need_packages[*]}) and run again." >&2
    exit 1
  fi
fi
# Prometheus is optional: the remote-write test starts its own (it must point it at the product's port) and skips,
# saying so, where it is not installed.
if ! command -v prometheus >/dev/null 2>&1 && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing prometheus (apt-get)..."
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null; } \
    || echo "prometheus did not install: its test will skip." >&2
fi
# PostgreSQL is optional too: the cluster tests skip, saying so, without it.
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && ! command -v initdb >/dev/null 2>&1 \
   && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing postgresql (apt-get)..."
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null; } \
    || echo "postgresql did not install: the cluster tests will skip." >&2
fi
command -v dotnet >/dev/null 2>&1 || { echo "The .NET 10 SDK is required (dotnet not on PATH)." >&2; exit 1; }

work=$(mktemp -d)
influx_pid=""
postgres_data=""
cleanup() {
  [[ -n "$influx_pid" ]] && kill "$influx_pid" 2>/dev/null && wait "$influx_pid" 2>/dev/null
  [[ -n "$postgres_data" ]] && as_postgres_user pg_ctl -D "$postgres_data" -m fast -w stop >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
http_port=$(free_port)
rpc_port=$(free_port)
INFLUXDB_HTTP_BIND_ADDRESS="127.0.0.1:$http_port" INFLUXDB_BIND_ADDRESS="127.0.0.1:$rpc_port" \
INFLUXDB_META_DIR="$work/meta" INFLUXDB_DATA_DIR="$work/data" INFLUXDB_DATA_WAL_DIR="$work/wal" \
INFLUXDB_REPORTING_DISABLED=true INFLUXDB_HTTP_LOG_ENABLED=false INFLUXDB_DATA_QUERY_LOG_ENABLED=false \
  influxd -config /dev/null >"$work/influxd.log" 2>&1 &
influx_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$http_port/ping" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$http_port/ping" >/dev/null || { echo "influxd did not start:" >&2; cat "$work/influxd.log" >&2; exit 1; }
echo "InfluxDB $(influxd version 2>/dev/null | awk '{print $2}') on 127.0.0.1:$http_port"

# PostgreSQL for the cluster tests (optional: they skip, saying so, without it). initdb refuses root, so as root the
# server runs as the postgres user when there is one, else as nobody.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
export PATH="$PATH:${pg_bin:-/usr/local/bin}"
as_postgres_user() {
  if [[ $(id -u) == 0 ]]; then runuser -u "$(id -u postgres >/dev/null 2>&1 && echo postgres || echo nobody)" -- "$@"; else "$@"; fi
}
postgres_url=""
if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
  pg_dir="$work/postgres"
  mkdir -p "$pg_dir"
  [[ $(id -u) == 0 ]] && { chmod 755 "$work"; chown "$(id -u postgres >/dev/null 2>&1 && echo postgres || echo nobody)" "$pg_dir"; }
  pg_port=$(free_port)
  if as_postgres_user initdb -D "$pg_dir/data" -U metaanomaly --auth=trust -E UTF8 >"$pg_dir/initdb.log" 2>&1 \
    && as_postgres_user pg_ctl -D "$pg_dir/data" -l "$pg_dir/postgres.log" -w \
         -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c max_connections=200" start >/dev/null; then
    postgres_data="$pg_dir/data"
    postgres_url="Host=127.0.0.1;Port=$pg_port;Username=metaanomaly;Database=postgres"
    echo "PostgreSQL $(postgres --version | awk '{print $3}') on 127.0.0.1:$pg_port"
  else
    echo "PostgreSQL did not start: the cluster tests will skip." >&2
    cat "$pg_dir/initdb.log" "$pg_dir/postgres.log" 2>/dev/null | tail -5 >&2
  fi
else
  echo "PostgreSQL (initdb, pg_ctl) is not installed: the cluster tests will skip (Debian: apt-get install postgresql)." >&2
fi

export METAANOMALY_TEST_POSTGRES="$postgres_url"
export METAANOMALY_TEST_INFLUXDB_URL="http://127.0.0.1:$http_port"
export METAANOMALY_TEST_INFLUXD="$(command -v influxd)"
export METAANOMALY_TEST_CHROMIUM="$(command -v chromium)"
export METAANOMALY_TEST_PROMETHEUS="$(command -v prometheus || true)"
export METAANOMALY_SHARED_DATA="${METAANOMALY_SHARED_DATA:-$(cd .. && pwd)/shared/data}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

set +e
dotnet test MetaAnomaly.sln "$@" 2>&1 | tee "$work/test.log"
status=${PIPESTATUS[0]}
set -e

# One plain closing line for the whole suite, summed over the test projects.
awk -F'[:,]' '/^(Passed!|Failed!)/ { f += $2; p += $4; s += $6 } END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$work/test.log"
exit "$status"
