# Shared by up.sh, down.sh and status.sh: where everything lives and which loopback ports it uses.
# shellcheck shell=bash
RC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RC_DIR=${DRAAS_REALCLOUD_DIR:-$RC_ROOT/.tox/realcloud}
RC_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")/lib" && pwd)
# Ports: below the kernel's ephemeral range (32768+) so a test's random port never takes one, and clear
# of PostgreSQL (5432, 54329) and of the usual OpenStack ports a hand-started deployment would use.
RC_PORT_BASE=${DRAAS_REALCLOUD_PORT_BASE:-17500}
RC_SITES="site1 site2"
RC_NOVA_SITES=${DRAAS_REALCLOUD_NOVA_SITES-site1}
RC_PASSWORD=${DRAAS_REALCLOUD_PASSWORD:-realcloud-secret}   # loopback only; guards nothing
RABBIT_PORT=$((RC_PORT_BASE + 90))
RABBIT_DIST_PORT=$((RC_PORT_BASE + 91))
EPMD_PORT=$((RC_PORT_BASE + 92))
MYSQL_PORT=$((RC_PORT_BASE + 93))
# site N: keystone +0, cinder +1, glance +2, nova +3, placement +4, neutron stub +5, offset (N-1)*10
site_port() { local n=${1#site} svc=$2 i
  case $svc in keystone) i=0;; cinder) i=1;; glance) i=2;; nova) i=3;; placement) i=4;; neutron) i=5;; esac
  echo $((RC_PORT_BASE + (n - 1) * 10 + i)); }
site_region() { case $1 in site1) echo RegionOne;; site2) echo RegionTwo;; *) echo "Region${1#site}";; esac; }
# Debian's interpreter: a pyenv shim on PATH would not see the python3-* packages.
export PATH=/usr/lib/rabbitmq/bin:/usr/sbin:/usr/bin:/sbin:/bin
unset PYTHONHOME VIRTUAL_ENV || true
export PYTHONPATH=$RC_DIR/lib
