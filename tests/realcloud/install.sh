#!/usr/bin/env bash
# Installs Debian's OpenStack Zed *library* packages (no service packages: those prompt and start daemons)
# when any is missing, and extracts the paste .ini files from the *-common packages into $RC_DIR/pkgroot.
# Idempotent: a second run with everything present returns in well under a second.
set -euo pipefail
# shellcheck source=common.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"
PKGS="python3-keystone python3-cinder python3-glance python3-nova python3-placement python3-neutron
      python3-keystoneclient uwsgi-core uwsgi-plugin-python3 rabbitmq-server mariadb-server
      python3-pymysql curl"
# Ceph for the Cinder RBD backends (cinder-rbd.sh); DRAAS_REALCLOUD_CEPH=0 leaves it out.
if [ "${DRAAS_REALCLOUD_CEPH:-1}" = 1 ]; then PKGS="$PKGS ceph-mon ceph-mgr ceph-osd rbd-mirror ceph-common python3-rbd python3-rados"; fi
mkdir -p "$RC_DIR/debs" "$RC_DIR/pkgroot"
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

# shellcheck disable=SC2086
if ! dpkg -s $PKGS >/dev/null 2>&1; then
  echo "installing OpenStack Zed library packages (log: $RC_DIR/apt.log)"
  created_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    # Keeps RabbitMQ and MariaDB from starting (on 0.0.0.0) during the install.
    as_root sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d'
    created_policy=1
  fi
  rc=0
  # apt waits at most 10 minutes for another apt to release its lock.
  timeout 1200 env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -o DPkg::Lock::Timeout=600 $PKGS >"$RC_DIR/apt.log" 2>&1 || rc=$?
  if [ $rc -ne 0 ]; then
    # A stale package index is the usual cause on a fresh machine: update once and retry.
    timeout 300 env DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$RC_DIR/apt.log" 2>&1 || true
    rc=0
    timeout 1200 env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      -o DPkg::Lock::Timeout=600 $PKGS >>"$RC_DIR/apt.log" 2>&1 || rc=$?
  fi
  [ $created_policy = 1 ] && as_root rm -f /usr/sbin/policy-rc.d
  [ $rc -eq 0 ] || { tail -n 20 "$RC_DIR/apt.log" >&2; echo "apt-get install failed (rc $rc)" >&2; exit 1; }
fi

# The paste .ini files live in cinder-common/glance-common/nova-common, whose maintainer scripts want
# debconf and dbconfig: download the .debs and extract them instead of installing.
if [ ! -f "$RC_DIR/pkgroot/usr/share/nova-common/api-paste.ini" ] ||
   [ ! -f "$RC_DIR/pkgroot/usr/share/cinder-common/api-paste.ini" ] ||
   [ ! -f "$RC_DIR/pkgroot/usr/share/glance-common/glance-api-paste.ini" ] ||
   [ ! -f "$RC_DIR/pkgroot/usr/share/neutron-common/api-paste.ini" ]; then
  ( cd "$RC_DIR/debs" && timeout 300 apt-get download -q cinder-common glance-common nova-common neutron-common >/dev/null 2>&1 &&
    for f in ./*.deb; do dpkg-deb -x "$f" "$RC_DIR/pkgroot"; done ) \
    || { echo "could not download/extract the *-common packages for their paste .ini files" >&2; exit 1; }
fi
echo "packages present"
