using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Host.Infrastructure;

/// <summary>
/// ASP.NET Core Data Protection for the whole host (ADR 0006): one fixed application name so that every host of
/// the service reads what another protected, and the key ring kept in PostgreSQL, or in
/// <c>DataProtection:KeysDirectory</c> when that is set (e.g. a volume apart from the database's backups).
/// </summary>
internal static class DataProtectionSetup
{
    public const string ApplicationName = "password-recovery";

    public static IServiceCollection AddProductDataProtection(this IServiceCollection services, IConfiguration configuration)
    {
        var builder = services.AddDataProtection().SetApplicationName(ApplicationName);
        if (configuration["DataProtection:KeysDirectory"] is { Length: > 0 } folder)
        {
            builder.PersistKeysToFileSystem(new DirectoryInfo(folder));
        }
        else
        {
            services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(_ =>
                new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new PostgresXmlRepository(Database.ConnectionString(configuration))));
        }

        // The key ring encrypted with a certificate's key (docs/adr/0020): wherever the keys are kept, a copy of them
        // (a database dump, a backup of the volume) is of no use without the certificate's private key.
        if (configuration["DataProtection:CertificatePath"] is { Length: > 0 } path)
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, configuration["DataProtection:CertificatePassword"]);
            builder.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }

        return services;
    }

    /// <summary>Where the key ring is and whether it is encrypted, in words for the start-up log; null when all is well.</summary>
    public static string? Weakness(IConfiguration configuration) =>
        configuration["DataProtection:CertificatePath"] is { Length: > 0 } ? null
        : configuration["DataProtection:KeysDirectory"] is { Length: > 0 } ? null
        : "The Data Protection key ring is kept in the database without encryption, so a copy of the database alone reveals " +
          "every protected value (SMTP and SMS credentials, waiting one-time secrets). Set DataProtection__CertificatePath " +
          "(a PFX file, with DataProtection__CertificatePassword) or DataProtection__KeysDirectory (a volume apart from the " +
          "database and its backups); see docs/adr/0020.";
}

/// <summary>The Data Protection key ring in one table of the service's schema. The framework calls it synchronously and rarely.</summary>
internal sealed class PostgresXmlRepository(string connectionString) : IXmlRepository
{
    private const string Schema = "recovery";
    private const string Table = Schema + ".data_protection_keys";
    private volatile bool tableReady;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = Open();
        using var command = new NpgsqlCommand($"select xml from {Table} order by created_at", connection);
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read()) elements.Add(XElement.Parse(reader.GetString(0)));
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = Open();
        using var command = new NpgsqlCommand($"insert into {Table} (friendly_name, xml) values (@name, @xml) on conflict (friendly_name) do nothing", connection);
        command.Parameters.AddWithValue("name", friendlyName);
        command.Parameters.AddWithValue("xml", element.ToString(SaveOptions.DisableFormatting));
        command.ExecuteNonQuery();
    }

    private NpgsqlConnection Open()
    {
        var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        if (!tableReady) EnsureTable(connection);
        return connection;
    }

    private void EnsureTable(NpgsqlConnection connection)
    {
        // Serialized with an advisory lock: several hosts may start on an empty database at once.
        using var transaction = connection.BeginTransaction();
        using var command = new NpgsqlCommand(
            $"""
             select pg_advisory_xact_lock(hashtext('{Table}'));
             create schema if not exists {Schema};
             create table if not exists {Table} (
               friendly_name text primary key,
               xml text not null,
               created_at timestamptz not null default now());
             """, connection, transaction);
        command.ExecuteNonQuery();
        transaction.Commit();
        tableReady = true;
    }
}
