using Berth.Oci.Image;
using Microsoft.Data.Sqlite;

namespace Berth.Images.Index;

/// <summary>
/// The durable <see cref="IImageIndex"/>: SQLite in WAL mode, one transaction per change. Its tables are prefixed
/// <c>image_</c> and created if missing, so the engine can keep its own tables in the same file (<c>&lt;data-root&gt;/berth.db</c>).
/// <code>
/// image_images     (id PK, manifest_digest, manifest_media_type, created, last_tag_time)
/// image_layers     (image_id → image_images ON DELETE CASCADE, position, blob, media_type, blob_size, diff_id, chain_id, diff_size)
/// image_references (reference PK, image_id → image_images ON DELETE CASCADE)
/// </code>
/// Times are stored as ISO 8601 text with their offset, so they read back exactly.
/// </summary>
public sealed class SqliteImageIndex : IImageIndex
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS image_images (
            id TEXT PRIMARY KEY NOT NULL,
            manifest_digest TEXT NOT NULL,
            manifest_media_type TEXT NOT NULL,
            created TEXT NOT NULL,
            last_tag_time TEXT NULL);
        CREATE TABLE IF NOT EXISTS image_layers (
            image_id TEXT NOT NULL REFERENCES image_images(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            blob TEXT NOT NULL,
            media_type TEXT NOT NULL,
            blob_size INTEGER NOT NULL,
            diff_id TEXT NOT NULL,
            chain_id TEXT NOT NULL,
            diff_size INTEGER NOT NULL,
            PRIMARY KEY (image_id, position));
        CREATE TABLE IF NOT EXISTS image_references (
            reference TEXT PRIMARY KEY NOT NULL,
            image_id TEXT NOT NULL REFERENCES image_images(id) ON DELETE CASCADE);
        CREATE INDEX IF NOT EXISTS image_references_by_image ON image_references(image_id);
        """;

    private readonly string _connectionString;

    /// <summary>Opens (creating if needed) the database at <paramref name="path"/> and its <c>image_</c> tables.</summary>
    public SqliteImageIndex(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            ForeignKeys = true,
            DefaultTimeout = 30,
        }.ToString();
        using var connection = Open();
        Execute(connection, null, Schema);
    }

    private bool _wal;

    public Task<ImageRecord?> GetAsync(Digest id, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        return Task.FromResult(ReadImages(connection, "WHERE id = $id", ("$id", id.ToString())).FirstOrDefault());
    }

    public Task<IReadOnlyList<ImageRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        return Task.FromResult<IReadOnlyList<ImageRecord>>(ReadImages(connection, ""));
    }

    public Task<Digest?> ResolveAsync(string reference, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = Command(connection, null, "SELECT image_id FROM image_references WHERE reference = $r", ("$r", reference));
        return Task.FromResult(command.ExecuteScalar() is string id ? Digest.Parse(id) : (Digest?)null);
    }

    public Task<IReadOnlyList<KeyValuePair<string, Digest>>> ReferencesAsync(CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = Command(connection, null, "SELECT reference, image_id FROM image_references");
        using var reader = command.ExecuteReader();
        var references = new List<KeyValuePair<string, Digest>>();
        while (reader.Read()) references.Add(new(reader.GetString(0), Digest.Parse(reader.GetString(1))));
        return Task.FromResult<IReadOnlyList<KeyValuePair<string, Digest>>>(references);
    }

    public Task PutAsync(ImageRecord image, IReadOnlyCollection<string> references, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        var id = image.Id.ToString();
        var lastTag = references.Count > 0 ? now : image.LastTagTime;
        Execute(connection, transaction, "DELETE FROM image_layers WHERE image_id = $id", ("$id", id));
        Execute(connection, transaction, """
            INSERT INTO image_images (id, manifest_digest, manifest_media_type, created, last_tag_time) VALUES ($id, $m, $mt, $c, $t)
            ON CONFLICT(id) DO UPDATE SET manifest_digest = $m, manifest_media_type = $mt, created = $c, last_tag_time = $t
            """,
            ("$id", id), ("$m", image.ManifestDigest.ToString()), ("$mt", image.ManifestMediaType), ("$c", Time(image.Created)), ("$t", Time(lastTag)));
        for (var i = 0; i < image.Layers.Count; i++)
        {
            var layer = image.Layers[i];
            Execute(connection, transaction, """
                INSERT INTO image_layers (image_id, position, blob, media_type, blob_size, diff_id, chain_id, diff_size)
                VALUES ($id, $p, $b, $mt, $bs, $d, $c, $ds)
                """,
                ("$id", id), ("$p", i), ("$b", layer.Blob.ToString()), ("$mt", layer.MediaType), ("$bs", layer.BlobSize),
                ("$d", layer.DiffId.ToString()), ("$c", layer.ChainId.ToString()), ("$ds", layer.DiffSize));
        }
        foreach (var reference in references) SetReference(connection, transaction, reference, id);
        transaction.Commit();
        return Task.CompletedTask;
    }

    public Task<Digest?> SetReferenceAsync(string reference, Digest id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        var updated = Execute(connection, transaction, "UPDATE image_images SET last_tag_time = $t WHERE id = $id", ("$t", Time(now)), ("$id", id.ToString()));
        if (updated == 0) throw new KeyNotFoundException($"image {id} not found");
        using var query = Command(connection, transaction, "SELECT image_id FROM image_references WHERE reference = $r", ("$r", reference));
        var previous = query.ExecuteScalar() is string old ? Digest.Parse(old) : (Digest?)null;
        SetReference(connection, transaction, reference, id.ToString());
        transaction.Commit();
        return Task.FromResult(previous);
    }

    public Task<bool> RemoveReferenceAsync(string reference, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        return Task.FromResult(Execute(connection, null, "DELETE FROM image_references WHERE reference = $r", ("$r", reference)) > 0);
    }

    public Task<bool> DeleteAsync(Digest id, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        // Layers and references go with the image through ON DELETE CASCADE, in the same statement's transaction.
        return Task.FromResult(Execute(connection, null, "DELETE FROM image_images WHERE id = $id", ("$id", id.ToString())) > 0);
    }

    private static void SetReference(SqliteConnection connection, SqliteTransaction transaction, string reference, string id) =>
        Execute(connection, transaction, """
            INSERT INTO image_references (reference, image_id) VALUES ($r, $id) ON CONFLICT(reference) DO UPDATE SET image_id = $id
            """, ("$r", reference), ("$id", id));

    private static List<ImageRecord> ReadImages(SqliteConnection connection, string where, params (string, object)[] parameters)
    {
        var layers = new Dictionary<string, List<ImageLayer>>(StringComparer.Ordinal);
        using (var command = Command(connection, null, $"""
            SELECT image_id, blob, media_type, blob_size, diff_id, chain_id, diff_size FROM image_layers
            WHERE image_id IN (SELECT id FROM image_images {where}) ORDER BY image_id, position
            """, parameters))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var list = layers.TryGetValue(reader.GetString(0), out var l) ? l : layers[reader.GetString(0)] = [];
                list.Add(new ImageLayer(Digest.Parse(reader.GetString(1)), reader.GetString(2), reader.GetInt64(3),
                    Digest.Parse(reader.GetString(4)), Digest.Parse(reader.GetString(5)), reader.GetInt64(6)));
            }
        }
        var images = new List<ImageRecord>();
        using (var command = Command(connection, null, $"SELECT id, manifest_digest, manifest_media_type, created, last_tag_time FROM image_images {where}", parameters))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var id = reader.GetString(0);
                images.Add(new ImageRecord(Digest.Parse(id), Digest.Parse(reader.GetString(1)), reader.GetString(2),
                    DateTimeOffset.Parse(reader.GetString(3), System.Globalization.CultureInfo.InvariantCulture),
                    layers.GetValueOrDefault(id) ?? [],
                    reader.IsDBNull(4) ? null : DateTimeOffset.Parse(reader.GetString(4), System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
        return images;
    }

    /// <summary>
    /// A pooled connection. WAL is a property of the file, set once it can be: switching needs a moment alone with the
    /// file, so while another connection (the engine's) holds it the switch is retried at the next open.
    /// </summary>
    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        if (!Volatile.Read(ref _wal))
        {
            using var command = Command(connection, null, "PRAGMA journal_mode = WAL");
            Volatile.Write(ref _wal, command.ExecuteScalar() is string mode && mode.Equals("wal", StringComparison.OrdinalIgnoreCase));
        }
        return connection;
    }

    private static int Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string, object)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }

    private static object Time(DateTimeOffset? time) => time is { } t ? t.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : DBNull.Value;
}
