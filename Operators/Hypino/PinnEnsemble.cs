using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PdeOps.Operators.Checkpoints;
using PdeOps.Operators.Pinn;
using PdeOps.Operators.Runtime;
using PdeOps.Physics.IO;
using PdeOps.Physics.Manufactured;
using PdeOps.Physics.Pde;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PdeOps.Operators.Hypino;

/// <summary>
/// A solution written as the sum of PINNs of one <see cref="PinnOptions"/> shape: what
/// <see cref="Hypino.Solve"/> returns (one member zero-shot, one more per refinement round). It
/// evaluates at any points, is fine-tuned as one network (every member's weights train together;
/// the sum of linear problems' corrections solves the linear problem), and is saved as a small
/// self-describing JSON file. A member may answer the problem as a symmetry g moves it
/// (<see cref="ProblemSymmetry"/>): it is then evaluated at g(p). Evaluation is thread-safe.
/// </summary>
public sealed class PinnEnsemble : IDisposable
{
    /// <summary>Value of "format" in the saved file.</summary>
    public const string FormatName = "pdeops-pinn";
    // Version 2 adds each member's point map; files without one are written as version 1.
    const int Version = 2;
    readonly Lock gate = new();
    readonly Tensor frequencies;
    readonly List<Dictionary<string, Tensor>> members = [];
    readonly List<ProblemSymmetry> maps = [];
    bool disposed;

    /// <summary>An empty ensemble (u = 0) of networks shaped by <paramref name="options"/>.</summary>
    public PinnEnsemble(PinnOptions options)
    {
        Options = options.Validated();
        // Owned by the ensemble, not by the scope it happens to be created in.
        frequencies = BatchedPinn.Frequencies(options).DetachFromDisposeScope();
    }

    /// <summary>The shape every member has.</summary>
    public PinnOptions Options { get; }

    /// <summary>Members in the sum.</summary>
    public int Count => members.Count;

    /// <summary>
    /// Adds a member from flat parameters (in <see cref="PinnOptions.ParameterShapes"/> order)
    /// multiplied by <paramref name="scale"/> (folded into the output layer). Given a
    /// <paramref name="symmetry"/> g, the member is a network that answers g(P) and contributes
    /// scale · s · net(g(p)) to the answer to P.
    /// </summary>
    public void Add(Tensor flat, double scale = 1, ProblemSymmetry symmetry = default)
    {
        ArgumentNullException.ThrowIfNull(flat);
        scale *= symmetry.Sign;
        var shapes = Options.ParameterShapes();
        long expected = shapes.Sum(s => s.Shape.Aggregate(1L, (a, b) => a * b));
        if (flat.numel() != expected) throw new ArgumentException($"a member of this shape has {expected} parameters, got {flat.numel()}");
        var named = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        long offset = 0;
        using var _ = no_grad();
        var values = flat.detach().reshape(-1).to(float32);
        foreach (var (name, shape) in shapes)
        {
            long count = shape.Aggregate(1L, (a, b) => a * b);
            var part = values.narrow(0, offset, count).reshape(shape).clone();
            if (PinnOutputLayer.Holds(name)) part.ScaleInPlace(scale);
            part.DetachFromDisposeScope();
            named[name] = part;
            offset += count;
        }
        lock (gate)
        {
            members.Add(named);
            maps.Add(symmetry.PointMap);
        }
    }

    /// <summary>Each member's map of points, in the order they were added (the identity for a plain member).</summary>
    public IReadOnlyList<ProblemSymmetry> PointMaps
    {
        get { lock (gate) return maps.ToArray(); }
    }

    /// <summary>Removes the member added last (a correction that did not help).</summary>
    internal void RemoveLast()
    {
        lock (gate)
        {
            foreach (var t in members[^1].Values) t.Dispose();
            members.RemoveAt(members.Count - 1);
            maps.RemoveAt(maps.Count - 1);
        }
    }

    /// <summary>u at points (P, 2) as a differentiable tensor (P): the sum of the members.</summary>
    public Tensor Forward(Tensor points) => outputMultiplier == 1 ? UnitForward(points) : UnitForward(points) * outputMultiplier;

    // 1 except while the ensemble trains in units of 1 (InUnitScale).
    double outputMultiplier = 1;

    /// <summary>Divides every member's output layer by <paramref name="scale"/> and multiplies the output by it until disposed: <see cref="UnitForward"/> then trains in units of 1.</summary>
    internal OutputScaleScope InUnitScale(double scale) => new(scale, keepAnswer: true, ScaleOutputs, m => outputMultiplier = m);

