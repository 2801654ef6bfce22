#!/bin/bash
# Stops what up.sh started, by the PIDs it recorded (rbd-mirror, OSD, mgr, mon), SIGKILL after 15 s.
# PURGE=1 deletes the clusters' state.
: "${CEPH_DIR:?CEPH_DIR must name the directory that holds both clusters}"
for pf in "$CEPH_DIR"/*/pids; do
  [ -f "$pf" ] || continue
  tac "$pf" | while read -r name pid; do
    if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; fi
  done
done
for _ in $(seq 30); do
  alive=0
  for pf in "$CEPH_DIR"/*/pids; do
    [ -f "$pf" ] || continue
    while read -r name pid; do kill -0 "$pid" 2>/dev/null && alive=1; done < "$pf"
  done
  [ $alive = 0 ] && break; sleep 0.5
done
for pf in "$CEPH_DIR"/*/pids; do
  [ -f "$pf" ] || continue
  while read -r name pid; do kill -0 "$pid" 2>/dev/null && { kill -KILL "$pid"; echo "killed $name ($pid)"; }; done < "$pf"
  : > "$pf"
done
[ "${PURGE:-0}" = 1 ] && rm -rf "$CEPH_DIR"
exit 0
