"""Waits until a site can do real work: Cinder's scheduler sees the fake backend's pool, Glance answers,
and (with Nova) a hypervisor is registered and mapped. usage: ready.py AUTH_URL REGION PASSWORD WITH_NOVA TIMEOUT"""
import sys
import time

from keystoneauth1 import session
from keystoneauth1.identity import v3

url, region, password, with_nova, timeout = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == '1', float(sys.argv[5])
deadline = time.monotonic() + timeout
s = session.Session(auth=v3.Password(auth_url=url, username='admin', password=password, project_name='admin',
                                     user_domain_id='default', project_domain_id='default'), timeout=15)


def endpoint(stype):
    return s.get_endpoint(service_type=stype, interface='public', region_name=region)


def wait(what, check):
    last = None
    while time.monotonic() < deadline:
        try:
            if check():
                print('ready:', what)
                return
        except Exception as e:  # not up yet
            last = e
        time.sleep(1)
    raise SystemExit('timed out waiting for %s (last error: %s)' % (what, last))


wait('cinder pool', lambda: s.get(endpoint('volumev3') + '/scheduler-stats/get_pools',
                                  headers={'OpenStack-API-Version': 'volume 3.60'}).json()['pools'])
wait('glance', lambda: s.get(endpoint('image') + '/v2/images').status_code == 200)
if with_nova:
    wait('nova hypervisor', lambda: s.get(endpoint('compute') + '/os-hypervisors',
                                          headers={'OpenStack-API-Version': 'compute 2.79'}).json()['hypervisors'])
