using PdeOps.Operators.Checkpoints;
using PdeOps.Operators.Layers;
using PdeOps.Operators.Layers.Attention;
using PdeOps.Operators.Losses;
using PdeOps.Operators.Models;
using PdeOps.Operators.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace PdeOps.Operators.Inference;

/// <summary>
/// A trained operator for simulation codes: loads a run folder (<see cref="OperatorCheckpoint"/>)
/// without the caller knowing the model class, and maps raw input fields to raw output fields,
/// normalizing and decoding inside. Callers pass spans or arrays, never TorchSharp types. Calls are
/// serialized, so one instance can be shared by several threads; <see cref="Dispose"/> releases
/// the native memory of the weights at once.
/// </summary>
/// <example>
/// <code>
/// using var op = NeuralOperator.Load("runs/darcy-mgno");
/// float[,] u = op.Predict(a);            // a: float[85, 85] coefficient, u: pressure
/// </code>
/// </example>
public sealed class NeuralOperator : IDisposable
{
    readonly object _gate = new();
    readonly Dictionary<string, (Tensor Scale, Tensor Offset)> _decoders = [];
    bool _disposed;
    bool _symmetryAveraging;

    NeuralOperator(OperatorCheckpoint checkpoint, NeuralOperatorModel model, string folder, Device device)
    {
        Checkpoint = checkpoint;
        Model = model;
        Folder = folder;
        Device = device;
        if (device.type != DeviceType.CPU) model.to(device);
        model.eval();
    }

    /// <summary>Where the model runs; inputs and outputs stay plain arrays in host memory whatever it is.</summary>
    public Device Device { get; }

    /// <summary>The checkpoint's description.</summary>
    public OperatorCheckpoint Checkpoint { get; }
    internal NeuralOperatorModel Model { get; }
    /// <summary>The folder loaded.</summary>
    public string Folder { get; }
    /// <summary>Registry name of the architecture.</summary>
    public string ModelName => Checkpoint.ModelName;
    /// <summary>Grid axes of the fields.</summary>
    public int SpatialDims => Checkpoint.SpatialDims;
    /// <summary>Grid the model was trained on.</summary>
    public IReadOnlyList<int> TrainingGrid => Checkpoint.TrainingGrid;
    /// <summary>Names of the input arrays.</summary>
    public IReadOnlyList<string> InputNames => Checkpoint.Inputs.Names;
    /// <summary>Names of the output arrays.</summary>
    public IReadOnlyList<string> OutputNames => Checkpoint.Outputs.Names;
    /// <summary>Input channels per sample.</summary>
    public int InputChannels => Checkpoint.InputChannels.Sum();
    /// <summary>Output channels per sample.</summary>
    public int OutputChannels => Checkpoint.OutputChannels.Sum();
    /// <summary>Parameters of the model.</summary>
    public long Parameters => Model.ParameterCount();

    /// <summary>
    /// Whether grid predictions average the model G over the eight symmetries g of the square
    /// (<see cref="Training.DihedralAugmentation"/>): S(a) = (1/8) sum_g g^-1 G(g a). S commutes with
    /// every g whatever the weights. When the true operator does too (Darcy with f = 1 and u = 0 on
    /// the square's boundary, the data <c>--augment dihedral</c> is exact for), S removes the part of
    /// G's error that breaks the symmetry, for eight forward passes per prediction; on a problem that
    /// singles out a direction it is wrong. Applies to square 2-D grids; off by default.
    /// </summary>
    /// <exception cref="InvalidOperationException">Set to true for a model whose fields are not 2-D, or whose inputs or outputs are normalized per point.</exception>
    public bool SymmetryAveraging
    {
        get => _symmetryAveraging;
        set
        {
            lock (_gate)
            {
                if (value && SpatialDims != 2)
                    throw new InvalidOperationException($"symmetry averaging needs a 2-D model; this {ModelName} has {SpatialDims}-D fields");
                if (value && !(Checkpoint.Inputs.IsUniformOverPoints && Checkpoint.Outputs.IsUniformOverPoints))
                    throw new InvalidOperationException("symmetry averaging needs a normalization that is the same at every point (global, minmax or none); this checkpoint normalizes per point");
                _symmetryAveraging = value;
            }
        }
    }

