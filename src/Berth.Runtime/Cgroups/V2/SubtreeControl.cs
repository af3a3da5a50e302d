namespace Berth.Runtime.Cgroups.V2;

/// <summary>cgroup v2 delegation: a controller's files appear in a cgroup only when its parent lists the controller
/// in cgroup.subtree_control.</summary>
internal static class SubtreeControl
{
    /// <summary>
    /// Enables, in this cgroup's subtree_control, every controller it has available (cgroup.controllers) that is not
    /// enabled yet, as runc does. A refused controller fails the whole write, so on failure each is retried alone;
    /// one that stays off surfaces later as a missing control file when a limit needs it.
    /// </summary>
    public static void EnableAvailable(CgroupDirectory dir)
    {
        var available = Words(dir.Read("cgroup.controllers"));
        var enabled = Words(dir.Read("cgroup.subtree_control"));
        var missing = available.Except(enabled).ToList();
        if (missing.Count == 0) return;
        if (dir.TryWrite("cgroup.subtree_control", string.Join(' ', missing.Select(c => "+" + c))) is null) return;
        foreach (var controller in missing) dir.TryWrite("cgroup.subtree_control", "+" + controller);
    }

    private static string[] Words(string text) =>
        text.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries);
}
