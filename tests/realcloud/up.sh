#!/usr/bin/env bash
# Brings up two real OpenStack Zed sites (Debian's packages) on 127.0.0.1 for the RealCloud tests:
#   each site: Keystone (uwsgi), Cinder api/scheduler/volume with a stateful fake backend, Glance;
#   and Neutron (the real API, ML2, no agents: neutron.sh); site1 also: Nova api/conductor/scheduler/compute
#   (fake driver) and Placement.
#   shared: one RabbitMQ (a vhost per site) and one MariaDB (databases per site), both on loopback.
# Writes $RC_DIR/clouds.yaml and $RC_DIR/endpoints.json (the tests read DRAAS_REALCLOUD_ENDPOINTS).
# Idempotent: when everything it started is still up and healthy it only rewrites those two files.
# Bounded: every wait has a deadline (DRAAS_REALCLOUD_WAIT, seconds, per wait). Logs: $RC_DIR/**/log.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
. "$HERE/common.sh"
WAIT=${DRAAS_REALCLOUD_WAIT:-240}
mkdir -p "$RC_DIR/lib" "$RC_DIR/bin"
T0=$(date +%s)
say() { printf '[realcloud] %-40s %4ss\n' "$1" $(( $(date +%s) - T0 )) | tee -a "$RC_DIR/timings.log" >&2; }
: > "$RC_DIR/timings.log"

