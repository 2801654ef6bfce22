#!/usr/bin/env bash
# Exit 0 when every process up.sh recorded is alive and every API answers; prints one line per check.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
. "$HERE/common.sh"
bad=0
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
check() { if eval "$2" >/dev/null 2>&1; then echo "ok   $1"; else echo "DOWN $1"; bad=1; fi; }
check rabbitmq "alive $RC_DIR/rabbit/rabbit.pid"
check mariadb "alive $RC_DIR/mysql/server.pid"
for s in $RC_SITES; do
  names="keystone cinder-api cinder-scheduler cinder-volume glance-api neutron-server"
  [[ " $RC_NOVA_SITES " == *" $s "* ]] && names="$names placement nova-api nova-conductor nova-scheduler nova-compute"
  for n in $names; do check "$s $n" "alive $RC_DIR/$s/run/$n.pid"; done
  check "$s keystone api" "curl -sf -m 5 http://127.0.0.1:$(site_port "$s" keystone)/v3"
  check "$s glance api" "curl -sf -m 5 http://127.0.0.1:$(site_port "$s" glance)/versions"
  check "$s neutron api" "curl -sf -m 5 http://127.0.0.1:$(site_port "$s" neutron)/"
done
# shellcheck source=cinder-rbd.sh
. "$HERE/cinder-rbd.sh"
if rbd_enabled; then check "ceph site1+site2 (mon, mgr, osd, rbd-mirror)" rbd_ceph_alive; fi
exit $bad
