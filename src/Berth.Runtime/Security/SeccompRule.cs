using Berth.Linux.Seccomp;

namespace Berth.Runtime.Security;

/// <summary>One libseccomp rule: <see cref="Action"/> for <see cref="Syscall"/> (native number <see cref="Number"/>) when every condition holds.</summary>
public sealed record SeccompRule(string Syscall, int Number, SeccompAction Action, IReadOnlyList<SeccompCondition> Conditions);
