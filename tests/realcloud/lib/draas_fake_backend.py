"""A stateful fake Cinder backend for the real-cloud tests (no hardware, no device-mapper).

It extends the fake driver that python3-cinder ships (cinder.tests.fake_driver, which keeps nothing)
with a JSON file that plays the backend's volume group, so that snapshots, the manageable list,
"manage existing" and unmanage behave as they do on LVM. A test places a backend volume by adding an
entry under "lvs" (holding an exclusive flock on STATE.lock while it rewrites the file):
    {"lvs": {"promoted-replica-1": {"size": 2, "origin": null, "open": false}}}
which is how a storage plugin's promoted replica looks to Cinder on the recovery site.
"""
import fcntl
import json
import math
import os

from oslo_config import cfg

from cinder.objects import fields
from cinder.tests import fake_driver
from cinder.volume import volume_utils

opts = [cfg.StrOpt('fake_state_file', default='/tmp/draas-fake-backend.json',
                   help='JSON file holding the fake backend volumes')]
cfg.CONF.register_opts(opts, group='backend_defaults')


def _gib(size):
    return int(math.ceil(float(str(size).lower().rstrip('g'))))


class JsonVolumeGroup(object):
    """Answers the calls the LVM driver code paths make on brick's LVM object."""

    def __init__(self, path, vg_name='cinder-volumes'):
        self.path, self.vg_name = path, vg_name
        self.vg_size = self.vg_free_space = 1000.0
        if not os.path.exists(path):
            self._mutate(lambda lvs: None)

    def _load(self):
        try:
            with open(self.path) as f:
                return json.load(f)
        except FileNotFoundError:
            return {'lvs': {}}

    def _mutate(self, change):
        with open(self.path + '.lock', 'w') as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            data = self._load()
            change(data.setdefault('lvs', {}))
            tmp = '%s.tmp.%d' % (self.path, os.getpid())
            with open(tmp, 'w') as f:
                json.dump(data, f, indent=1, sort_keys=True)
            os.replace(tmp, self.path)

    def _lv(self, name):
        return self._load()['lvs'].get(name) or {}

    def get_volumes(self, lv_name=None):
        return [dict(name=n, vg=self.vg_name, size=str(v['size']))
                for n, v in sorted(self._load()['lvs'].items())]

    def get_volume(self, name):
        v = self._load()['lvs'].get(name)
        return None if v is None else dict(name=name, vg=self.vg_name, size=str(v['size']))

    def create_volume(self, name, size_str, lv_type='default', mirror_count=0):
        self._mutate(lambda lvs: lvs.__setitem__(name, {'size': _gib(size_str), 'origin': None, 'open': False}))

    def create_lv_snapshot(self, name, source_lv_name, lv_type='default'):
        self._mutate(lambda lvs: lvs.__setitem__(name, {
            'size': lvs.get(source_lv_name, {'size': 1})['size'], 'origin': source_lv_name, 'open': False}))

    def delete(self, name):
        self._mutate(lambda lvs: lvs.pop(name, None))

    def rename_volume(self, lv_name, new_name):
        self._mutate(lambda lvs: lvs.__setitem__(new_name, lvs.pop(lv_name)))

    def extend_volume(self, name, size_str):
        self._mutate(lambda lvs: lvs[name].__setitem__('size', _gib(size_str)))

    def lv_is_snapshot(self, name):
        return bool(self._lv(name).get('origin'))

    def lv_get_origin(self, name):
        return self._lv(name).get('origin')

    def lv_is_open(self, name):
        return bool(self._lv(name).get('open'))

    def lv_has_snapshot(self, name):
        return any(v.get('origin') == name for v in self._load()['lvs'].values())

    def __getattr__(self, item):   # activate_lv, deactivate_lv, update_volume_group_info, ...
        return lambda *a, **k: None


class StatefulFakeDriver(fake_driver.FakeLoggingVolumeDriver):
    def __init__(self, *args, **kwargs):
        super(StatefulFakeDriver, self).__init__(*args, **kwargs)
        self.configuration.append_config_values(opts)
        self.backend_name = self.configuration.safe_get('volume_backend_name') or 'fake'
        self.vg = JsonVolumeGroup(self.configuration.safe_get('fake_state_file'))

    def _replication(self, volume):
        try:
            if volume.volume_type and volume_utils.is_replicated_spec(volume.volume_type.extra_specs):
                return {'replication_status': fields.ReplicationStatus.ENABLED}
        except Exception:
            pass
        return None

    def create_volume(self, volume):
        self.vg.create_volume(volume['name'], '%sg' % volume['size'])
        return self._replication(volume)

    def create_cloned_volume(self, volume, src_vref):
        return self.create_volume(volume)

    def create_volume_from_snapshot(self, volume, snapshot):
        return self.create_volume(volume)

    def delete_volume(self, volume):
        self.vg.delete(volume['name'])

    def create_snapshot(self, snapshot):
        self.vg.create_lv_snapshot(self._escape_snapshot(snapshot['name']), snapshot['volume_name'])

    def delete_snapshot(self, snapshot):
        self.vg.delete(self._escape_snapshot(snapshot['name']))

    def manage_existing(self, volume, existing_ref):
        super(StatefulFakeDriver, self).manage_existing(volume, existing_ref)
        return self._replication(volume)

    def unmanage(self, volume):
        pass   # the backend volume keeps its name and shows up again in the manageable list

    def failover_host(self, context, volumes, secondary_id=None, groups=None):
        back = secondary_id == 'default'
        status = fields.ReplicationStatus.ENABLED if back else fields.ReplicationStatus.FAILED_OVER
        updates = [{'volume_id': v.id, 'updates': {'replication_status': status}} for v in volumes
                   if v.replication_status in ('enabled', 'failed-over')]
        return ('default' if back else (secondary_id or 'secondary')), updates, []

    def failover_completed(self, context, active_backend_id=None):
        pass

    def _update_volume_stats(self):
        super(StatefulFakeDriver, self)._update_volume_stats()
        stats = self._stats
        stats.update(volume_backend_name=self.backend_name, replication_enabled=True,
                     replication_targets=['secondary'])
        stats['pools'][0].update(pool_name=self.backend_name, reserved_percentage=0,
                                 total_capacity_gb=1000, free_capacity_gb=1000)