    /// <summary>
    /// Why predictions on <paramref name="grid"/> (points per axis) may be less accurate than on the
    /// training grid beyond what the change of discretisation explains, or null (see
    /// <see cref="NeuralOperatorModel.GridCaveat"/>).
    /// </summary>
    public string? GridCaveat(params int[] grid) => Model.GridCaveat(grid.Select(g => (long)g).ToArray());

    /// <summary>
    /// The largest batch, at most <paramref name="requested"/> and at least 1, whose memory on a
    /// grid of <paramref name="grid"/> points fits in half the memory the process may plan to use
    /// (<see cref="Runtime.ProcessMemory.AvailableBytes"/>),
    /// judged by the architecture's training estimate (an upper bound for a forward pass), so that
    /// evaluating on a fine grid slows down instead of exhausting the machine.
    /// </summary>
    public int BatchThatFits(int requested, IReadOnlyList<int> grid)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(requested, 1);
        var options = Model.Options;
        double perSample = options.EstimateTrainingBytes(grid, 1) - options.EstimateTrainingBytes(grid, 0);
        double available = 0.5 * Runtime.ProcessMemory.AvailableBytes;
        if (!(perSample > 0)) return requested;
        return (int)Math.Clamp(Math.Floor(available / perSample), 1, requested);
    }

    /// <summary>Loads a run folder written by <c>pdeops train</c> (or the path of its model.json) to run on the CPU.</summary>
    /// <exception cref="CheckpointException">The folder is not a complete checkpoint.</exception>
    // The overload with a device came after this one shipped with its optional registry: callers of this one compile and bind as before.
#pragma warning disable RS0027
    public static NeuralOperator Load(string path, OperatorModelRegistry? registry = null) => Open(path, CPU, registry);
