#!/usr/bin/env bash
# `make shared-demo`: on one machine, the layout that scales to many: a PostgreSQL catalog, a shared
# data folder, two dashboard servers on two ports and a load from the CLI, all on one DuckLake.
# Ctrl-C stops the servers and PostgreSQL (the data stays in $DIR; `rm -rf $DIR` to start over).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
DIR=${DIR:-data/compartido}
PGPORT=${PGPORT:-55432}
PORTS=${PORTS:-"8501 8502"}
PROXY_PORT=${PROXY_PORT:-8500}
mkdir -p "$DIR"
export CMI_WAREHOUSE
CMI_WAREHOUSE=$($PY -m warehouse.local_postgres start "$DIR/postgres" --port "$PGPORT" --database cmi)
export CMI_LAKE_DATA="$(realpath -m "$DIR")/lago"
export CMI_DB=""
export CMI_PROXIES=${CMI_PROXIES:-127.0.0.1}  # nginx below, on this machine: believe its X-Forwarded-For
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  $PY -m warehouse.local_postgres stop "$DIR/postgres" --port "$PGPORT" || true
}
trap cleanup EXIT INT TERM
echo "Almacén compartido: $CMI_WAREHOUSE (Parquet en $CMI_LAKE_DATA)"
$PY -m data.demo
for port in $PORTS; do
  $PY -m streamlit run app.py --server.port "$port" --server.headless true >"$DIR/streamlit-$port.log" 2>&1 &
  pids+=($!)
  echo "Tablero en http://localhost:$port (registro en $DIR/streamlit-$port.log)"
done
upstreams=()
for port in $PORTS; do upstreams+=("127.0.0.1:$port"); done
if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then
  # one address for all of them (affinity by cookie, WebSocket proxied): docs/despliegue.md
  PREFIX="$DIR/proxy" bash deploy/proxy.sh "$PROXY_PORT" "${upstreams[@]}" >"$DIR/proxy.log" 2>&1 &
  pids+=($!)
  echo "Una dirección para todos: http://localhost:$PROXY_PORT (nginx, registro en $DIR/proxy/access.log)"
fi
sleep 5
# A third process loads a file while both servers run: both show «carga N+1» at the next click.
$PY -m loaders export consultas --formato csv --salida "$DIR/consultas.csv"
$PY -m loaders load "$DIR/consultas.csv" --modo reemplazar --usuario planeacion
echo "Listo: entre con general / demo-general en ambos puertos o en :$PROXY_PORT. Ctrl-C para detener."
wait
