using Berth.Testing;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Berth.Conformance.Cgroups;

/// <summary>Marks a conformance implementation class that runs against the real kernel: its inherited tests are
/// skipped without root locally, and run (and fail) without root when CI=true, like [PrivilegedFact].</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class NeedsRootAttribute : Attribute;

/// <summary>A [Fact] of an abstract conformance suite; skipped for [NeedsRoot] implementations when not root (and not CI);
/// a check that does not apply to a layout skips itself through <see cref="Skip"/>.</summary>
[XunitTestCaseDiscoverer("Berth.Conformance.Cgroups.ConformanceFactDiscoverer", "Berth.Conformance")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ConformanceFactAttribute : FactAttribute;

public sealed class ConformanceFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    protected override IXunitTestCase CreateTestCase(
        ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var needsRoot = testMethod.TestClass.Class.GetCustomAttributes(typeof(NeedsRootAttribute).AssemblyQualifiedName!).Any();
        if (needsRoot && !Privileges.IsRoot && !Privileges.IsCi)
        {
            return new SkippedTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, Privileges.SkipReason);
        }
        return new SkippableTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
            discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
    }
}

/// <summary>A test case skipped for a reason decided at discovery (carried through serialization).</summary>
public sealed class SkippedTestCase : XunitTestCase
{
    private string _reason = "";

    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public SkippedTestCase()
    {
    }

    public SkippedTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod method, string reason)
        : base(sink, display, options, method) => _reason = reason;

    protected override string GetSkipReason(IAttributeInfo factAttribute) => _reason;

    public override void Serialize(IXunitSerializationInfo data)
    {
        base.Serialize(data);
        data.AddValue("SkipReason", _reason);
    }

    public override void Deserialize(IXunitSerializationInfo data)
    {
        _reason = data.GetValue<string>("SkipReason");
        base.Deserialize(data);
    }
}
