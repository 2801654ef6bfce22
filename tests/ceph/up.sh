#!/bin/bash
# Two single-node Ceph clusters (site1, site2: 1 mon, 1 mgr, 1 OSD each, memstore) on 127.0.0.1, with
# two-way snapshot-based RBD mirroring of pool "volumes" (an rbd-mirror daemon on each site), for the
# Ceph plugin's conformance suite and the real-cloud scenarios. Adapted from the recipe in
# ../shared/reference/ceph-local.md (see docs/ceph-plugin.md). Every daemon's PID goes to $CEPH_DIR/<site>/pids;
# down.sh stops exactly those. Ports: site1 30110-30199, site2 30210-30299, below the kernel's ephemeral range
# (32768+), so no client socket of another test can hold them (CEPH_PORT_BASE1/2 move them).
set -euo pipefail
: "${CEPH_DIR:?CEPH_DIR must name the directory that holds both clusters}"
: "${CEPH_PORT_BASE1:=30100}"
: "${CEPH_PORT_BASE2:=30200}"
: "${OBJECTSTORE:=memstore}"
mkdir -p "$CEPH_DIR"

ts() { date +%s.%N; }
el() { awk -v a="$1" -v b="$(ts)" 'BEGIN{printf "%.1f", b-a}'; }
wait_until() { # timeout_s cmd... : poll every 0.5 s, fail after the timeout
  local n=$(( $1 * 2 )); shift
  until "$@" >/dev/null 2>&1; do n=$((n-1)); [ $n -gt 0 ] || { echo "timeout: $*" >&2; return 1; }; sleep 0.5; done
}
osd_up() { ceph -c "$1" osd dump | grep -q "^osd.$2 up"; }
site_base() { case "$1" in site1) echo "$CEPH_PORT_BASE1";; site2) echo "$CEPH_PORT_BASE2";; *) echo "unknown site $1" >&2; exit 1;; esac; }

write_conf() {
  local site=$1 d=$CEPH_DIR/$1 base fsid
  base=$(site_base "$site"); fsid=$(cat /proc/sys/kernel/random/uuid)
  mkdir -p "$d"/{run,log}
  cat > "$d/ceph.conf" <<CONF
[global]
fsid = $fsid
mon_host = [v2:127.0.0.1:$((base+10)),v1:127.0.0.1:$((base+11))]
public_network = 127.0.0.1/32
cluster_network = 127.0.0.1/32
# OSD/mgr ports from a per-site range (the default 6800-7300 would be shared by both sites)
ms_bind_port_min = $((base+20))
ms_bind_port_max = $((base+99))
auth_cluster_required = cephx
auth_service_required = cephx
auth_client_required = cephx
# both clusters are named "ceph": per-site run_dir, or their admin sockets collide
run_dir = $d/run
log_file = $d/log/\$name.log
pid_file = $d/run/\$name.pid
mon_data = $d/\$name
mgr_data = $d/\$name
osd_data = $d/\$name
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
osd_crush_chooseleaf_type = 0
mon_allow_pool_size_one = true
mon_warn_on_pool_no_redundancy = false
mon_warn_on_insecure_global_id_reclaim_allowed = false
mon_data_avail_warn = 2
mon_data_avail_crit = 1
ms_async_op_threads = 2
mgr_initial_modules = iostat
# only optional modules here: always-on ones give HEALTH_ERR MGR_MODULE_ERROR
mgr_disabled_modules = restful nfs prometheus dashboard cephadm rook influx insights localpool selftest stats telegraf test_orchestrator zabbix alerts mirroring osd_perf_query osd_support
[osd]
osd_objectstore = $OBJECTSTORE
memstore_device_bytes = 4294967296
osd_op_num_shards = 1
osd_op_num_threads_per_shard = 2
osd_memory_target = 939524096
bluestore_block_path = $d/\$name/block.file
bluestore_block_size = 4294967296
bluestore_block_create = true
bluestore_cache_size = 134217728
bluestore_cache_autotune = false
bluestore_fsck_on_mkfs = false
osd_crush_update_on_start = true
osd_crush_initial_weight = 1
[client]
keyring = $d/\$name.keyring
log_file = /dev/null
[client.rbd-mirror.a]
log_file = $d/log/\$name.log
rbd_mirror_memory_target = 268435456
rbd_mirror_memory_base = 134217728
# restart stopped image replayers (after a resync) every 5 s instead of 30 s
rbd_mirror_image_state_check_interval = 5
CONF
}

start_bg() { # site name cmd...
  local site=$1; shift; local name=$1; shift
  setsid "$@" </dev/null >"$CEPH_DIR/$site/log/$name.stdout" 2>&1 &
  echo "$name $!" >> "$CEPH_DIR/$site/pids"
}

