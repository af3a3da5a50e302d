using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Engine.Store;

/// <summary>
/// One table of records kept as JSON, one row each, keyed by <c>key</c> and, when the table has one, also unique by
/// <c>name</c>. Each change is one statement (one transaction): after a crash a record is as it was or as it became.
/// </summary>
internal sealed class RecordTable<T>
{
    private readonly EngineDatabase _database;
    private readonly string _table;
    private readonly string _key;
    private readonly bool _named;
    private readonly JsonTypeInfo<T> _typeInfo;

    /// <param name="key">The primary key's column (<c>id</c>, or <c>name</c> for a table keyed by name).</param>
    /// <param name="named">Whether the table also has a unique <c>name</c> column besides <paramref name="key"/>.</param>
    public RecordTable(EngineDatabase database, string table, string key, bool named, JsonTypeInfo<T> typeInfo)
    {
        (_database, _table, _key, _named, _typeInfo) = (database, table, key, named, typeInfo);
        using var connection = database.Open();
        EngineDatabase.Execute(connection, named
            ? $"CREATE TABLE IF NOT EXISTS {table} ({key} TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, record TEXT NOT NULL)"
            : $"CREATE TABLE IF NOT EXISTS {table} ({key} TEXT PRIMARY KEY, record TEXT NOT NULL)");
    }

    public IReadOnlyList<T> LoadAll()
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT record FROM {_table}";
        using var reader = command.ExecuteReader();
        var records = new List<T>();
        while (reader.Read()) records.Add(JsonSerializer.Deserialize(reader.GetString(0), _typeInfo)!);
        return records;
    }

    /// <summary>Inserts or replaces the record under <paramref name="key"/> (and <paramref name="name"/> in a named table).</summary>
    public void Save(string key, string? name, T record) => SaveJson(key, name, JsonSerializer.Serialize(record, _typeInfo));

    /// <summary><see cref="Save"/> of a record its owner serialized (under its own lock).</summary>
    public void SaveJson(string key, string? name, string json)
    {
        using var connection = _database.Open();
        if (_named)
            EngineDatabase.Execute(connection,
                $"INSERT INTO {_table} ({_key}, name, record) VALUES ($key, $name, $record) " +
                $"ON CONFLICT({_key}) DO UPDATE SET name = excluded.name, record = excluded.record",
                ("$key", key), ("$name", name), ("$record", json));
        else
            EngineDatabase.Execute(connection,
                $"INSERT INTO {_table} ({_key}, record) VALUES ($key, $record) ON CONFLICT({_key}) DO UPDATE SET record = excluded.record",
                ("$key", key), ("$record", json));
    }

    public void Delete(string key)
    {
        using var connection = _database.Open();
        EngineDatabase.Execute(connection, $"DELETE FROM {_table} WHERE {_key} = $key", ("$key", key));
    }

    /// <summary>The serialized form of <paramref name="record"/>, for owners that serialize under a lock of theirs.</summary>
    public string Serialize(T record) => JsonSerializer.Serialize(record, _typeInfo);
}
