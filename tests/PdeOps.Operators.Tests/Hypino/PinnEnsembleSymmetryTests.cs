using PdeOps.Operators.Checkpoints;
using PdeOps.Operators.Hypino;
using PdeOps.Operators.Pinn;
using PdeOps.Physics.Manufactured;
using PdeOps.Physics.Pde;

namespace PdeOps.Operators.Tests.Hypino;

// A member added with a symmetry g answers g(P): the ensemble evaluates it at g(p), times the data's sign.
public class PinnEnsembleSymmetryTests
{
    static readonly PinnOptions Small = new() { Width = 16, HiddenLayers = 2, FourierFeatures = 4, Seed = 5 };
    static readonly double[] X = [-0.7, -0.2, 0.1, 0.45, 0.9], Y = [0.8, -0.5, 0.3, -0.9, 0.05];
    static readonly LinearOperator2D Operator = new(0.5, 1.5, -0.7, 1, 2, 0.3);

    [Fact]
    public void AMappedMemberIsTheNetworkAtTheMappedPointsAndItsOperatorIsTheMappedOne()
    {
        using var network = new PinnNetwork(Small);
        using var plain = new PinnEnsemble(Small);
        plain.Add(network.Flat());
        foreach (var g in ProblemSymmetry.Of(Operator, SymmetryAveraging.Full).Where(g => !g.MovesNoPoint || g.NegateData))
        {
            using var mapped = new PinnEnsemble(Small);
            mapped.Add(network.Flat(), 0.5, g);
            var (gx, gy) = (new double[X.Length], new double[X.Length]);
            for (int k = 0; k < X.Length; k++) (gx[k], gy[k]) = g.Map(X[k], Y[k]);
            var (u, v) = (mapped.Predict(X, Y), plain.Predict(gx, gy));
            for (int k = 0; k < X.Length; k++) Assert.Equal(0.5 * g.Sign * v[k], u[k], 1e-6);
            // u = s v o g solves L u = s (L_g v) o g: autograd through the map agrees with the mapped operator.
            var (du, dv) = (mapped.Derivatives(X, Y, Operator), plain.Derivatives(gx, gy, g.Apply(Operator)));
            for (int k = 0; k < X.Length; k++) Assert.Equal(0.5 * g.Sign * dv.Applied[k], du.Applied[k], 1e-4 * (1 + Math.Abs(du.Applied[k])));
        }
    }

    [Fact]
    public void MapsAreSavedAndLoadedAndAnEnsembleWithoutThemIsWrittenAsBefore()
    {
        var folder = Path.Combine(Path.GetTempPath(), "pdeops-ensemble-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            using var network = new PinnNetwork(Small);
            using var u = new PinnEnsemble(Small);
            var symmetries = ProblemSymmetry.Of(Operator, SymmetryAveraging.Full);
            foreach (var g in symmetries) u.Add(network.Flat(), 1.0 / symmetries.Count, g);
            string file = Path.Combine(folder, "u.pinn.json");
            u.Save(file);
            using var loaded = PinnEnsemble.Load(file);
            Assert.Equal(symmetries.Select(g => g.PointMap), loaded.PointMaps);
            var (expected, actual) = (u.Predict(X, Y), loaded.Predict(X, Y));
            for (int k = 0; k < X.Length; k++) Assert.Equal(expected[k], actual[k], 1e-6);
            Assert.Contains("\"version\":2", File.ReadAllText(file));

            // Without a map the file is the version-1 file older readers know.
            using var plain = new PinnEnsemble(Small);
            plain.Add(network.Flat());
            string other = Path.Combine(folder, "plain.pinn.json");
            plain.Save(other);
            var text = File.ReadAllText(other);
            Assert.Contains("\"version\":1", text);
            Assert.DoesNotContain("\"maps\"", text);

            // A map that is not three booleans, or a list of another length, is a damaged file.
            foreach (var (bad, reason) in new[] { ("[true,false]", "map 0 is not three booleans"), ("[[true,false,1]]", "map 0 is not three booleans") })
            {
                File.WriteAllText(other, text.Replace("\"members\":", $"\"maps\":{(bad.StartsWith("[[", StringComparison.Ordinal) ? bad : "[" + bad + "]")},\"members\":"));
                Assert.Contains(reason, Assert.Throws<CheckpointException>(() => PinnEnsemble.Load(other)).Message);
            }
            File.WriteAllText(other, text.Replace("\"members\":", "\"maps\":[[true,false,false],[false,false,false]],\"members\":"));
            Assert.Contains("2 maps for 1 members", Assert.Throws<CheckpointException>(() => PinnEnsemble.Load(other)).Message);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
