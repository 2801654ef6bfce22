# Real OpenStack Zed Neutron (Debian's python3-neutron 21.0.0) for one site, sourced by up.sh (which
# provides start, waitfor, dburl, say, authsec and the site's variables). ML2 with vxlan tenant networks,
# flat external ones and a vlan range, the router service plugin, no agents: lib/draas_fake_mech.py binds
# ports in place of an Open vSwitch agent so Nova's fake driver boots servers on them. One process, the API
# alone (bin/neutron-api-only); its pid file is run/neutron-server.pid, so down.sh stops it like the rest.
# See docs/recovered-tenant.md and /work/shared/reference/neutron-local.md for how this was worked out.
# shellcheck shell=bash

neutron_once() {
  # ML2 loads mechanism drivers by entry point name only: the module ships with a .dist-info on PYTHONPATH.
  mkdir -p "$RC_DIR/lib/draas_realcloud_neutron-0.dist-info"
  printf 'Metadata-Version: 2.1\nName: draas-realcloud-neutron\nVersion: 0\n' > "$RC_DIR/lib/draas_realcloud_neutron-0.dist-info/METADATA"
  printf '[neutron.ml2.mechanism_drivers]\ndraas_fake = draas_fake_mech:FakeBindMechanismDriver\n' \
    > "$RC_DIR/lib/draas_realcloud_neutron-0.dist-info/entry_points.txt"
  wrap neutron-db-manage neutron.db.migration.cli
  cat > "$RC_DIR/bin/neutron-api-only" <<'PY'
#!/usr/bin/python3
"""neutron-server without its RPC and periodic worker processes: the API alone in one eventlet process.
Nothing would consume RPC without agents."""
import os
import signal
import sys

import neutron.cmd.eventlet.server  # noqa: F401  importing neutron.cmd.eventlet monkey-patches first
from neutron import server, service


def api_only():
    api = service.serve_wsgi(service.NeutronApiService)
    # No oslo launcher here, and oslo's handler swallows SIGTERM: exit at once (the database rolls back).
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: os._exit(0))
    api.wait()


if __name__ == '__main__':
    sys.exit(server.boot_server(api_only))
PY
  chmod +x "$RC_DIR/bin/neutron-api-only"
}

# neutron_up SITE: config, database migrations, start, wait for the API. Needs the site's Keystone (with the
# neutron user and network endpoints from ks_setup.py), MariaDB and RabbitMQ.
neutron_up() {
  local SITE=$1 D=$RC_DIR/$1 N=$RC_DIR/$1/neutron PORT WITH_NOVA=false
  PORT=$(site_port "$SITE" neutron)
  [[ " $RC_NOVA_SITES " == *" $SITE "* ]] && WITH_NOVA=true
  mkdir -p "$N/lock" "$N/state"
  cat > "$N/neutron.conf" <<EOT
[DEFAULT]
bind_host = 127.0.0.1
bind_port = $PORT
api_workers = 0
rpc_workers = 0
state_path = $N/state
log_dir = $D/log
use_stderr = false
auth_strategy = keystone
core_plugin = ml2
service_plugins = router
api_paste_config = $PASTE/neutron-common/api-paste.ini
transport_url = rabbit://guest:guest@127.0.0.1:$RABBIT_PORT/$SITE
allow_overlapping_ips = true
dhcp_agent_notification = false
notify_nova_on_port_status_changes = $WITH_NOVA
notify_nova_on_port_data_changes = $WITH_NOVA
[database]
connection = $(dburl "$SITE" neutron)
[keystone_authtoken]
www_authenticate_uri = $KS
$(authsec neutron)
service_token_roles_required = true
[nova]
$(authsec neutron)
[oslo_concurrency]
lock_path = $N/lock
[oslo_messaging_notifications]
driver = noop
[quotas]
# The suite keeps a few tenants per project; Neutron's defaults otherwise (security_group 10 is enforced).
quota_security_group = 50
quota_security_group_rule = 500
EOT
  # A network delete asks Placement about its segment: without this section, a harmless traceback.
  [ $WITH_NOVA = true ] && printf '[placement]\n%s\n' "$(authsec neutron)" >> "$N/neutron.conf"
  cat > "$N/ml2_conf.ini" <<EOT
[ml2]
type_drivers = flat,vlan,vxlan
tenant_network_types = vxlan
mechanism_drivers = draas_fake
extension_drivers = port_security
[ml2_type_flat]
flat_networks = *
[ml2_type_vlan]
network_vlan_ranges = physnet1:100:199
[ml2_type_vxlan]
vni_ranges = 1:1000
[securitygroup]
enable_security_group = true
EOT
  timeout 600 "$RC_DIR/bin/neutron-db-manage" --config-file "$N/neutron.conf" --config-file "$N/ml2_conf.ini" \
    upgrade heads > "$D/log/neutron-dbsync.out" 2>&1 || { echo "neutron-db-manage failed, see $D/log/neutron-dbsync.out" >&2; return 1; }
  start "$SITE" neutron-server "$RC_DIR/bin/neutron-api-only" --config-file "$N/neutron.conf" --config-file "$N/ml2_conf.ini"
  waitfor "$SITE neutron" "curl -sf -m 5 http://127.0.0.1:$PORT/"
}