"$HERE/install.sh"
say "packages present"
PASTE=$RC_DIR/pkgroot/usr/share
cp "$RC_LIB"/*.py "$RC_DIR/lib/"

if "$HERE/status.sh" >/dev/null 2>&1 && [ -f "$RC_DIR/endpoints.json" ]; then
  say "already up: reusing the running services"
  exit 0
fi
# Leftovers of an interrupted run (only what a previous up.sh recorded) go first.
"$HERE/down.sh" >/dev/null 2>&1 || true

for p in $RABBIT_PORT $RABBIT_DIST_PORT $EPMD_PORT $MYSQL_PORT $(for s in $RC_SITES; do
           for v in keystone cinder glance nova placement neutron; do site_port $s $v; done; done); do
  if ss -ltnH "sport = :$p" | grep -q .; then
    echo "port 127.0.0.1:$p is taken by another process; set DRAAS_REALCLOUD_PORT_BASE to move the whole layout" >&2
    ss -ltnpH "sport = :$p" >&2; exit 1
  fi
done

# The python3-* packages ship no cinder-api style executables.
wrap() { printf '#!/usr/bin/python3\nimport sys\nfrom %s import main\nif __name__ == "__main__":\n    sys.exit(main())\n' "$2" > "$RC_DIR/bin/$1"; chmod +x "$RC_DIR/bin/$1"; }
wrap cinder-api cinder.cmd.api; wrap cinder-scheduler cinder.cmd.scheduler; wrap cinder-volume cinder.cmd.volume
wrap cinder-manage cinder.cmd.manage; wrap glance-api glance.cmd.api; wrap glance-manage glance.cmd.manage
wrap nova-api nova.cmd.api; wrap nova-conductor nova.cmd.conductor; wrap nova-scheduler nova.cmd.scheduler
wrap nova-compute nova.cmd.compute; wrap nova-manage nova.cmd.manage; wrap placement-manage placement.cmd.manage
export PATH=$RC_DIR/bin:$PATH
# shellcheck source=neutron.sh
. "$HERE/neutron.sh"
neutron_once
# shellcheck source=cinder-rbd.sh
. "$HERE/cinder-rbd.sh"
rbd_ceph_start

# start SITE NAME CMD...: a daemon in its own session; the pid file holds its process group id.
start() { local site=$1 name=$2; shift 2
  setsid "$@" > "$RC_DIR/$site/log/$name.out" 2>&1 < /dev/null &
  echo $! > "$RC_DIR/$site/run/$name.pid"; }
# waitfor WHAT CMD: polls CMD every 0.5 s until it succeeds or $WAIT seconds pass.
waitfor() { local what=$1 cmd=$2 deadline=$(( $(date +%s) + WAIT ))
  until eval "$cmd" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt $deadline ] || { echo "TIMEOUT after ${WAIT}s waiting for $what" >&2; return 1; }
    sleep 0.5
  done; say "  ready: $what"; }
MY=$RC_DIR/mysql
sql() { timeout 30 mariadb --socket="$MY/mysqld.sock" -N -B "$@"; }
dburl() { sql -e "CREATE DATABASE IF NOT EXISTS $1_$2 CHARACTER SET utf8mb4" >&2
  echo "mysql+pymysql://os:$RC_PASSWORD@127.0.0.1:$MYSQL_PORT/$1_$2?charset=utf8mb4"; }
dbcount() { sql -e "$3" "$1_$2" 2>/dev/null || echo 0; }

#################### RabbitMQ (loopback, own epmd port) ####################
R=$RC_DIR/rabbit; mkdir -p "$R/mnesia" "$R/log" "$R/home"
cat > "$R/env.sh" <<EOT
export HOME=$R/home RABBITMQ_NODENAME=draas-realcloud@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT=$RABBIT_PORT RABBITMQ_DIST_PORT=$RABBIT_DIST_PORT ERL_EPMD_ADDRESS=127.0.0.1 ERL_EPMD_PORT=$EPMD_PORT
export RABBITMQ_MNESIA_BASE=$R/mnesia RABBITMQ_LOG_BASE=$R/log RABBITMQ_PID_FILE=$R/rabbitmq.pid
export RABBITMQ_CONFIG_FILE=$R/rabbitmq.conf RABBITMQ_ENABLED_PLUGINS_FILE=$R/enabled_plugins
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
EOT
printf 'listeners.tcp.default = 127.0.0.1:%s\nloopback_users.guest = true\nlog.file.level = warning\n' "$RABBIT_PORT" > "$R/rabbitmq.conf"
echo '[].' > "$R/enabled_plugins"
( . "$R/env.sh"
  setsid /usr/lib/rabbitmq/bin/rabbitmq-server > "$R/log/stdout.log" 2>&1 < /dev/null &
  echo $! > "$R/rabbit.pid"
  timeout $((WAIT + 10)) rabbitmqctl wait --pid "$(cat "$R/rabbit.pid")" --timeout "$WAIT" > "$R/log/wait.log" 2>&1 ||
    { echo "RabbitMQ did not start, see $R/log" >&2; exit 1; }
  for s in $RC_SITES; do timeout 60 rabbitmqctl add_vhost "$s" >/dev/null 2>&1 || true
    timeout 60 rabbitmqctl set_permissions -p "$s" guest '.*' '.*' '.*' >/dev/null; done )
say "rabbitmq up (127.0.0.1:$RABBIT_PORT)"

#################### MariaDB (loopback) ####################
mkdir -p "$MY"
cat > "$MY/my.cnf" <<EOT
[mysqld]
datadir=$MY/data
socket=$MY/mysqld.sock
pid-file=$MY/mysqld.pid
bind-address=127.0.0.1
port=$MYSQL_PORT
user=root
skip-name-resolve
innodb_buffer_pool_size=64M
innodb_flush_log_at_trx_commit=0
innodb_doublewrite=0
sync_binlog=0
max_connections=500
performance_schema=off
log-error=$MY/error.log
character-set-server=utf8mb4
collation-server=utf8mb4_general_ci
EOT
[ -d "$MY/data/mysql" ] || timeout 120 mariadb-install-db --defaults-file="$MY/my.cnf" --auth-root-authentication-method=socket --skip-test-db > "$MY/install.log" 2>&1
setsid mariadbd --defaults-file="$MY/my.cnf" > "$MY/stdout.log" 2>&1 < /dev/null &
echo $! > "$MY/server.pid"
waitfor "mariadb" "mariadb-admin --socket=$MY/mysqld.sock ping"
sql -e "CREATE USER IF NOT EXISTS 'os'@'127.0.0.1' IDENTIFIED BY '$RC_PASSWORD'; GRANT ALL ON *.* TO 'os'@'127.0.0.1'"
say "mariadb up (127.0.0.1:$MYSQL_PORT)"

rbd_ceph_wait

#################### one site ####################
site_up() {
  local SITE=$1 D=$RC_DIR/$1 REGION KS_PORT CINDER_PORT GLANCE_PORT NOVA_PORT PLACEMENT_PORT NEUTRON_PORT WITH_NOVA=0
  REGION=$(site_region "$SITE"); KS_PORT=$(site_port "$SITE" keystone); CINDER_PORT=$(site_port "$SITE" cinder)
  GLANCE_PORT=$(site_port "$SITE" glance); NOVA_PORT=$(site_port "$SITE" nova)
  PLACEMENT_PORT=$(site_port "$SITE" placement); NEUTRON_PORT=$(site_port "$SITE" neutron)
  [[ " $RC_NOVA_SITES " == *" $SITE "* ]] && WITH_NOVA=1
  local KS=http://127.0.0.1:$KS_PORT
  mkdir -p "$D/log" "$D/run" "$D/cinder/lock" "$D/cinder/state" "$D/glance/images" "$D/glance/staging" \
           "$D/glance/lock" "$D/nova/state" "$D/nova/lock" "$D/nova/instances"
  authsec() { printf 'auth_url = %s\nauth_type = password\nproject_domain_name = Default\nuser_domain_name = Default\nproject_name = service\nusername = %s\npassword = %s\nregion_name = %s\n' "$KS" "$1" "$RC_PASSWORD" "$REGION"; }

  # ---- keystone ----
  cat > "$D/keystone.conf" <<EOT
[DEFAULT]
log_dir = $D/log
use_stderr = false
[database]
connection = $(dburl "$SITE" keystone)
[token]
provider = fernet
expiration = 14400
[fernet_tokens]
key_repository = $D/fernet-keys
[fernet_receipts]
key_repository = $D/fernet-keys
[credential]
key_repository = $D/credential-keys
[identity]
password_hash_rounds = 4
[cache]
# An in-process cache is coherent only in one process: Keystone runs as one uwsgi process with threads
# (with two processes, a project deleted through one is still served from the other's cache).
enabled = true
backend = dogpile.cache.memory
EOT
  local KM="keystone-manage --config-file $D/keystone.conf"
  { timeout 300 $KM db_sync &&
    timeout 60 $KM fernet_setup --keystone-user root --keystone-group root &&
    timeout 60 $KM credential_setup --keystone-user root --keystone-group root &&
    timeout 120 $KM bootstrap --bootstrap-password "$RC_PASSWORD" --bootstrap-region-id "$REGION" \
      --bootstrap-admin-url "$KS/v3/" --bootstrap-internal-url "$KS/v3/" --bootstrap-public-url "$KS/v3/"
  } > "$D/log/keystone-setup.out" 2>&1 || { echo "keystone setup failed, see $D/log/keystone-setup.out" >&2; return 1; }
  start "$SITE" keystone env OS_KEYSTONE_CONFIG_FILES="$D/keystone.conf" uwsgi --plugin python3 \
    --http-socket "127.0.0.1:$KS_PORT" --add-header 'Connection: close' --wsgi-file /usr/bin/keystone-wsgi-public \
    --master --processes 1 --threads 4 --enable-threads --lazy-apps --die-on-term --need-app --logto "$D/log/keystone-uwsgi.log"
  waitfor "$SITE keystone" "curl -sf -m 5 $KS/v3"
  local EPS="cinder=http://127.0.0.1:$CINDER_PORT/v3/%(project_id)s glance=http://127.0.0.1:$GLANCE_PORT neutron=http://127.0.0.1:$NEUTRON_PORT"
  [ $WITH_NOVA = 1 ] && EPS="$EPS nova=http://127.0.0.1:$NOVA_PORT/v2.1 placement=http://127.0.0.1:$PLACEMENT_PORT"
  local ok=0
  for _ in 1 2 3; do timeout 120 python3 "$RC_DIR/lib/ks_setup.py" "$KS/v3" "$REGION" "$RC_PASSWORD" $EPS >> "$D/log/ks_setup.out" 2>&1 && { ok=1; break; }; sleep 2; done
  [ $ok = 1 ] || { echo "keystone users/catalog failed, see $D/log/ks_setup.out" >&2; return 1; }
  say "$SITE keystone users and catalog"

  # ---- neutron (every site: the recovery site rebuilds networks too) ----
  neutron_up "$SITE" || return 1

  # ---- cinder ----
  cat > "$D/cinder.conf" <<EOT
[DEFAULT]
host = $SITE
my_ip = 127.0.0.1
state_path = $D/cinder/state
log_dir = $D/log
use_stderr = false
transport_url = rabbit://guest:guest@127.0.0.1:$RABBIT_PORT/$SITE
auth_strategy = keystone
api_paste_config = $PASTE/cinder-common/api-paste.ini
osapi_volume_listen = 127.0.0.1
osapi_volume_listen_port = $CINDER_PORT
osapi_volume_workers = 1
enabled_backends = fake1$(rbd_backends)
default_volume_type = __DEFAULT__
glance_api_servers = http://127.0.0.1:$GLANCE_PORT
report_interval = 5
service_down_time = 30
periodic_interval = 10
[database]
connection = $(dburl "$SITE" cinder)
[oslo_concurrency]
lock_path = $D/cinder/lock
[coordination]
backend_url = file://$D/cinder/lock
[oslo_messaging_notifications]
driver = noop
[keystone_authtoken]
www_authenticate_uri = $KS
$(authsec cinder)
service_token_roles_required = true
[service_user]
send_service_user_token = true
$(authsec cinder)
[nova]
$(authsec nova)
[fake1]
volume_driver = draas_fake_backend.StatefulFakeDriver
volume_backend_name = fake1
fake_state_file = $D/cinder/fake1-backend.json
$(rbd_cinder_section "$SITE")
EOT
  timeout 300 cinder-manage --config-file "$D/cinder.conf" db sync > "$D/log/cinder-dbsync.out" 2>&1 ||
    { echo "cinder db sync failed, see $D/log/cinder-dbsync.out" >&2; return 1; }
  for s in api scheduler volume; do start "$SITE" "cinder-$s" "cinder-$s" --config-file "$D/cinder.conf"; done
  say "$SITE cinder started"

  # ---- glance ----
  cat > "$D/glance-api.conf" <<EOT
[DEFAULT]
bind_host = 127.0.0.1
bind_port = $GLANCE_PORT
workers = 1
log_dir = $D/log
use_stderr = false
node_staging_uri = file://$D/glance/staging
image_cache_dir = $D/glance/cache
[database]
connection = $(dburl "$SITE" glance)
[glance_store]
stores = file,http
default_store = file
filesystem_store_datadir = $D/glance/images/
[oslo_concurrency]
lock_path = $D/glance/lock
[oslo_messaging_notifications]
driver = noop
[paste_deploy]
flavor = keystone
config_file = $PASTE/glance-common/glance-api-paste.ini
[keystone_authtoken]
www_authenticate_uri = $KS
$(authsec glance)
EOT
  timeout 300 glance-manage --config-file "$D/glance-api.conf" db_sync > "$D/log/glance-dbsync.out" 2>&1 ||
    { echo "glance db sync failed, see $D/log/glance-dbsync.out" >&2; return 1; }
  start "$SITE" glance-api glance-api --config-file "$D/glance-api.conf"
  say "$SITE glance started"

  # ---- nova + placement ----
  if [ $WITH_NOVA = 1 ]; then
    cat > "$D/placement.conf" <<EOT
[DEFAULT]
log_dir = $D/log
use_stderr = false
[placement_database]
connection = $(dburl "$SITE" placement)
[api]
auth_strategy = keystone
[keystone_authtoken]
www_authenticate_uri = $KS
$(authsec placement)
EOT
    cat > "$D/nova.conf" <<EOT
[DEFAULT]
host = $SITE
my_ip = 127.0.0.1
state_path = $D/nova/state
instances_path = $D/nova/instances
log_dir = $D/log
use_stderr = false
transport_url = rabbit://guest:guest@127.0.0.1:$RABBIT_PORT/$SITE
compute_driver = fake.FakeDriver
enabled_apis = osapi_compute
osapi_compute_listen = 127.0.0.1
osapi_compute_listen_port = $NOVA_PORT
osapi_compute_workers = 1
report_interval = 5
service_down_time = 30
periodic_fuzzy_delay = 0
[api]
auth_strategy = keystone
[wsgi]
api_paste_config = $PASTE/nova-common/api-paste.ini
[api_database]
connection = $(dburl "$SITE" nova_api)
[database]
connection = $(dburl "$SITE" nova)
[conductor]
workers = 1
[scheduler]
workers = 1
discover_hosts_in_cells_interval = 5
[oslo_concurrency]
lock_path = $D/nova/lock
[oslo_messaging_notifications]
driver = noop
[vnc]
enabled = false
[glance]
api_servers = http://127.0.0.1:$GLANCE_PORT
[cinder]
os_region_name = $REGION
catalog_info = volumev3::publicURL
$(authsec nova)
[neutron]
endpoint_override = http://127.0.0.1:$NEUTRON_PORT
$(authsec nova)
[placement]
$(authsec placement)
[keystone_authtoken]
www_authenticate_uri = $KS
$(authsec nova)
[service_user]
send_service_user_token = true
$(authsec nova)
EOT
    timeout 300 placement-manage --config-file "$D/placement.conf" db sync > "$D/log/placement-dbsync.out" 2>&1 ||
      { echo "placement db sync failed" >&2; return 1; }
    start "$SITE" placement env OS_PLACEMENT_CONFIG_DIR="$D" uwsgi --plugin python3 \
      --http-socket "127.0.0.1:$PLACEMENT_PORT" --add-header 'Connection: close' --wsgi-file /usr/bin/placement-api \
      --master --processes 1 --threads 1 --lazy-apps --die-on-term --need-app --logto "$D/log/placement-uwsgi.log"
    local NM="timeout 300 nova-manage --config-file $D/nova.conf"
    { $NM api_db sync &&
      { $NM cell_v2 list_cells 2>/dev/null | grep -q ' cell0 ' || $NM cell_v2 map_cell0 --database_connection "$(dburl "$SITE" nova_cell0)"; } &&
      { $NM cell_v2 list_cells 2>/dev/null | grep -q ' cell1 ' || $NM cell_v2 create_cell --name cell1; } &&
      $NM db sync; } > "$D/log/nova-dbsync.out" 2>&1 || { echo "nova db sync failed, see $D/log/nova-dbsync.out" >&2; return 1; }
    for s in conductor scheduler api; do start "$SITE" "nova-$s" "nova-$s" --config-file "$D/nova.conf"; done
    # compute after the conductor registered, or it sleeps waiting for conductor RPC
    waitfor "$SITE nova-conductor registered" "[ \$(dbcount $SITE nova \"select count(*) from services where topic='conductor' and deleted=0\") -gt 0 ]"
    start "$SITE" nova-compute nova-compute --config-file "$D/nova.conf"
    say "$SITE nova started"
  fi

  # ---- health ----
  waitfor "$SITE cinder-api" "curl -s -m 5 -o /dev/null http://127.0.0.1:$CINDER_PORT/"
  waitfor "$SITE glance-api" "curl -sf -m 5 http://127.0.0.1:$GLANCE_PORT/versions"
  if [ $WITH_NOVA = 1 ]; then
    waitfor "$SITE nova-api and placement" "curl -sf -m 5 http://127.0.0.1:$NOVA_PORT/ && curl -sf -m 5 http://127.0.0.1:$PLACEMENT_PORT/"
    waitfor "$SITE compute node registered" "[ \$(dbcount $SITE nova 'select count(*) from compute_nodes where deleted=0') -gt 0 ]"
    timeout 120 nova-manage --config-file "$D/nova.conf" cell_v2 discover_hosts >> "$D/log/nova-dbsync.out" 2>&1
  fi
  timeout $((WAIT + 30)) python3 "$RC_DIR/lib/ready.py" "$KS/v3" "$REGION" "$RC_PASSWORD" $WITH_NOVA "$WAIT" >> "$D/log/ready.out" 2>&1 ||
    { echo "$SITE not ready, see $D/log/ready.out and $D/log/" >&2; return 1; }
  say "$SITE ready"
}

pids=""
for s in $RC_SITES; do
  mkdir -p "$RC_DIR/$s/log" "$RC_DIR/$s/run"
  site_up "$s" > "$RC_DIR/$s/log/up.log" 2>&1 & pids="$pids $!"
done
rc=0; for p in $pids; do wait "$p" || rc=1; done
if [ $rc != 0 ]; then
  for s in $RC_SITES; do echo "--- $s (tail of $RC_DIR/$s/log/up.log)" >&2; tail -n 15 "$RC_DIR/$s/log/up.log" >&2; done
  exit 1
fi
cat "$RC_DIR"/site*/log/up.log >> "$RC_DIR/timings.log" 2>/dev/null || true
rbd_volume_types

