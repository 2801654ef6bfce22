"""ML2 mechanism driver for a Neutron without agents (test rig only). It binds every port of vnic_type
normal on whatever host asks (Nova's compute host), as the Open vSwitch agent's driver would: vif_type ovs,
port ACTIVE. So Nova with the fake virt driver can boot a server on a Neutron port. ML2 loads it by its
entry point name, draas_fake, declared in draas_realcloud_neutron-0.dist-info beside this file."""
from neutron_lib.api.definitions import portbindings
from neutron_lib import constants
from neutron_lib.plugins.ml2 import api


class FakeBindMechanismDriver(api.MechanismDriver):
    def initialize(self):
        pass

    def bind_port(self, context):
        if context.current.get(portbindings.VNIC_TYPE, portbindings.VNIC_NORMAL) != portbindings.VNIC_NORMAL:
            return  # direct/baremetal ports stay unbound (binding_failed), as with OVS
        segment = context.segments_to_bind[0]
        context.set_binding(segment[api.ID], portbindings.VIF_TYPE_OVS,
                            {portbindings.CAP_PORT_FILTER: True, portbindings.OVS_HYBRID_PLUG: False},
                            status=constants.PORT_STATUS_ACTIVE)