#pragma warning restore RS0027

    /// <summary>
    /// Loads a run folder written by <c>pdeops train</c> (or the path of its model.json) to run on
    /// <paramref name="device"/>: cpu, cuda or cuda:N (<see cref="Runtime.TorchDevices"/>).
    /// </summary>
    /// <exception cref="CheckpointException">The folder is not a complete checkpoint.</exception>
    /// <exception cref="Runtime.DeviceUnavailableException">This build or machine has no such device.</exception>
    public static NeuralOperator Load(string path, string device) => Open(path, Runtime.TorchDevices.Resolve(device), null);

    static NeuralOperator Open(string path, Device target, OperatorModelRegistry? registry)
    {
        string folder = File.Exists(path) && Path.GetFileName(path) == OperatorCheckpoint.DescriptionFile ? Path.GetDirectoryName(Path.GetFullPath(path))! : path;
        var checkpoint = OperatorCheckpoint.Read(folder);
        var model = checkpoint.LoadModel(folder, registry);
        return new NeuralOperator(checkpoint, model, folder, target);
    }

    /// <summary>
    /// Predicts one sample: <paramref name="input"/> holds the raw input channels (channel-major,
    /// then the grid row-major), <paramref name="output"/> receives the raw output channels.
    /// </summary>
    /// <param name="input">InputChannels x grid values.</param>
    /// <param name="output">OutputChannels x grid values.</param>
    /// <param name="grid">Points per axis, e.g. (85, 85).</param>
    public void Predict(ReadOnlySpan<float> input, Span<float> output, params int[] grid) => PredictBatch(input, output, 1, grid);

    /// <summary>True when the model acts on scattered points (attention, transolver), not only on grids.</summary>
    public bool AcceptsPoints => Model is PointNeuralOperator { AcceptsPointSets: true };

    /// <summary>Why the model takes no scattered points, as a phrase ("fno works on grids only"); null when it does (<see cref="AcceptsPoints"/>).</summary>
    public string? GridOnlyReason => AcceptsPoints ? null : Model is PointNeuralOperator
        ? $"this {ModelName} model has spectral convolutions (it was built with modes), which work on grids only"
        : $"{ModelName} works on grids only";

    /// <summary>
    /// Predicts the outputs of one sample at n scattered points of the unit cube: <paramref name="inputs"/>
    /// holds the input channels at each point (n x channels, point-major), <paramref name="coordinates"/>
    /// the points (n x dimensions), <paramref name="weights"/> their quadrature weights summing to the
    /// domain measure, or null to estimate them from the points' density
    /// (<see cref="PointSet.EstimateWeights"/>); <paramref name="outputs"/> receives n x output channels.
    /// Only point operators (<see cref="AcceptsPoints"/>) with normalizers that do not depend on the grid.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model works on grids only, its normalizers are per grid point, or <see cref="SymmetryAveraging"/> is on (it maps grids, not scattered points).</exception>
    /// <exception cref="ArgumentException">Lengths disagree, an input or coordinate is NaN or infinite, or a weight is not positive and finite.</exception>
    public void PredictAtPoints(ReadOnlySpan<float> inputs, ReadOnlySpan<float> coordinates, ReadOnlySpan<float> weights, Span<float> outputs)
    {
        if (Model is not PointNeuralOperator { AcceptsPointSets: true } points)
            throw new InvalidOperationException($"{GridOnlyReason}; point predictions need an attention or transolver model without spectral convolutions");
        if (_symmetryAveraging)
            throw new InvalidOperationException("symmetry averaging maps square grids, not scattered points: switch SymmetryAveraging off for point predictions");
        int dims = SpatialDims;
        if (coordinates.Length % dims != 0) throw new ArgumentException($"coordinates hold {coordinates.Length} values, not a multiple of the {dims} dimensions");
        int n = coordinates.Length / dims;
        if (n < 2) throw new ArgumentException("at least two points are needed");
        if (inputs.Length != (long)n * InputChannels) throw new ArgumentException($"inputs hold {inputs.Length} values; {n} points of {InputChannels} channels need {(long)n * InputChannels}");
        if (outputs.Length != (long)n * OutputChannels) throw new ArgumentException($"outputs have room for {outputs.Length} values; {(long)n * OutputChannels} are needed");
        if (!weights.IsEmpty && weights.Length != n) throw new ArgumentException($"{weights.Length} weights for {n} points");
        RequireFinite(inputs, "input");
        RequireFinite(coordinates, "coordinate");
        // Channel-major copies, normalized array by array as in training.
        var channels = new float[(long)n * InputChannels];
        for (int p = 0; p < n; p++)
            for (int c = 0; c < InputChannels; c++) channels[(long)c * n + p] = inputs[p * InputChannels + c];
        int offset = 0;
        for (int k = 0; k < Checkpoint.InputChannels.Length; k++)
        {
            int length = Checkpoint.InputChannels[k] * n;
            try { Checkpoint.Inputs.Encode(k, channels.AsSpan(offset, length)); }
            catch (ArgumentException e) { throw new InvalidOperationException($"the normalizer of '{InputNames[k]}' is per grid point and cannot encode scattered points ({e.Message})", e); }
            offset += length;
        }
        var coords = coordinates.ToArray();
        var w = weights.IsEmpty ? null : weights.ToArray();
        var decoded = new float[(long)OutputChannels * n];
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var x = tensor(channels, [1, InputChannels, n]).transpose(1, 2).to(Device);
            var c = tensor(coords, [1, n, dims]).to(Device);
            using var set = new PointSet(c, w is null ? PointSet.EstimateWeights(c) : tensor(w, [1, n]).to(Device));
            var raw = points.ForwardPoints(x, set).transpose(1, 2).cpu().contiguous();        // (1, out, n), normalized
            raw.data<float>().CopyTo(decoded);
        }
        offset = 0;
        for (int k = 0; k < Checkpoint.OutputChannels.Length; k++)
        {
            int length = Checkpoint.OutputChannels[k] * n;
            Checkpoint.Outputs.Decode(k, decoded.AsSpan(offset, length));
            offset += length;
        }
        if (decoded.Any(v => !float.IsFinite(v))) throw new NonFinitePredictionException("at these points");
        for (int p = 0; p < n; p++)
            for (int c = 0; c < OutputChannels; c++) outputs[p * OutputChannels + c] = decoded[(long)c * n + p];
    }

    /// <summary>Predicts <paramref name="batch"/> samples laid out one after another.</summary>
    /// <exception cref="ArgumentException">A grid size is not positive, span lengths do not match the batch and grid, or an input value is NaN or infinite.</exception>
    public void PredictBatch(ReadOnlySpan<float> inputs, Span<float> outputs, int batch, params int[] grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        if (grid.Length != SpatialDims) throw new ArgumentException($"the model takes {SpatialDims}D grids; got {grid.Length} sizes");
        if (grid.Any(g => g < 1)) throw new ArgumentException($"grid sizes must be positive; got ({string.Join(", ", grid)})");
        if (batch < 1) throw new ArgumentException($"batch must be at least 1 (got {batch})");
        long count = grid.Aggregate(1L, (a, b) => a * b);
        if (inputs.Length != batch * InputChannels * count)
            throw new ArgumentException($"input has {inputs.Length} values; {batch} samples of {InputChannels} channels on ({string.Join(", ", grid)}) need {batch * InputChannels * count}");
        if (outputs.Length != batch * OutputChannels * count)
            throw new ArgumentException($"output has room for {outputs.Length} values; {batch * OutputChannels * count} are needed");
        int points = (int)count; // no more than the span's length, which is an int
        RequireFinite(inputs, "input");
        var encoded = inputs.ToArray();
        for (int n = 0; n < batch; n++)
        {
            int offset = n * InputChannels * points;
            for (int k = 0; k < Checkpoint.InputChannels.Length; k++)
            {
                int length = Checkpoint.InputChannels[k] * points;
                Checkpoint.Inputs.Encode(k, encoded.AsSpan(offset, length));
                offset += length;
            }
        }
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            long[] shape = [batch, InputChannels, .. grid.Select(g => (long)g)];
            var prediction = ForwardRaw(tensor(encoded, shape), grid);
            if (!prediction.isfinite().all().item<bool>()) throw new NonFinitePredictionException(batch == 1 ? "for this input" : $"for a batch of {batch} inputs");
            CopyOut(prediction.contiguous(), outputs);
        }
    }

    // A NaN in the input would come out as a NaN prediction blamed on the model: name the value instead.
    static void RequireFinite(ReadOnlySpan<float> values, string what)
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]))
                throw new ArgumentException($"{what} value {i} is {values[i].ToString(System.Globalization.CultureInfo.InvariantCulture)}: not a finite number");
    }

    // A float32 result is read in place; TensorAccessor.CopyTo would copy it element by element.
    static void CopyOut(Tensor result, Span<float> outputs)
    {
        if (result.dtype == ScalarType.Float32) PointBlocks.Floats(result).CopyTo(outputs);
        else result.data<float>().CopyTo(outputs);
    }

    /// <summary>Predicts a single-input, single-output 2D field given as [y, x].</summary>
    public float[,] Predict(float[,] input)
    {
        if (InputChannels != 1 || OutputChannels != 1 || SpatialDims != 2)
            throw new InvalidOperationException($"this model maps {InputChannels} to {OutputChannels} channels in {SpatialDims}D; use the span overload");
        int h = input.GetLength(0), w = input.GetLength(1);
        var flat = new float[h * w];
        Buffer.BlockCopy(input, 0, flat, 0, flat.Length * sizeof(float));
        var output = new float[h * w];
        Predict(flat, output, h, w);
        var result = new float[h, w];
        Buffer.BlockCopy(output, 0, result, 0, output.Length * sizeof(float));
        return result;
    }

    /// <summary>Predicts several single-channel 2D fields of one size in one batch.</summary>
    public float[][,] PredictBatch(IReadOnlyList<float[,]> inputs)
    {
        if (inputs.Count == 0) return [];
        int h = inputs[0].GetLength(0), w = inputs[0].GetLength(1), points = h * w;
        var flat = new float[inputs.Count * points];
        for (int n = 0; n < inputs.Count; n++)
        {
            if (inputs[n].GetLength(0) != h || inputs[n].GetLength(1) != w) throw new ArgumentException($"input {n} is {inputs[n].GetLength(0)} x {inputs[n].GetLength(1)}, input 0 {h} x {w}");
            Buffer.BlockCopy(inputs[n], 0, flat, n * points * sizeof(float), points * sizeof(float));
        }
        var output = new float[flat.Length];
        PredictBatch(flat, output, inputs.Count, h, w);
        return Enumerable.Range(0, inputs.Count).Select(n =>
        {
            var r = new float[h, w];
            Buffer.BlockCopy(output, n * points * sizeof(float), r, 0, points * sizeof(float));
            return r;
        }).ToArray();
    }

    /// <summary>
    /// Model output for normalized inputs, decoded to raw values, on the CPU whatever the device
    /// (callers hold the gate and a scope).
    /// </summary>
    internal Tensor ForwardRaw(Tensor normalizedInputs, IReadOnlyList<int> grid)
    {
        var (scale, offset) = Decoder(grid);
        var inputs = normalizedInputs.to(Device);
        var outputs = _symmetryAveraging ? SymmetryAverage(inputs) : Model.call(inputs);
        return (outputs * scale).Plus(offset).cpu();
    }

    // (1/8) sum_g g^-1 G(g a); the decoder is the same at every point (checked when switched on),
    // and DihedralAugmentation.Apply refuses a grid that is not square.
    Tensor SymmetryAverage(Tensor inputs)
    {
        Tensor? sum = null;
        for (int g = 0; g < Training.DihedralAugmentation.Order; g++)
        {
            var mapped = Training.DihedralAugmentation.Apply(inputs, g).contiguous();
            var back = Training.DihedralAugmentation.Apply(Model.call(mapped), Training.DihedralAugmentation.Inverse(g));
            sum = sum is null ? back : sum.Plus(back);
        }
        return sum!.Over(Training.DihedralAugmentation.Order);
    }

    (Tensor Scale, Tensor Offset) Decoder(IReadOnlyList<int> grid)
    {
        string key = string.Join("x", grid);
        if (_decoders.TryGetValue(key, out var cached)) return cached;
        var (scale, offset) = Checkpoint.Outputs.DecodeAffine(Checkpoint.OutputChannels, grid);
        long[] shape = [1, OutputChannels, .. grid.Select(g => (long)g)];
        var decoder = (tensor(scale, shape).to(Device).DetachFromDisposeScope(), tensor(offset, shape).to(Device).DetachFromDisposeScope());
        _decoders[key] = decoder;
        return decoder;
    }

    /// <summary>Runs <paramref name="work"/> under the instance's lock (evaluation helpers).</summary>
    internal T Locked<T>(Func<T> work)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return work();
        }
    }

    /// <summary>The loss convention of the training grid.</summary>
    public GridConvention Convention => Checkpoint.Convention;

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var (scale, offset) in _decoders.Values) { scale.Dispose(); offset.Dispose(); }
            _decoders.Clear();
            Model.Dispose();
        }
    }
}
