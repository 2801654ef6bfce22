using Microsoft.Extensions.Configuration;

namespace Draas.Workflows.Notifications;

/// <summary>[notifications]: the SMTP relay that mails the protections' contacts. No host, no e-mail (webhooks still go).</summary>
public sealed class NotificationsOptions
{
    public const string Section = "notifications";

    /// <summary>The SMTP relay's host name; unset turns e-mail off.</summary>
    [ConfigurationKeyName("host")]
    public string? Host { get; set; }
    [ConfigurationKeyName("port")]
    public int Port { get; set; } = 587;

    /// <summary>Require STARTTLS (refuse to send in the clear); false sends plain SMTP, for a relay on the same host.</summary>
    [ConfigurationKeyName("starttls")]
    public bool Starttls { get; set; } = true;

    /// <summary>A PEM file of the CA(s) that signed the relay's certificate (a private CA), trusted for the relay
    /// in addition to the system's roots; the certificate must still name the host. Unset: the system's roots only.</summary>
    [ConfigurationKeyName("ca_file")]
    public string? CaFile { get; set; }

    /// <summary>SMTP user; unset sends without authenticating.</summary>
    [ConfigurationKeyName("user")]
    public string? User { get; set; }

    /// <summary>The SMTP password: from the environment (DRAAS__NOTIFICATIONS__PASSWORD), never logged.</summary>
    [ConfigurationKeyName("password")]
    public string? Password { get; set; }

    /// <summary>The sender address.</summary>
    [ConfigurationKeyName("from")]
    public string From { get; set; } = "draas@localhost";

    /// <summary>Attempts per notification before it is given up (marked failed in the delivery log).</summary>
    [ConfigurationKeyName("max_attempts")]
    public int MaxAttempts { get; set; } = 8;

    public bool MailEnabled => !string.IsNullOrWhiteSpace(Host);

    public IEnumerable<string> Validate()
    {
        if (Port is < 1 or > 65535) yield return "[notifications] port must be 1..65535";
        if (MaxAttempts is < 1 or > 50) yield return "[notifications] max_attempts must be 1..50";
        if (MailEnabled && !System.Net.Mail.MailAddress.TryCreate(From, out _)) yield return "[notifications] from must be an e-mail address";
        if (CaFile is not null && !File.Exists(CaFile)) yield return $"[notifications] ca_file {CaFile} does not exist";
        if (User is not null && Password is null && MailEnabled) yield return "[notifications] user is set but no password: set DRAAS__NOTIFICATIONS__PASSWORD";
    }
}
