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
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Run folder written by 'pdeops train'", Required = true };
        var input = new Option<string>("--input") { Description = "File holding the model's input arrays (PdeOps, PDEBench or FNO .mat)", Required = true };
        var output = new Option<string>("--out") { Description = "Output HDF5 file: the inputs and the predicted outputs", Required = true };
        var samples = new Option<int?>("--samples") { Description = "Use only the first N samples" }.RequireAtLeast(1);
        var batch = new Option<int>("--batch") { Description = "Samples per forward pass", DefaultValueFactory = _ => 20 };
        batch.RequireAtLeast(1);
        var threads = CommonOptions.Threads();
        var command = new Command("predict", "Apply a trained operator to inputs in an HDF5 file and write the predictions") { model, input, output, samples, batch, threads };
        command.SetAction(parse =>
        {
            TorchSharp.torch.set_num_threads(parse.GetValue(threads));
            using var op = NeuralOperator.Load(parse.GetValue(model)!);
            var data = DatasetReader.Read(parse.GetValue(input)!, parse.GetValue(samples));
            var inputs = op.InputNames.Select(data.Input).ToList();
            int n = data.Samples;
            int[] grid = inputs[0].Shape[^op.SpatialDims..];
            GridWarning.Report(op.TrainingGrid, data, op.GridCaveat(grid));
            int points = grid.Aggregate(1, (a, b) => a * b), inSize = op.InputChannels * points, outSize = op.OutputChannels * points;
            var predicted = new float[(long)n * outSize];
            int b = parse.GetValue(batch);
            for (int first = 0; first < n; first += b)
            {
                int count = Math.Min(b, n - first);
                var block = new float[count * inSize];
                for (int s = 0; s < count; s++)
                {
                    int offset = s * inSize;
                    foreach (var a in inputs) { a.Sample(first + s).CopyTo(block.AsSpan(offset)); offset += a.SampleSize; }
                }
                op.PredictBatch(block, predicted.AsSpan(first * outSize, count * outSize), count, grid);
            }
            var builder = new FieldFileBuilder();
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

    static Array Shaped(float[] values, int[] shape)
    {
        var array = Array.CreateInstance(typeof(float), shape);
        Buffer.BlockCopy(values, 0, array, 0, values.Length * sizeof(float));
        return array;
    }
}
