using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Contract;
using SipConformance.Running.Probes;
using SipConformance.Tests.Rules;

namespace SipConformance.Tests.Reporting;

public class NearestPassingTests
{
    private static JsonObject With(string field, JsonNode? value)
    {
        var p = Exchanges.Payload();
        p[field] = value;
        return p;
    }

    [Test]
    public void The_nearest_passing_payload_differs_in_the_fewest_fields_and_not_in_none()
    {
        var failing = Exchanges.Payload();
        var nearest = new NearestPassing();
        var far = With(FieldNames.SendAs, "far");
        far[FieldNames.CallerId] = "+1555";
        nearest.Passed(far);
        nearest.Passed(failing.DeepClone()); // the same payload passing is no neighbour
        var near = With(FieldNames.Encryption, "optional");
        nearest.Passed(near);

        nearest.To(failing).Should().BeSameAs(near);
        NearestPassing.Distance(failing, far).Should().Be(2);
        NearestPassing.Distance(failing, With(FieldNames.Id, null)).Should().Be(1);
        var missing = Exchanges.Payload();
        missing.Remove(FieldNames.Codecs);
        NearestPassing.Distance(failing, missing).Should().Be(1, "a field present in one only differs");
    }

    [Test]
    public void Nothing_passed_means_no_neighbour()
    {
        new NearestPassing().To(Exchanges.Payload()).Should().BeNull();
        var n = new NearestPassing();
        n.Passed(Exchanges.Payload());
        n.To(null).Should().BeNull();
    }
}
