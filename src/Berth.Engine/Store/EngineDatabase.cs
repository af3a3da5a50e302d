using Microsoft.Data.Sqlite;

namespace Berth.Engine.Store;

/// <summary>
/// <c>&lt;data-root&gt;/berth.db</c>: the daemon's metadata in SQLite, write-ahead logged, so that every change is one
/// transaction and a crash at any point leaves either the old or the new row, never half of one.
/// </summary>
public sealed class EngineDatabase
{
    private readonly string _connectionString;

    public EngineDatabase(string path)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
    }

    public string Path { get; }

    /// <summary>An open connection with the daemon's settings; the caller disposes it (the pool keeps the file open).</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // NORMAL is durable in WAL mode except for the last commits before a power loss; never torn.
        Execute(connection, "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;");
        return connection;
    }

    public static void Execute(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        command.ExecuteNonQuery();
    }
}