# Loopback only: refuse to report success when anything of ours listens elsewhere.
ours=$(cat "$RC_DIR"/site*/run/*.pid "$RC_DIR/rabbit/rabbit.pid" "$RC_DIR/mysql/server.pid" 2>/dev/null | tr '\n' ' ')
ourpids=$(ps -eo pid=,pgid= | awk -v g=" $ours " 'index(g, " " $2 " ") || index(g, " " $1 " ") {print $1}' | tr '\n' ' ')
wide=$(ss -ltnpH | awk '$4 !~ /^(127\.0\.0\.1|\[::1\]):/' | grep -oE '^.*pid=[0-9]+' | while read -r line; do
  pid=${line##*pid=}; [[ " $ourpids " == *" $pid "* ]] && echo "$line"; done || true)
[ -z "$wide" ] || { echo "a service of ours listens beyond loopback:" >&2; echo "$wide" >&2; exit 1; }

#################### files the tests and the openstack CLI read ####################
python3 - "$RC_DIR" "$RC_PASSWORD" "$RC_NOVA_SITES" $(for s in $RC_SITES; do echo "$s:$(site_region "$s"):$(site_port "$s" keystone)"; done) <<'PY'
import json, os, sys
rc_dir, password, nova_sites = sys.argv[1], sys.argv[2], sys.argv[3].split()
sites, clouds = [], {}
for arg in sys.argv[4:]:
    name, region, port = arg.split(':')
    auth = 'http://127.0.0.1:%s/v3' % port
    user = lambda u, p: {'username': u, 'password': password, 'project_name': p,
                         'user_domain_name': 'Default', 'project_domain_name': 'Default'}
    sites.append({'name': name, 'auth_url': auth, 'region': region, 'admin': user('admin', 'admin'),
                  'member': user('demo', 'demo'), 'compute': name in nova_sites,
                  'volume_backend_host': '%s@fake1#fake1' % name,
                  'fake_backend_state_file': os.path.join(rc_dir, name, 'cinder', 'fake1-backend.json')})
    for suffix, (u, p) in (('', ('admin', 'admin')), ('-demo', ('demo', 'demo'))):
        clouds[name + suffix] = {'region_name': region, 'identity_api_version': 3, 'interface': 'public',
                                 'auth': dict(auth_url=auth, **user(u, p))}
with open(os.path.join(rc_dir, 'endpoints.json'), 'w') as f:
    json.dump({'sites': sites}, f, indent=2)
with open(os.path.join(rc_dir, 'clouds.yaml'), 'w') as f:   # JSON is valid YAML
    json.dump({'clouds': clouds}, f, indent=2)
PY
rbd_endpoints
say "up: $RC_DIR/endpoints.json, $RC_DIR/clouds.yaml"
