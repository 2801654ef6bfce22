using Draas.Data.Secrets;
using Microsoft.Extensions.Configuration;

namespace Draas.Api.Configuration;

/// <summary>[secrets]: how the credentials the service stores are protected.</summary>
public sealed class SecretsOptions
{
    public const string Section = "secrets";

    /// <summary>
    /// A file holding 32 random bytes, base64 (<c>head -c 32 /dev/urandom | base64</c>), readable only by the
    /// service. It encrypts the key ring kept in the database; every instance (and the standby) needs the same
    /// file. Unset: the key ring is stored as plaintext and a database dump reveals the stored credentials.
    /// </summary>
    [ConfigurationKeyName("master_key_file")]
    public string? MasterKeyFile { get; set; }

    /// <summary>The master key, or null when none is configured; a bad file is a configuration error.</summary>
    public MasterKey? Load()
    {
        if (string.IsNullOrWhiteSpace(MasterKeyFile)) return null;
        if (!File.Exists(MasterKeyFile)) throw new ConfigurationException($"[secrets] master_key_file {MasterKeyFile} does not exist");
        byte[] key;
        try
        {
            key = Convert.FromBase64String(File.ReadAllText(MasterKeyFile).Trim());
        }
        catch (FormatException)
        {
            throw new ConfigurationException($"[secrets] master_key_file {MasterKeyFile} is not base64");
        }
        if (key.Length != MasterKey.Length)
            throw new ConfigurationException($"[secrets] master_key_file {MasterKeyFile} holds {key.Length} bytes, not {MasterKey.Length}");
        return new MasterKey(key);
    }

    /// <summary>Why the file's permissions are too open, or null.</summary>
    public string? PermissionProblem()
    {
        if (string.IsNullOrWhiteSpace(MasterKeyFile) || OperatingSystem.IsWindows()) return null;
        var mode = File.GetUnixFileMode(MasterKeyFile);
        return (mode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0
            ? $"[secrets] master_key_file {MasterKeyFile} is readable or writable by group or others; chmod 600 it"
            : null;
    }
}
