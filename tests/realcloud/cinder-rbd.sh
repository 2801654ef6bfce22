# Cinder RBD backends on two real Ceph clusters, sourced by up.sh, down.sh and status.sh: tests/ceph/up.sh makes
# Ceph site1 and site2 (1 mon, 1 mgr, 1 memstore OSD each, two-way snapshot mirroring of pool "volumes" by an
# rbd-mirror daemon per site) under $RC_DIR/ceph, and site N's Cinder gets backend rbd1 on Ceph siteN next to
# fake1. Cinder itself does not replicate (no replication_device): the product's rbd plugin enables mirroring per
# image, as it would in a cloud whose Cinder knows nothing of DR. Volume type "rbd" selects the backend; the
# default type stays on fake1 so the client scenarios keep their fake backend. DRAAS_REALCLOUD_CEPH=0 leaves
# Ceph out. See docs/ceph-plugin.md.
# shellcheck shell=bash

RC_CEPH_DIR=${DRAAS_REALCLOUD_CEPH_DIR:-$RC_DIR/ceph}

rbd_enabled() { [ "${DRAAS_REALCLOUD_CEPH:-1}" = 1 ]; }

# Starts both clusters in the background (they come up while RabbitMQ and MariaDB do); rbd_ceph_wait joins.
rbd_ceph_start() {
  rbd_enabled || return 0
  rbd_ceph_stop
  mkdir -p "$RC_CEPH_DIR"
  CEPH_DIR=$RC_CEPH_DIR timeout 300 "$RC_ROOT/tests/ceph/up.sh" > "$RC_CEPH_DIR/up.log" 2>&1 &
  RC_CEPH_UP_PID=$!
}

rbd_ceph_wait() {
  rbd_enabled || return 0
  if ! wait "$RC_CEPH_UP_PID"; then
    echo "Ceph bring-up failed, see $RC_CEPH_DIR/up.log and $RC_CEPH_DIR/site*/log" >&2; tail -n 20 "$RC_CEPH_DIR/up.log" >&2
    return 1
  fi
  say "ceph clusters up, two-way rbd mirroring ($(tail -n 1 "$RC_CEPH_DIR/up.log"))"
}

# Stops the daemons tests/ceph/up.sh recorded (by PID); PURGE=1 deletes the clusters.
rbd_ceph_stop() {
  [ -d "$RC_CEPH_DIR" ] || return 0
  CEPH_DIR=$RC_CEPH_DIR "$RC_ROOT/tests/ceph/down.sh" >/dev/null 2>&1 || true
}

rbd_ceph_alive() {
  local pf name pid n=0
  for pf in "$RC_CEPH_DIR"/site*/pids; do
    [ -f "$pf" ] || return 1
    while read -r name pid; do kill -0 "$pid" 2>/dev/null || return 1; n=$((n + 1)); done < "$pf"
  done
  [ $n -ge 8 ]   # mon, mgr, osd and rbd-mirror on each site
}

# ",rbd1" for cinder.conf's enabled_backends.
rbd_backends() { rbd_enabled && echo ",rbd1" || true; }

# rbd_cinder_section SITE: the [rbd1] backend of SITE's cinder.conf, on Ceph cluster SITE as client.admin.
rbd_cinder_section() {
  rbd_enabled || return 0
  cat <<EOT
[rbd1]
volume_driver = cinder.volume.drivers.rbd.RBDDriver
volume_backend_name = rbd1
rbd_pool = volumes
rbd_ceph_conf = $RC_CEPH_DIR/$1/ceph.conf
rbd_user = admin
rbd_cluster_name = ceph
rados_connect_timeout = 5
rados_connection_retries = 3
rados_connection_interval = 2
report_discard_supported = true
EOT
}

# After every site is ready: volume type "rbd" on backend rbd1, the default type pinned to fake1, per site.
rbd_volume_types() {
  rbd_enabled || return 0
  local s
  for s in $RC_SITES; do
    timeout 120 python3 - "http://127.0.0.1:$(site_port "$s" keystone)/v3" "$(site_region "$s")" "$RC_PASSWORD" <<'PY' >> "$RC_DIR/$s/log/rbd-types.out" 2>&1 ||
import sys
from keystoneauth1 import session
from keystoneauth1.identity import v3
url, region, password = sys.argv[1:4]
s = session.Session(auth=v3.Password(auth_url=url, username='admin', password=password, project_name='admin',
                                     user_domain_id='default', project_domain_id='default'), timeout=30)
ep = dict(service_type='volumev3', region_name=region, interface='public')
types = {t['name']: t for t in s.get('/types?is_public=None', endpoint_filter=ep).json()['volume_types']}
for name, backend in (('rbd', 'rbd1'), ('__DEFAULT__', 'fake1')):
    t = types.get(name) or s.post('/types', json={'volume_type': {'name': name}}, endpoint_filter=ep).json()['volume_type']
    s.post('/types/%s/extra_specs' % t['id'], json={'extra_specs': {'volume_backend_name': backend}}, endpoint_filter=ep)
    print(name, t['id'], backend)
PY
      { echo "volume types on $s failed, see $RC_DIR/$s/log/rbd-types.out" >&2; return 1; }
  done
  say "volume type rbd (backend rbd1) on every site"
}

# Adds each site's rbd backend to endpoints.json: {"rbd": {"volume_type", "backend_host", "ceph_conf", "cluster"}}.
rbd_endpoints() {
  rbd_enabled || return 0
  python3 - "$RC_DIR/endpoints.json" "$RC_CEPH_DIR" <<'PY'
import json, os, sys
path, ceph = sys.argv[1:3]
doc = json.load(open(path))
for site in doc['sites']:
    site['rbd'] = {'volume_type': 'rbd', 'backend_host': '%s@rbd1#rbd1' % site['name'], 'pool': 'volumes',
                   'cluster': site['name'], 'ceph_conf': os.path.join(ceph, site['name'], 'ceph.conf'),
                   'keyring': os.path.join(ceph, site['name'], 'client.admin.keyring')}
doc['ceph_dir'] = ceph
with open(path + '.tmp', 'w') as f:
    json.dump(doc, f, indent=2)
os.replace(path + '.tmp', path)
PY
}
