// Converting your own network: a small TorchSharp CNN is trained on 32x32 periodic fields to
// apply a smoothing operator (the heat semigroup e^{t Laplacian}), then converted into neural
// operators with the same weights, one per convolution rule, and evaluated on 32x32, 64x64 and
// 128x128 grids beside the original network.
//   dotnet run --project examples/ConvertNetwork -c Release
using PdeOps.Operators.Conversion;
using PdeOps.Operators.Layers;
using PdeOps.Operators.Losses;
using TorchSharp;
using static TorchSharp.torch;

manual_seed(0);
const double time = 2e-3;
const int trainingGrid = 32;

// The network, written for one grid as usual.
static nn.Module<Tensor, Tensor> NewNetwork() => nn.Sequential(
    ("conv1", nn.Conv2d(1, 16, 3, padding: 1, padding_mode: PaddingModes.Circular)),
    ("act1", nn.GELU()),
    ("conv2", nn.Conv2d(16, 16, 3, padding: 1, padding_mode: PaddingModes.Circular)),
    ("act2", nn.GELU()),
    ("conv3", nn.Conv2d(16, 1, 3, padding: 1, padding_mode: PaddingModes.Circular)));

var network = NewNetwork();
var optimizer = optim.Adam(network.parameters(), 3e-3);
for (int step = 1; step <= 400; step++)
{
    using var scope = NewDisposeScope();
    var (f, target) = Sample(16, trainingGrid, seed: step);
    var loss = nn.functional.mse_loss(network.call(f), target);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    if (step % 100 == 0) Console.WriteLine($"step {step}: loss {loss.item<float>():E2}");
}

// Conversions of copies of the trained network, each with the same weights, under every rule.
var reference = new ReferenceGrid2d(trainingGrid, trainingGrid, GridConvention.Periodic);
var models = new List<(string Name, nn.Module<Tensor, Tensor> Model)> { ("original CNN", network) };
foreach (var rule in Enum.GetValues<ConvolutionRule>())
{
    var copy = NewNetwork();
    copy.load_state_dict(network.state_dict());
    var converted = OperatorConversion.Convert(copy, reference, new ConversionOptions { Convolutions = rule });
    models.Add((rule.ToString(), converted));
    if (rule == ConvolutionRule.StencilMoments)
        foreach (var layer in converted.Layers) Console.WriteLine($"  {layer.Path}: {layer.Layer} -> {layer.Rule}");
}

// A converted network computes one operator on every grid, so it can also be trained on several:
// fine-tune a copy of the moment-scaled conversion on batches of 32x32 and 64x64 fields.
var copyForMixed = NewNetwork();
copyForMixed.load_state_dict(network.state_dict());
var mixed = OperatorConversion.Convert(copyForMixed, reference, new ConversionOptions { Convolutions = ConvolutionRule.StencilMoments });
var tuning = optim.Adam(mixed.parameters(), 1e-3);
for (int step = 1; step <= 300; step++)
{
    using var scope = NewDisposeScope();
    var (f, target) = Sample(16, step % 2 == 0 ? 32 : 64, seed: 10_000 + step);
    var loss = nn.functional.mse_loss(mixed.call(f), target);
    tuning.zero_grad();
    loss.backward();
    tuning.step();
}
models.Add(("moments, tuned 32+64", mixed));

Console.WriteLine("relative L2 error on 64 fresh samples");
Console.WriteLine("grid  " + string.Concat(models.Select(m => $"{m.Name,22}")));
using (no_grad())
    foreach (int n in new[] { 32, 64, 128 })
    {
        var (f, target) = Sample(64, n, seed: 1_000_000);
        Console.WriteLine($"{n,4}  " + string.Concat(models.Select(m => $"{((m.Model.call(f) - target).norm() / target.norm()).item<float>(),22:P2}")));
    }

// Random fields of Fourier modes up to 4 on the periodic unit square, sampled exactly on an n x n
// grid, and their images under e^{t Laplacian} (each mode k scaled by exp(-4 pi^2 |k|^2 t)).
static (Tensor Input, Tensor Target) Sample(int batch, int n, int seed)
{
    var generator = new Random(seed);
    var x = arange(n, dtype: float32) / n;
    var (gx, gy) = (x.view(1, 1, 1, n), x.view(1, 1, n, 1));
    var f = zeros(batch, 1, n, n);
    var u = zeros(batch, 1, n, n);
    for (int kx = -4; kx <= 4; kx++)
        for (int ky = 0; ky <= 4; ky++)
        {
            var amplitude = tensor(Enumerable.Range(0, batch).Select(_ => (float)(generator.NextDouble() - 0.5)).ToArray()).view(batch, 1, 1, 1);
            double phase = 2 * Math.PI * generator.NextDouble();
            var mode = amplitude * cos(2 * Math.PI * (kx * gx + ky * gy) + phase);
            f += mode;
            u += mode * Math.Exp(-4 * Math.PI * Math.PI * (kx * kx + ky * ky) * time);
        }
    return (f, u);
}
