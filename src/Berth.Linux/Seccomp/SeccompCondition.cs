using System.Runtime.InteropServices;

namespace Berth.Linux.Seccomp;

/// <summary><c>enum scmp_compare</c>.</summary>
public enum SeccompOperator
{
    NotEqual = 1,
    LessThan = 2,
    LessOrEqual = 3,
    Equal = 4,
    GreaterOrEqual = 5,
    GreaterThan = 6,

    /// <summary>(argument &amp; <see cref="SeccompCondition.DatumA"/>) == <see cref="SeccompCondition.DatumB"/>.</summary>
    MaskedEqual = 7,
}

/// <summary>
/// <c>struct scmp_arg_cmp</c>: compares syscall argument <see cref="Argument"/> (0–5) with <see cref="DatumA"/>,
/// or, for <see cref="SeccompOperator.MaskedEqual"/>, masks it with <see cref="DatumA"/> and compares with <see cref="DatumB"/>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct SeccompCondition(uint Argument, SeccompOperator Operator, ulong DatumA, ulong DatumB = 0)
{
    /// <summary>Linux syscalls take at most six arguments.</summary>
    public const int MaxArguments = 6;
}
