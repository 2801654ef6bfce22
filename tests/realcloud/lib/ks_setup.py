"""Idempotent Keystone setup for one site.
usage: ks_setup.py AUTH_URL REGION PASSWORD service=url ...   (service: cinder glance nova placement neutron)
Creates the roles, the service project, the service users (admin + service role, which Nova's and
Cinder's service tokens need), the member user demo in project demo, and the catalog endpoints."""
import sys

from keystoneauth1 import session
from keystoneauth1.identity import v3
from keystoneclient.v3 import client

url, region, password = sys.argv[1:4]
services = dict(arg.split('=', 1) for arg in sys.argv[4:])
TYPES = {'cinder': ('cinderv3', 'volumev3'), 'glance': ('glance', 'image'), 'nova': ('nova', 'compute'),
         'placement': ('placement', 'placement'), 'neutron': ('neutron', 'network')}
ks = client.Client(session=session.Session(auth=v3.Password(
    auth_url=url, username='admin', password=password, project_name='admin',
    user_domain_id='default', project_domain_id='default'), timeout=30))


def get_or_create(manager, name, **kw):
    found = [o for o in manager.list(name=name) if o.name == name]
    return found[0] if found else manager.create(name=name, **kw)


roles = {r.name: r for r in ks.roles.list()}
for name in ('admin', 'member', 'reader', 'service'):
    if name not in roles:
        roles[name] = ks.roles.create(name=name)
service_project = get_or_create(ks.projects, 'service', domain='default')
demo_project = get_or_create(ks.projects, 'demo', domain='default')
demo = get_or_create(ks.users, 'demo', domain='default', password=password, default_project=demo_project)
ks.roles.grant(roles['member'], user=demo, project=demo_project)
for svc, endpoint in services.items():
    user = get_or_create(ks.users, svc, domain='default', password=password)
    ks.roles.grant(roles['admin'], user=user, project=service_project)
    ks.roles.grant(roles['service'], user=user, project=service_project)
    name, stype = TYPES[svc]
    existing = list(ks.services.list(type=stype))
    service = existing[0] if existing else ks.services.create(name=name, type=stype)
    have = {(e.interface, e.region) for e in ks.endpoints.list(service=service)}
    for interface in ('public', 'internal', 'admin'):
        if (interface, region) not in have:
            ks.endpoints.create(service=service, url=endpoint, interface=interface, region=region)
print('keystone setup done for', region)
