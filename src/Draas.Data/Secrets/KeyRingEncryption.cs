using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace Draas.Data.Secrets;

/// <summary>
/// The operator's master key ([secrets] master_key_file): 32 random bytes kept outside the database. With
/// it, the Data Protection key ring stored in PostgreSQL is itself encrypted, so a database dump or
/// backup alone cannot decrypt the site and array credentials next to it.
/// </summary>
public sealed class MasterKey
{
    public const int Length = 32;

    public MasterKey(byte[] key)
    {
        if (key.Length != Length) throw new ArgumentException($"a master key is {Length} bytes, not {key.Length}", nameof(key));
        Key = key;
    }

    internal byte[] Key { get; }
}

/// <summary>Encrypts each new key-ring element with AES-256-GCM under the master key.</summary>
public sealed class MasterKeyXmlEncryptor(MasterKey master) : IXmlEncryptor
{
    private const int NonceBytes = 12, TagBytes = 16;

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[TagBytes];
        using (var aes = new AesGcm(master.Key, TagBytes)) aes.Encrypt(nonce, plaintext, ciphertext, tag);
        CryptographicOperations.ZeroMemory(plaintext);
        var element = new XElement("encryptedKey",
            new XComment(" AES-256-GCM under the service's [secrets] master_key_file "),
            new XElement("value", Convert.ToBase64String([.. nonce, .. tag, .. ciphertext])));
        return new EncryptedXmlInfo(element, typeof(MasterKeyXmlDecryptor));
    }

    /// <summary>Data Protection activates the decryptor by type with the service provider.</summary>
    public sealed class MasterKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
    {
        public XElement Decrypt(XElement encryptedElement)
        {
            var master = services.GetService<MasterKey>()
                ?? throw new CryptographicException("the key ring is encrypted with a master key and this service has none: set [secrets] master_key_file");
            var blob = Convert.FromBase64String(encryptedElement.Element("value")?.Value ?? throw new CryptographicException("an encrypted key-ring element without a value"));
            if (blob.Length < NonceBytes + TagBytes) throw new CryptographicException("an encrypted key-ring element too short to hold a key");
            var plaintext = new byte[blob.Length - NonceBytes - TagBytes];
            using (var aes = new AesGcm(master.Key, TagBytes))
                aes.Decrypt(blob.AsSpan(0, NonceBytes), blob.AsSpan(NonceBytes + TagBytes), blob.AsSpan(NonceBytes, TagBytes), plaintext);
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
    }
}
