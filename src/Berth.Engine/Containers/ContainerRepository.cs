using System.Text.Json;
using Berth.Engine.Store;

namespace Berth.Engine.Containers;

/// <summary>
/// The containers table: one row per container, its record as JSON. Each save is one statement (one transaction),
/// so after a crash a container is either as it was or as it became.
/// </summary>
internal sealed class ContainerRepository
{
    private readonly EngineDatabase _database;

    public ContainerRepository(EngineDatabase database)
    {
        _database = database;
        using var connection = database.Open();
        EngineDatabase.Execute(connection,
            "CREATE TABLE IF NOT EXISTS containers (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, record TEXT NOT NULL)");
    }

    public IReadOnlyList<Container> LoadAll()
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT record FROM containers";
        using var reader = command.ExecuteReader();
        var containers = new List<Container>();
        while (reader.Read())
            containers.Add(JsonSerializer.Deserialize(reader.GetString(0), EngineJsonContext.Default.Container)!);
        return containers;
    }

    public void Save(Container container)
    {
        string json;
        lock (container.Lock) json = JsonSerializer.Serialize(container, EngineJsonContext.Default.Container);
        using var connection = _database.Open();
        EngineDatabase.Execute(connection,
            "INSERT INTO containers (id, name, record) VALUES ($id, $name, $record) " +
            "ON CONFLICT(id) DO UPDATE SET name = excluded.name, record = excluded.record",
            ("$id", container.Id), ("$name", container.Name), ("$record", json));
    }

    public void Delete(string id)
    {
        using var connection = _database.Open();
        EngineDatabase.Execute(connection, "DELETE FROM containers WHERE id = $id", ("$id", id));
    }
}
