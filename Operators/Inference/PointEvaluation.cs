using PdeOps.Datasets.Readers;
using PdeOps.Operators.Losses;

namespace PdeOps.Operators.Inference;

/// <summary>What <see cref="PointEvaluation.Evaluate"/> measured.</summary>
/// <param name="Points">Query points per sample.</param>
/// <param name="Samples">Samples evaluated.</param>
/// <param name="RelativeL2">Mean over samples of the relative L2 error at the points (Monte Carlo quadrature).</param>
/// <param name="MaxError">Largest pointwise error.</param>
public sealed record PointEvaluationResult(int Points, int Samples, double RelativeL2, double MaxError);

/// <summary>
/// Evaluates a point operator at scattered points: for every sample, <c>points</c> uniformly random
/// points of the unit square (drawn from (seed, sample)), inputs and truth interpolated bilinearly
/// from the stored grid, the prediction made at the points alone (<see cref="NeuralOperator.PredictAtPoints"/>
/// with equal weights 1/N, the Monte Carlo quadrature of uniform points), and the relative L2 error
/// measured with the same weights. 2D grids with one output channel per array.
/// </summary>
public static class PointEvaluation
{
    /// <summary>Evaluates <paramref name="op"/> on <paramref name="data"/> at <paramref name="points"/> random points per sample.</summary>
    /// <exception cref="InvalidOperationException">The model is not a point operator or the data are not 2D.</exception>
    public static PointEvaluationResult Evaluate(NeuralOperator op, OperatorDataset data, int points, long seed)
    {
        if (!op.AcceptsPoints) throw new InvalidOperationException($"{op.GridOnlyReason}; --points needs an attention or transolver model without spectral convolutions");
        if (op.SpatialDims != 2) throw new InvalidOperationException("point evaluation is implemented for 2D data");
        if (points < 2) throw new ArgumentOutOfRangeException(nameof(points), points, "at least two points are needed");
        var inputs = op.InputNames.Select(data.Input).ToList();
        var outputs = op.OutputNames.Select(data.Output).ToList();
        if (inputs.Concat(outputs).Any(a => a.SampleSize != a.Shape[^1] * a.Shape[^2]))
            throw new InvalidOperationException("point evaluation needs one channel per array");
        int h = inputs[0].Shape[^2], w = inputs[0].Shape[^1];
        var weights = Enumerable.Repeat(1f / points, points).ToArray();
        double sumL2 = 0, max = 0;
        for (int s = 0; s < data.Samples; s++)
        {
            var random = new Random(HashCode.Combine(seed, s));
            var coordinates = new float[2 * points];
            for (int i = 0; i < coordinates.Length; i++) coordinates[i] = (float)random.NextDouble();
            float[] At(FieldArray array)
            {
                var field = array.Sample(s).ToArray();
                return Enumerable.Range(0, points).Select(p => (float)Bilinear(field, h, w, op.Convention, coordinates[2 * p], coordinates[2 * p + 1])).ToArray();
            }
            var inputValues = new float[points * inputs.Count];
            for (int k = 0; k < inputs.Count; k++)
            {
                var values = At(inputs[k]);
                for (int p = 0; p < points; p++) inputValues[p * inputs.Count + k] = values[p];
            }
            var predicted = new float[points * outputs.Count];
            op.PredictAtPoints(inputValues, coordinates, weights, predicted);
            double error = 0, norm = 0;
            for (int k = 0; k < outputs.Count; k++)
            {
                var truth = At(outputs[k]);
                for (int p = 0; p < points; p++)
                {
                    double d = predicted[p * outputs.Count + k] - truth[p];
                    error += d * d;
                    norm += (double)truth[p] * truth[p];
                    max = Math.Max(max, Math.Abs(d));
                }
            }
            sumL2 += Math.Sqrt(error / norm);
        }
        return new PointEvaluationResult(points, data.Samples, sumL2 / data.Samples, max);
    }

    /// <summary>Bilinear interpolation of a [y, x] field on the unit square at (y, x).</summary>
    public static double Bilinear(float[] field, int h, int w, GridConvention convention, double y, double x)
    {
        // The cell holding c and the position in it: periodic grids wrap, closed grids clamp to the last cell.
        (int i0, int i1, double t) Axis(double c, int n)
        {
            double u = convention == GridConvention.Periodic ? c * n : c * (n - 1);
            int i = convention == GridConvention.Periodic ? (int)Math.Floor(u) : Math.Min((int)Math.Floor(u), n - 2);
            return convention == GridConvention.Periodic ? (i % n, (i + 1) % n, u - i) : (i, i + 1, u - i);
        }
        var (y0, y1, ty) = Axis(y, h);
        var (x0, x1, tx) = Axis(x, w);
        double Value(int i, int j) => field[i * w + j];
        return (1 - ty) * ((1 - tx) * Value(y0, x0) + tx * Value(y0, x1)) + ty * ((1 - tx) * Value(y1, x0) + tx * Value(y1, x1));
    }
}
