using System.CommandLine;
using PdeOps.Cli.Infrastructure;
using PdeOps.Cli.Workflows;
using PdeOps.Datasets.Readers;
using PdeOps.Datasets.Storage;
using PdeOps.Operators.Inference;

namespace PdeOps.Cli.Commands;

/// <summary><c>pdeops predict</c>: apply a trained operator to the inputs of a dataset file.</summary>
public static class PredictCommand
{
    // Samples per forward pass unless --batch says otherwise. A certified pass is one thread's, predicted
    // and then checked on it; short passes keep both in cache (see bench/results/certified-prediction*.json).
    const int PlainBatch = 20, CertifiedBatch = 8;

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Run folder written by 'pdeops train'", Required = true };
        var input = new Option<string>("--input") { Description = "File holding the model's input arrays (PdeOps, PDEBench or FNO .mat)", Required = true };
        var output = new Option<string>("--out") { Description = "Output HDF5 file: the inputs and the predicted outputs", Required = true };
        var samples = new Option<int?>("--samples") { Description = "Use only the first N samples" }.RequireAtLeast(1);
        var batch = new Option<int?>("--batch")
        {
            Description = $"Samples per forward pass (default {PlainBatch}; with --certify, of each thread, default {CertifiedBatch}: passes of 2 to 8 samples were faster than 20 for an 85^2 FNO)",
        }.RequireAtLeast(1);
        var threads = CommonOptions.Threads();
        var device = CommonOptions.Device();
        var certify = new Option<bool>("--certify")
        {
            Description = "Darcy models: keep a prediction only when its guaranteed relative energy-norm error bound is at most --tol, else finish it with multigrid-preconditioned CG until it is",
        };
        var tol = new Option<double?>("--tol") { Description = "With --certify: the relative error allowed in the discrete energy norm, in (0, 1)" };
        var symmetries = CommonOptions.AverageSymmetries();
        var predictGrid = CommonOptions.PredictGrid();
        var command = new Command("predict", "Apply a trained operator to inputs in an HDF5 file and write the predictions")
        {
            model, input, output, samples, batch, threads, device, certify, tol, symmetries, predictGrid,
        };
        command.Validators.Add(r =>
        {
            double? t = r.GetValue(tol);
            bool c = r.GetValue(certify);
            if (c && t is null) r.AddError("--certify needs --tol");
            else if (!c && t is not null) r.AddError("--tol applies only with --certify");
            else if (t is { } v && !(v > 0 && v < 1)) r.AddError($"--tol must lie in (0, 1), got {v.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        });
        command.SetAction(parse =>
        {
            CommonOptions.RequireDistinctFiles(("--input", parse.GetValue(input)), ("--out", parse.GetValue(output)));
            TorchSharp.torch.set_num_threads(parse.GetValue(threads));
            using var op = NeuralOperator.Load(parse.GetValue(model)!, CommonOptions.CheckDevice(parse.GetValue(device)!));
            CommonOptions.ApplySymmetryAveraging(op, parse.GetValue(symmetries));
            var data = CommonOptions.ReadSamples(parse.GetValue(input)!, parse.GetValue(samples));
            var inputs = op.InputNames.Select(data.Input).ToList();
            int n = data.Samples;
            int[] grid = inputs[0].Shape[^op.SpatialDims..];
            var certifier = parse.GetValue(tol) is { } tolerance
                ? CertifiedPrediction.For(data, op.InputNames, op.OutputNames, grid, tolerance, parse.GetValue(threads)) : null;
            var nested = parse.GetValue(predictGrid) is { } coarse ? NestedGridPrediction.For(op, data, grid, coarse, parse.GetValue(threads)) : null;
            if (nested is null) GridWarning.Report(op.TrainingGrid, data, op.GridCaveat(grid));
            else GridWarning.ReportNested(op.TrainingGrid, data, nested.Coarse, op.GridCaveat(nested.Coarse, nested.Coarse));
            int points = grid.Aggregate(1, (a, b) => a * b), inSize = op.InputChannels * points, outSize = op.OutputChannels * points;
            var predicted = new float[(long)n * outSize];
            int b = parse.GetValue(batch) ?? (certifier is null ? PlainBatch : CertifiedBatch);
            var builder = new FieldFileBuilder();
            if (certifier is not null)
            {
                // Every thread predicts and certifies passes of its own, with its own copy of the operator.
                using var pipeline = CertifiedPipeline.Create(op, () =>
                {
                    var copy = NeuralOperator.Load(parse.GetValue(model)!);   // copies only on a CPU
                    CommonOptions.ApplySymmetryAveraging(copy, parse.GetValue(symmetries));
                    return copy;
                }, certifier, data, grid, parse.GetValue(predictGrid), b);
                Certify(pipeline, certifier, inputs[0], predicted, n, grid[0], builder);
            }
            else for (int first = 0; first < n; first += b)
            {
                int count = Math.Min(b, n - first);
                if (nested is not null)
                {
                    nested.PredictSamples(inputs, first, count, predicted, first * outSize);
                    continue;
                }
                var block = new float[count * inSize];
                for (int s = 0; s < count; s++)
                {
                    int offset = s * inSize;
                    foreach (var a in inputs) { a.Sample(first + s).CopyTo(block.AsSpan(offset)); offset += a.SampleSize; }
                }
                op.PredictBatch(block, predicted.AsSpan(first * outSize, count * outSize), count, grid);
            }
            foreach (var a in inputs) builder.AddArray(a.Name, Shaped(a.Values, a.Shape));
            int offsetOut = 0;
            for (int k = 0; k < op.OutputNames.Count; k++)
            {
                int channels = op.Checkpoint.OutputChannels[k];
                var values = new float[(long)n * channels * points];
                for (int s = 0; s < n; s++)
                    predicted.AsSpan(s * outSize + offsetOut, channels * points).CopyTo(values.AsSpan(s * channels * points));
                int[] shape = channels == 1 ? [n, .. grid] : [n, channels, .. grid];
                builder.AddArray(op.OutputNames[k], Shaped(values, shape));
                offsetOut += channels * points;
            }
            foreach (var (name, values) in data.Coordinates) builder.AddArray(name, values);
            builder.SetAttribute(DatasetLayout.FormatAttribute, DatasetLayout.FormatName)
                .SetAttribute(DatasetLayout.VersionAttribute, DatasetLayout.Version)
                .SetAttribute(DatasetLayout.InputsAttribute, string.Join(",", op.InputNames))
                .SetAttribute(DatasetLayout.OutputsAttribute, string.Join(",", op.OutputNames))
                .SetAttribute("predicted_by", Path.GetFullPath(op.Folder))
                .SetAttribute("model", op.ModelName)
                .SetAttribute("source", Path.GetFullPath(data.SourcePath));
            builder.Write(parse.GetValue(output)!);
            Console.WriteLine($"wrote {Path.GetFullPath(parse.GetValue(output)!)}: {n} predictions of {string.Join(", ", op.OutputNames)} on a {string.Join("x", grid)} grid");
            return ExitCodes.Ok;
        });
        return command;
    }

    // Writes every sample's certified answer into predicted and records the path and bound of each.
    static void Certify(CertifiedPipeline pipeline, CertifiedPrediction certifier, FieldArray coefficient, float[] predicted, int samples, int size, FieldFileBuilder builder)
    {
        int points = size * size;
        var accepted = new double[samples]; // 1: the prediction as it was, 0: finished by multigrid (arrays are stored as floating point)
        var bounds = new double[samples];
        var iterations = new double[samples];
        var watch = System.Diagnostics.Stopwatch.StartNew();
        // A few passes per thread at a time, so that each sample's line comes soon after its answer.
        int chunk = 4 * pipeline.Lanes * pipeline.Pass;
        for (int first = 0; first < samples; first += chunk)
        {
            var results = pipeline.Run(coefficient, first, Math.Min(chunk, samples - first), predicted, (long)first * points);
            for (int k = 0; k < results.Length; k++)
            {
                int s = first + k;
                var result = results[k];
                (accepted[s], bounds[s], iterations[s]) = (result.AcceptedAsGiven ? 1 : 0, result.FinalBound, result.Iterations);
                Console.WriteLine(CertifiedPrediction.Describe(s, result));
            }
        }
        int kept = accepted.Count(a => a == 1);
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"certified {samples} samples to relative energy error <= {certifier.Tolerance:G3}: {kept} as predicted, {samples - kept} finished by multigrid; {watch.Elapsed.TotalSeconds:F1} s"));
        builder.AddArray("accepted_as_predicted", accepted).AddArray("error_bound", bounds).AddArray("multigrid_iterations", iterations)
            .SetAttribute("certified_tolerance", certifier.Tolerance)
            .SetAttribute("certified_norm", "relative error in the discrete energy norm against the discrete solution on the same grid (EnergyErrorBound)");
    }

    static Array Shaped(float[] values, int[] shape)
    {
        var array = Array.CreateInstance(typeof(float), shape);
        Buffer.BlockCopy(values, 0, array, 0, values.Length * sizeof(float));
        return array;
    }
}
