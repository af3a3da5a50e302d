using System.Text.Json;
using Berth.Engine.Store;

namespace Berth.Engine.Networks;

/// <summary>The networks table: one row per network, its record as JSON; each change one statement.</summary>
internal sealed class NetworkRepository
{
    private readonly EngineDatabase _database;

    public NetworkRepository(EngineDatabase database)
    {
        _database = database;
        using var connection = database.Open();
        EngineDatabase.Execute(connection,
            "CREATE TABLE IF NOT EXISTS networks (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, record TEXT NOT NULL)");
    }

    public IReadOnlyList<NetworkRecord> LoadAll()
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT record FROM networks";
        using var reader = command.ExecuteReader();
        var networks = new List<NetworkRecord>();
        while (reader.Read())
            networks.Add(JsonSerializer.Deserialize(reader.GetString(0), EngineJsonContext.Default.NetworkRecord)!);
        return networks;
    }

    public void Insert(NetworkRecord network)
    {
        using var connection = _database.Open();
        EngineDatabase.Execute(connection, "INSERT INTO networks (id, name, record) VALUES ($id, $name, $record)",
            ("$id", network.Id), ("$name", network.Name),
            ("$record", JsonSerializer.Serialize(network, EngineJsonContext.Default.NetworkRecord)));
    }

    public void Delete(string id)
    {
        using var connection = _database.Open();
        EngineDatabase.Execute(connection, "DELETE FROM networks WHERE id = $id", ("$id", id));
    }
}
