#!/usr/bin/env bash
# One address in front of several dashboard processes: nginx (Debian's nginx-light) as the current
# user, no root. Usage: deploy/proxy.sh PORT HOST:PORT [HOST:PORT …]   (PREFIX=folder for its files)
# e.g. deploy/proxy.sh 8500 127.0.0.1:8501 127.0.0.1:8502 — see docs/despliegue.md.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "Uso: deploy/proxy.sh PUERTO HOST:PUERTO [HOST:PUERTO …]" >&2; exit 2; }
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || {
  echo "Falta nginx: instálelo (apt-get install nginx-light)" >&2; exit 2; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
LISTEN=$1; shift
PREFIX=$(realpath -m "${PREFIX:-data/proxy}")
mkdir -p "$PREFIX"
servers=""
for upstream in "$@"; do servers+="        server $upstream max_fails=1 fail_timeout=10s;"$'\n'; done
conf="$PREFIX/nginx.conf"
user_line=""
[ "$(id -u)" = 0 ] && user_line="user root;"
sed -e "s|@USER@|$user_line|" -e "s|@LISTEN@|$LISTEN|g" -e "s|@PREFIX@|$PREFIX|g" deploy/nginx.conf.in \
  | awk -v servers="$servers" '{ if ($0 == "@SERVERS@") printf "%s", servers; else print }' >"$conf"
echo "Proxy en http://localhost:$LISTEN → $* (configuración $conf)"
exec "$NGINX" -p "$PREFIX" -c "$conf" -e "$PREFIX/error.log"
