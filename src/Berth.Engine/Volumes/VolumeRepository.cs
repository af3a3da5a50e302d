using System.Text.Json;
using Berth.Engine.Store;

namespace Berth.Engine.Volumes;

/// <summary>The volumes table: one row per volume, its record as JSON; each change one statement.</summary>
internal sealed class VolumeRepository
{
    private readonly EngineDatabase _database;

    public VolumeRepository(EngineDatabase database)
    {
        _database = database;
        using var connection = database.Open();
        EngineDatabase.Execute(connection, "CREATE TABLE IF NOT EXISTS volumes (name TEXT PRIMARY KEY, record TEXT NOT NULL)");
    }

    public IReadOnlyList<Volume> LoadAll()
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT record FROM volumes";
        using var reader = command.ExecuteReader();
        var volumes = new List<Volume>();
        while (reader.Read()) volumes.Add(JsonSerializer.Deserialize(reader.GetString(0), EngineJsonContext.Default.Volume)!);
        return volumes;
    }

    public void Save(Volume volume)
    {
        using var connection = _database.Open();
        EngineDatabase.Execute(connection,
            "INSERT INTO volumes (name, record) VALUES ($name, $record) ON CONFLICT(name) DO UPDATE SET record = excluded.record",
            ("$name", volume.Name), ("$record", JsonSerializer.Serialize(volume, EngineJsonContext.Default.Volume)));
    }

    public void Delete(string name)
    {
        using var connection = _database.Open();
        EngineDatabase.Execute(connection, "DELETE FROM volumes WHERE name = $name", ("$name", name));
    }
}
