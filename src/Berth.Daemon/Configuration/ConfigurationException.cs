namespace Berth.Daemon.Configuration;

/// <summary>A command line or daemon.json that berthd refuses; the message is dockerd's where dockerd has one.</summary>
public sealed class ConfigurationException(string message) : Exception(message);
