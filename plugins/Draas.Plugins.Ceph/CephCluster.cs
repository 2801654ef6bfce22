using System.Web;
using Draas.Storage;

namespace Draas.Plugins.Ceph;

/// <summary>
/// One Ceph cluster's pool as an array: <c>ceph://USER@MON_HOST:PORT/POOL</c> (more monitors with
/// <c>?mon_host=a:3300,b:3300</c>); the array's secret is the cephx key of <c>client.USER</c> (empty: auth none).
/// </summary>
internal sealed record CephCluster(string Name, string MonHost, string User, string Pool, string Key)
{
    public static CephCluster From(ArrayRef array)
    {
        var url = array.ManagementUrl;
        if (url.Scheme != "ceph")
            throw new ArrayException(ArrayErrorKind.InvalidRequest, $"an rbd array's endpoint is ceph://USER@MON_HOST:PORT/POOL, not {url.Scheme}://", array.Name);
        var pool = url.AbsolutePath.Trim('/');
        if (pool.Length == 0 || pool.Contains('/'))
            throw new ArrayException(ArrayErrorKind.InvalidRequest, "an rbd array's endpoint names one pool: ceph://USER@MON_HOST:PORT/POOL", array.Name);
        var query = HttpUtility.ParseQueryString(url.Query);
        var mon = query["mon_host"] ?? (url.IsDefaultPort ? url.Host : $"{url.Host}:{url.Port}");
        var user = string.IsNullOrEmpty(url.UserInfo) ? "admin" : Uri.UnescapeDataString(url.UserInfo);
        return new CephCluster(array.Name, mon, user, pool, array.ApiToken ?? "");
    }

    public string Image(string name) => $"{Pool}/{name}";

    public override string ToString() => $"{Name} (pool {Pool} at {MonHost})";
}
