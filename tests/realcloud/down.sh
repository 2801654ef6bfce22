#!/usr/bin/env bash
# Stops everything up.sh started, by the process (group) ids it recorded, never by name.
# --purge also deletes the state (databases, images, fake backend), so the next up.sh starts from scratch.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
. "$HERE/common.sh"
groups=""
for f in "$RC_DIR"/site*/run/*.pid; do
  [ -f "$f" ] || continue
  p=$(cat "$f"); rm -f "$f"
  [ -n "$p" ] || continue
  # each daemon runs in its own session (setsid): its pid is its process group id
  if kill -0 -- "-$p" 2>/dev/null; then kill -TERM -- "-$p" 2>/dev/null; groups="$groups $p"; fi
done
gone() { ! kill -0 -- "-$1" 2>/dev/null; }
for _ in $(seq 1 60); do
  left=""; for p in $groups; do gone "$p" || left="$left $p"; done
  [ -z "$left" ] && break; sleep 0.25
done
for p in ${left:-}; do kill -KILL -- "-$p" 2>/dev/null; done

R=$RC_DIR/rabbit
if [ -f "$R/rabbit.pid" ]; then
  p=$(cat "$R/rabbit.pid")
  if kill -0 "$p" 2>/dev/null; then
    ( . "$R/env.sh"; timeout 30 rabbitmqctl stop >/dev/null 2>&1 )
    for _ in $(seq 1 60); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
  fi
  # rabbitmq-server was started with setsid: its group holds beam and the epmd it spawned on our port
  kill -TERM -- "-$p" 2>/dev/null; sleep 0.5; kill -KILL -- "-$p" 2>/dev/null
  rm -f "$R/rabbit.pid"
fi
# an epmd daemonises out of the group: find it by the port only we use
epmd=$(ss -ltnpH "sport = :$EPMD_PORT" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2)
[ -n "$epmd" ] && kill -TERM "$epmd" 2>/dev/null

M=$RC_DIR/mysql
if [ -f "$M/server.pid" ]; then
  p=$(cat "$M/server.pid")
  kill -TERM "$p" 2>/dev/null
  for _ in $(seq 1 120); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
  kill -KILL "$p" 2>/dev/null; rm -f "$M/server.pid"
fi
# shellcheck source=cinder-rbd.sh
. "$HERE/cinder-rbd.sh"
rbd_ceph_stop
if [ "${1:-}" = --purge ]; then
  rm -rf "$RC_DIR"/site[0-9]* "$RC_DIR/rabbit" "$RC_DIR/mysql" "$RC_DIR/endpoints.json" "$RC_DIR/clouds.yaml" "$RC_CEPH_DIR"
fi
echo "[realcloud] down"
