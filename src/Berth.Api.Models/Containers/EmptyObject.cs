namespace Berth.Api.Models.Containers;

/// <summary>Go's <c>struct{}</c> as a map value: <c>ExposedPorts</c> and <c>Volumes</c> are <c>{"80/tcp": {}}</c>.</summary>
public sealed class EmptyObject;
