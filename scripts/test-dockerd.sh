#!/usr/bin/env bash
# Start (or reuse) a throwaway Docker engine for the Docker tests: no bridge network, no iptables,
# its own data root under /tmp, socket /tmp/gw-docker.sock. Stop it with: scripts/test-dockerd.sh stop
set -euo pipefail
SOCK=/tmp/gw-docker.sock
PIDFILE=/tmp/gw-docker.pid

if [[ "${1:-start}" == "stop" ]]; then
  if [[ -f "$PIDFILE" ]]; then
    pid=$(cat "$PIDFILE")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  exit 0
fi

if ! command -v dockerd >/dev/null; then
  echo "dockerd not installed: apt-get install -y docker.io busybox-static" >&2
  exit 1
fi
if [[ -S "$SOCK" ]] && docker -H "unix://$SOCK" version >/dev/null 2>&1; then
  echo "test engine already running on $SOCK"
  exit 0
fi
rm -f "$SOCK"
dockerd --storage-driver=vfs --iptables=false --ip6tables=false --bridge=none \
  --data-root /tmp/gw-docker --exec-root /tmp/gw-docker-exec \
  -H "unix://$SOCK" --pidfile "$PIDFILE" >/tmp/gw-dockerd.log 2>&1 &
for _ in $(seq 1 100); do
  if docker -H "unix://$SOCK" version >/dev/null 2>&1; then echo "test engine ready on $SOCK"; exit 0; fi
  sleep 0.1
done
echo "dockerd did not become ready; see /tmp/gw-dockerd.log" >&2
tail -20 /tmp/gw-dockerd.log >&2
exit 1