bootstrap_site() {
  local site=$1 d=$CEPH_DIR/$1 conf=$CEPH_DIR/$1/ceph.conf t base uuid id
  local C="ceph -c $conf"
  rm -rf "$d"; write_conf "$site"; : > "$d/pids"
  t=$(ts); base=$(site_base "$site")
  ceph-authtool --create-keyring "$d/mon.keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool --create-keyring "$d/client.admin.keyring" --gen-key -n client.admin \
      --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' --cap mds 'allow *' >/dev/null
  ceph-authtool "$d/mon.keyring" --import-keyring "$d/client.admin.keyring" >/dev/null
  monmaptool --create --fsid "$(awk '/^fsid/{print $3}' "$conf")" \
      --addv a "[v2:127.0.0.1:$((base+10)),v1:127.0.0.1:$((base+11))]" "$d/monmap" >/dev/null
  ceph-mon -c "$conf" --mkfs -i a --monmap "$d/monmap" --keyring "$d/mon.keyring"
  start_bg "$site" mon.a ceph-mon -c "$conf" -i a -f
  wait_until 60 $C -s --connect-timeout 2
  mkdir -p "$d/mgr.x"
  $C auth get-or-create mgr.x mon 'allow profile mgr' osd 'allow *' mds 'allow *' -o "$d/mgr.x/keyring"
  start_bg "$site" mgr.x ceph-mgr -c "$conf" -i x -f
  # the OSD's key is registered only after mkfs, hence --no-mon-config
  uuid=$(cat /proc/sys/kernel/random/uuid)
  id=$($C osd new "$uuid")
  mkdir -p "$d/osd.$id"
  ceph-osd -c "$conf" -i "$id" --mkfs --mkkey --no-mon-config --osd-uuid "$uuid" >"$d/log/osd.$id.mkfs" 2>&1
  $C auth add "osd.$id" osd 'allow *' mon 'allow profile osd' mgr 'allow profile osd' -i "$d/osd.$id/keyring"
  start_bg "$site" "osd.$id" ceph-osd -c "$conf" -i "$id" -f
  wait_until 120 osd_up "$conf" "$id"
  $C osd pool create volumes 8 8 replicated >/dev/null 2>&1
  rbd -c "$conf" pool init volumes
  # PG states reach "ceph -s" only through mgr stats: a real write is the quicker readiness test
  wait_until 120 timeout 10 rados -c "$conf" -p volumes put ready-probe /etc/hostname
  rados -c "$conf" -p volumes rm ready-probe
  echo "[$site] up: $(el "$t")s"
}

start_mirror() { # site: an rbd-mirror daemon replaying into <site>
  local site=$1 conf=$CEPH_DIR/$1/ceph.conf
  ceph -c "$conf" auth get-or-create client.rbd-mirror.a mon 'profile rbd-mirror' osd 'profile rbd' \
       -o "$CEPH_DIR/$site/client.rbd-mirror.a.keyring" >/dev/null
  # CEPH_CONF is required: the pool replayer opens its local cluster from the default search path, not -c
  CEPH_CONF="$conf" setsid rbd-mirror -c "$conf" --id rbd-mirror.a -f \
       </dev/null >"$CEPH_DIR/$site/log/rbd-mirror.stdout" 2>&1 &
  echo "rbd-mirror.a $!" >> "$CEPH_DIR/$site/pids"
}
has_peer() { rbd -c "$1" mirror pool info volumes --format json | grep -q '"direction":"rx-tx"'; }

T0=$(ts)
pids=(); for s in site1 site2; do bootstrap_site "$s" & pids+=($!); done
rc=0; for p in "${pids[@]}"; do wait "$p" || rc=1; done
[ $rc = 0 ] || { echo "bring-up FAILED (see $CEPH_DIR/*/log)" >&2; exit 1; }

t=$(ts)
C1=$CEPH_DIR/site1/ceph.conf; C2=$CEPH_DIR/site2/ceph.conf
rbd -c "$C1" mirror pool enable --site-name site1 volumes image
rbd -c "$C2" mirror pool enable --site-name site2 volumes image
rbd -c "$C1" mirror pool peer bootstrap create --site-name site1 volumes > "$CEPH_DIR/token"
rbd -c "$C2" mirror pool peer bootstrap import --site-name site2 --direction rx-tx volumes "$CEPH_DIR/token"
rm -f "$CEPH_DIR/token"
start_mirror site1
start_mirror site2
# images enabled before the peers answer get a first mirror snapshot with no peer: wait for them
wait_until 60 has_peer "$C1"
wait_until 60 has_peer "$C2"
echo "two-way mirroring up: $(el "$t")s"
echo "all up: $(el "$T0")s"
