using System.Data.Common;

namespace BuildingBlocks;

/// <summary>PostgreSQL transaction-level advisory locks: held until the surrounding transaction ends, waited for, never leaked.</summary>
public static class AdvisoryLock
{
    /// <summary>A lock key for one id within a module's own key space, so that modules never wait on each other's locks.</summary>
    public static long Key(Guid id, long keySpace = 0) => BitConverter.ToInt64(id.ToByteArray(), 0) ^ keySpace;

    /// <summary>Takes the lock on a connection that has an open transaction.</summary>
    public static async Task TakeAsync(DbConnection connection, long key, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "select pg_advisory_xact_lock(@key)";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "key";
        parameter.Value = key;
        command.Parameters.Add(parameter);
        await command.ExecuteNonQueryAsync(ct);
    }
}
