#!/bin/bash
# Compose's gateway (gateway/nginx.conf) against the local stack's gateway and the query service's own port, on one
# machine: the local-stack jar runs the services; two nginx read gateway/nginx.conf with the compose host names
# replaced by the stack's loopback ports: the file at $BEFORE (default HEAD) on $NGINX_BEFORE, the working tree's on
# $NGINX_NOW (upstreams with "resolve" need nginx 1.27.3 or later; compose runs nginx:1.28.0-alpine). wrk sends
# GET /v1/whoami with the dev token, 2 threads, 16 connections; the rounds alternate direct, before, now, gateway.
#
#   apt-get install -y wrk nginx            # Debian 12: nginx 1.22, enough for the file before keep-alive upstreams
#   NGINX_NOW=/path/to/nginx-1.28-or-later benchmarks/scripts/nginx-gateway.sh
#
# A newer nginx without a package: Debian sid's nginx, libssl3t64, libpcre2-8-0, libc6, libzstd1, libcrypt1 and
# zlib1g .debs unpacked with dpkg-deb -x into one directory R, then run as
# "$R/usr/lib64/ld-linux-x86-64.so.2 --library-path $R/usr/lib/x86_64-linux-gnu $R/usr/sbin/nginx" (a wrapper script).
set -euo pipefail
cd "$(dirname "$0")/../.."
NGINX_BEFORE=${NGINX_BEFORE:-nginx}
NGINX_NOW=${NGINX_NOW:-nginx}
ROUNDS=${ROUNDS:-5}
SECONDS_PER_ROUND=${SECONDS_PER_ROUND:-8}
WORK=$(mktemp -d /tmp/kms-nginx-gateway.XXXX)
API=18080; CP=18081; QP=18082; BEFORE_PORT=18090; NOW_PORT=18091
KMS_DATA_DIR=$WORK/data KMS_PORT=$API KMS_COMMAND_PORT=$CP KMS_QUERY_PORT=$QP KMS_KAFKA_PORT=0 \
    java -jar local-stack/target/local-stack.jar > "$WORK/stack.log" 2>&1 &
STACK=$!
trap '"$NGINX_BEFORE" -c "$WORK/before.conf" -s stop 2>/dev/null || true; "$NGINX_NOW" -c "$WORK/now.conf" -s stop 2>/dev/null || true; kill $STACK; wait $STACK || true' EXIT
until grep -q "KMS local stack ready" "$WORK/stack.log"; do
    kill -0 $STACK 2>/dev/null || { tail -40 "$WORK/stack.log"; exit 1; }
    sleep 1
done

# the compose file on loopback ports: its own ports, logs and pid file in $WORK, no Docker DNS (the names are addresses)
on_loopback() {
    sed -e "s/listen 8080;/listen $1;/" -e "s/listen 8079;/listen $2;/" -e '/resolver 127.0.0.11/d' \
        -e "s#access_log /dev/stdout;#access_log $WORK/access-$3.log;#" \
        -e "s#error_log /dev/stderr warn;#error_log $WORK/error-$3.log warn;#" -e "s#pid /tmp/nginx.pid;#pid $WORK/$3.pid;#" \
        -e "s/command-service:8081/127.0.0.1:$CP/g" -e "s/query-service:8082/127.0.0.1:$QP/g" > "$WORK/$3.conf"
}
git show "${BEFORE:-HEAD}:gateway/nginx.conf" | on_loopback $BEFORE_PORT 18089 before
on_loopback $NOW_PORT 18088 now < gateway/nginx.conf
"$NGINX_BEFORE" -c "$WORK/before.conf"
"$NGINX_NOW" -c "$WORK/now.conf"

TOKEN=$(cat "$WORK/data/dev-token")
TARGETS="direct:$QP before:$BEFORE_PORT now:$NOW_PORT gateway:$API"
for target in $TARGETS; do
    status=$(curl -s -o /dev/null -w "%{http_code}" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:${target##*:}/v1/whoami")
    [ "$status" = 200 ] || { echo "${target%%:*}: whoami answered $status"; exit 1; }
done
for warm in 1 2; do
    for target in $TARGETS; do
        wrk -t2 -c16 -d${SECONDS_PER_ROUND}s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:${target##*:}/v1/whoami" > /dev/null
    done
done
declare -A total
for round in $(seq "$ROUNDS"); do
    line="round $round:"
    for target in $TARGETS; do
        name=${target%%:*}
        out=$(wrk -t2 -c16 -d${SECONDS_PER_ROUND}s --latency -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:${target##*:}/v1/whoami")
        rate=$(awk '/Requests\/sec/{print $2}' <<< "$out")
        p99=$(awk '$1 == "99%" {print $2}' <<< "$out")
        total[$name]=$(awk -v a="${total[$name]:-0}" -v b="$rate" 'BEGIN{print a + b}')
        line="$line  $name $rate req/s (p99 $p99)"
    done
    echo "$line"
done
for name in before now gateway; do
    awk -v n="$name" -v a="${total[$name]}" -v d="${total[direct]}" \
        'BEGIN{printf "%s / direct whoami, summed over the rounds: x%.2f (target >= 0.8)\n", n, a / d}'
done
