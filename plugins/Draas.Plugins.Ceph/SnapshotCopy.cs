namespace Draas.Plugins.Ceph;

/// <summary>
/// Copies a non-primary image as it stands into a new, independent image (a drill copy) with librbd's own Python
/// binding (python3-rbd, as Cinder's RBD driver uses). Why not the rbd CLI or the mirror snapshot itself: export,
/// clone and deep cp address snapshots by name in the user namespace only, and in Pacific 16.2.15 a read of a
/// non-primary mirror snapshot (by id) returns the image as it was before that snapshot's sync, while the image
/// head holds the synced data (measured: docs/ceph-plugin.md). So the plugin copies the head between syncs and
/// checks afterwards that no sync ran meanwhile. Zero blocks are not written: the copy stays sparse.
/// </summary>
internal static class SnapshotCopy
{
    public const string Script = """
import sys, rados, rbd
mon, user, keyfile, pool, src, dst = sys.argv[1:7]
conf = {"mon_host": mon, "client_mount_timeout": "10", "rados_mon_op_timeout": "30"}
if keyfile:
    conf["keyfile"] = keyfile
else:
    conf["auth_client_required"] = "none"
chunk = 4 << 20
with rados.Rados(rados_id=user, conffile="/dev/null", conf=conf) as cluster, cluster.open_ioctx(pool) as io:
    with rbd.Image(io, src, read_only=True) as image:
        size = image.size()
        rbd.RBD().create(io, dst, size, old_format=False, features=rbd.RBD_FEATURE_LAYERING | rbd.RBD_FEATURE_EXCLUSIVE_LOCK | rbd.RBD_FEATURE_OBJECT_MAP | rbd.RBD_FEATURE_FAST_DIFF | rbd.RBD_FEATURE_DEEP_FLATTEN)
        zero = bytes(chunk)
        with rbd.Image(io, dst) as copy:
            for offset in range(0, size, chunk):
                data = image.read(offset, min(chunk, size - offset))
                if data != zero[:len(data)]:
                    copy.write(data, offset)
            copy.flush()
        print(size)
""";
}
