using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Draas.Workflows.Notifications;

/// <summary>
/// Trust for an SMTP relay whose certificate a private CA signed (<c>[notifications] ca_file</c>): the chain may end
/// at that CA instead of a system root, and nothing else is relaxed (the name must match, the chain must build).
/// </summary>
public static class RelayTrust
{
    public static X509Certificate2Collection? Load(string? caFile)
    {
        if (caFile is null) return null;
        var cas = new X509Certificate2Collection();
        cas.ImportFromPemFile(caFile);
        return cas;
    }

    public static bool Accepts(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection trusted)
    {
        if (errors == SslPolicyErrors.None) return true;
        // Only an untrusted root may be cured by the operator's CA; a wrong name or no certificate never is.
        if (certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