    /// <summary>The sum of the members as their weights give it, without the multiplier of <see cref="InUnitScale"/>.</summary>
    internal Tensor UnitForward(Tensor points)
    {
        if (members.Count == 0) return zeros(points.shape[0], dtype: points.dtype) * points[TensorIndex.Colon, 0];
        var stacked = Options.ParameterShapes().ToDictionary(s => s.Name, s => stack(members.Select(m => m[s.Name]).ToArray()), StringComparer.Ordinal);
        var expanded = maps.All(m => m.MovesNoPoint)
            ? points.unsqueeze(0).expand(members.Count, -1, -1)
            : matmul(points.unsqueeze(0), MapMatrices(maps, points).transpose(1, 2));
        return BatchedPinn.Evaluate(Options, stacked, frequencies, expanded).sum(dim: 0);
    }

    // The maps' matrices (M, 2, 2), on the points' device and type.
    static Tensor MapMatrices(IEnumerable<ProblemSymmetry> maps, Tensor points) =>
        tensor(maps.SelectMany(m => m.Matrix()).ToArray()).reshape(-1, 2, 2).to(points.dtype).to(points.device);

    /// <summary>
    /// Replaces every member's output layer by the joint least-squares minimum of the MSE PINN loss
    /// of <paramref name="op"/> on <paramref name="points"/> (exact: u, L u and ∂u/∂n are linear in
    /// those weights), hidden layers held; returns false, changing nothing, when the fit does not
    /// lower the loss.
    /// </summary>
    public bool FitOutputLayers(LinearOperator2D op, PinnCollocation points, PinnLoss loss)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return OutputLayerFit.Fit(this, op, points, loss);
    }

    /// <summary>
    /// Member <paramref name="index"/>'s last hidden layer at points (width, P, 2), feature k at
    /// points[k]; returns (width, P). Each feature depends only on its own copy of the points,
    /// so one gradient of the sum differentiates every feature.
    /// </summary>
    internal Tensor MemberFeatures(int index, Tensor points)
    {
        long width = Options.Width;
        var expanded = members[index].ToDictionary(p => p.Key, p => p.Value.unsqueeze(0).expand([width, .. p.Value.shape]), StringComparer.Ordinal);
        if (!maps[index].MovesNoPoint) points = matmul(points, MapMatrices([maps[index]], points).squeeze(0).t());
        return BatchedPinn.Features(Options, expanded, frequencies, points).diagonal(0, 0, 2).t();
    }

    /// <summary>Multiplies every member's output layer by <paramref name="factor"/>, and so u.</summary>
    internal void ScaleOutputs(double factor)
    {
        lock (gate)
            foreach (var member in members) PinnOutputLayer.Scale(member, factor);
    }

    /// <summary>Member <paramref name="index"/>'s output weights and bias as one vector (width + 1).</summary>
    internal Tensor OutputLayer(int index)
    {
        lock (gate) return cat([members[index]["output.weight"].detach().reshape(-1), members[index]["output.bias"].detach().reshape(-1)]);
    }

    /// <summary>Sets member <paramref name="index"/>'s output weights and bias from one vector (width + 1), as <see cref="OutputLayer"/> gives them.</summary>
    internal void SetOutputLayer(int index, Tensor layer)
    {
        lock (gate)
        {
            using var _ = no_grad();
            members[index]["output.weight"].copy_(layer.narrow(0, 0, Options.Width).reshape(1, -1));
            members[index]["output.bias"].copy_(layer.narrow(0, Options.Width, 1));
        }
    }

    /// <summary>u at the points (x[i], y[i]).</summary>
    public double[] Predict(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return PinnPointBlocks.Evaluate(x, y, Forward);
        }
    }

    /// <summary>u, its derivatives and L u at the points (x[i], y[i]), through autograd.</summary>
    public (double[] U, double[] Ux, double[] Uy, double[] Applied) Derivatives(ReadOnlySpan<double> x, ReadOnlySpan<double> y, LinearOperator2D op)
    {
        var points = new float[2 * x.Length];
        for (int i = 0; i < x.Length; i++) (points[2 * i], points[2 * i + 1]) = ((float)x[i], (float)y[i]);
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            using var scope = NewDisposeScope();
            var d = PinnDerivatives.Of(Forward, tensor(points).reshape(x.Length, 2));
            double[] Values(Tensor t) => t.detach().to(float64).data<double>().ToArray();
            return (Values(d.U), Values(d.Ux), Values(d.Uy), Values(d.Apply(op)));
        }
    }

    /// <summary>
    /// Makes every member's weights trainable and returns them, for fine-tuning with an optimizer;
    /// the ensemble then evaluates with the trained values.
    /// </summary>
    public IReadOnlyList<Parameter> Trainable()
    {
        var result = new List<Parameter>();
        lock (gate)
        {
            foreach (var member in members)
                foreach (var name in member.Keys.ToList())
                {
                    if (member[name] is not Parameter p)
                    {
                        p = new Parameter(member[name].detach().clone());
                        p.DetachFromDisposeScope();
                        member[name].Dispose();
                    }
                    member[name] = p;
                    result.Add(p);
                }
        }
        return result;
    }

    /// <summary>Writes the ensemble as JSON (shape, members' parameters, a description of the problem) under a temporary name, then renames it.</summary>
    public void Save(string path, JsonObject? about = null)
    {
        var list = new JsonArray();
        ProblemSymmetry[] pointMaps;
        lock (gate)
        {
            foreach (var member in members)
            {
                var flat = cat(Options.ParameterShapes().Select(s => member[s.Name].detach().reshape(-1)).ToArray()).data<float>().ToArray();
                list.Add(new JsonArray(flat.Select(v => (JsonNode?)v).ToArray()));
            }
            pointMaps = maps.ToArray();
        }
        bool mapped = !pointMaps.All(m => m.MovesNoPoint);
        var json = new JsonObject
        {
            ["format"] = FormatName,
            ["version"] = mapped ? Version : 1,
            ["pinn"] = JsonSerializer.SerializeToNode(Options, HypinoCheckpoint.Json),
            ["about"] = about?.DeepClone(),
            ["pdeops_version"] = PdeOpsVersion.Current,
            ["members"] = list,
        };
        if (mapped) json["maps"] = new JsonArray(pointMaps.Select(m => (JsonNode?)new JsonArray(m.Transpose, m.NegateX, m.NegateY)).ToArray());
        OperatorCheckpoint.WriteAtomically(path, json.ToJsonString());
    }

    /// <summary>Reads an ensemble written by <see cref="Save"/>.</summary>
    /// <exception cref="CheckpointException">The file is missing, not a PINN file, or damaged.</exception>
    public static PinnEnsemble Load(string path)
    {
        if (!File.Exists(path)) throw new CheckpointException(path, "no such PINN file");
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new FormatException("not a JSON object");
            if (json["format"]?.GetValue<string>() != FormatName) throw new FormatException($"format is not '{FormatName}'");
            if ((json["version"]?.GetValue<int>() ?? 0) > Version) throw new FormatException("written by a newer PdeOps");
            var options = (json["pinn"] ?? throw new FormatException("missing 'pinn'")).Deserialize<PinnOptions>(HypinoCheckpoint.Json) ?? throw new FormatException("'pinn' is null");
            var ensemble = new PinnEnsemble(options);
            var list = (json["members"] as JsonArray) ?? throw new FormatException("missing 'members'");
            var mapList = json["maps"] is { } m ? m as JsonArray ?? throw new FormatException("'maps' is not a list") : null;
            if (mapList is not null && mapList.Count != list.Count) throw new FormatException($"{mapList.Count} maps for {list.Count} members");
            for (var k = 0; k < list.Count; k++)
            {
                var values = list[k]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
                if (values.Any(v => !float.IsFinite(v))) throw new FormatException("a member holds NaN or infinite values");
                ensemble.Add(tensor(values), 1, mapList is null ? ProblemSymmetry.Identity : ReadMap(mapList[k], k));
            }
            return ensemble;
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException or InvalidOperationException)
        {
            throw new CheckpointException(path, $"not a readable PINN file ({e.Message})", e);
        }
    }

    // A member's map as Save writes it: [transpose, negate x, negate y].
    static ProblemSymmetry ReadMap(JsonNode? node, int member)
    {
        if (node is not JsonArray parts || parts.Count != 3 || parts.Any(p => p is not JsonValue v || v.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False)))
            throw new FormatException($"map {member} is not three booleans");
        return new ProblemSymmetry(parts[0]!.GetValue<bool>(), parts[1]!.GetValue<bool>(), parts[2]!.GetValue<bool>(), false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            foreach (var t in members.SelectMany(m => m.Values)) t.Dispose();
            members.Clear();
            maps.Clear();
            frequencies.Dispose();
        }
    }

    /// <summary>A short description, e.g. "3 PINNs (modified_mlp, width 32)".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Count} PINN{(Count == 1 ? "" : "s")} ({Options.Architecture}, width {Options.Width})");
}
