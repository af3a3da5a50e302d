namespace Berth.Engine.System;

/// <summary>The Engine API levels Berth speaks, and its own version (a plain semver, as tools compare it).</summary>
public static class EngineVersion
{
    public const string Product = "25.0.0";
    public static readonly Version MaxApi = new(1, 44);
    public static readonly Version MinApi = new(1, 24);
}
