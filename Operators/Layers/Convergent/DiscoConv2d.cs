using PdeOps.Operators.Losses;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PdeOps.Operators.Layers;

/// <summary>
/// Discrete-continuous (DISCO) convolution (Ocampo, Price, McEwen, "Scalable and equivariant
/// spherical CNNs by discrete-continuous convolutions", ICLR 2023; Liu-Schiaffini et al. 2024):
/// out_i = sum_k W_k sum_j psi_k(x_i - y_j) q_j f(y_j) + b, a quadrature of the integral operator
/// with kernel sum_k W_k psi_k(x - y) supported on a disk of physical radius r.
/// </summary>
/// <remarks>
/// The basis is piecewise linear: an isotropic hat at the centre and, for each further ring
/// rho_i = i r / R (i = 1..R-1), hats in the radius times angular hats centred on A directions,
/// which sum to one over the directions; 1 + (R-1) A functions, all zero at radius r. On every
/// grid each basis function is sampled at the grid offsets within the disk and normalised so that
/// its quadrature sum is 1 (uniform weights q_j = h_y h_x), so the layer converges to the
/// integral operator as the grid is refined instead of changing its meaning. The stencils are
/// rebuilt for each grid the layer meets (and cached), never reused from another grid.
/// </remarks>
public sealed class DiscoConv2d : nn.Module<Tensor, Tensor>, IGridAgnostic
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly Dictionary<(long, long), Tensor> stencils = new();

    /// <summary>Creates the layer with weights drawn like a convolution's of as many taps as basis functions.</summary>
    /// <param name="inChannels">Channels of the input field.</param>
    /// <param name="outChannels">Channels of the output field.</param>
    /// <param name="radius">Physical radius of the kernel's disk, in units of the domain's side.</param>
    /// <param name="rings">Radial nodes R (at least 1: the centre hat alone).</param>
    /// <param name="directions">Angular hats A on each ring beyond the centre (at least 1).</param>
    /// <param name="convention">Where the points lie, which sets the spacing.</param>
    /// <param name="hasBias">Whether a per-channel bias is added.</param>
    /// <param name="name">Module name.</param>
    public DiscoConv2d(int inChannels, int outChannels, double radius, int rings = 2, int directions = 4,
        GridConvention convention = GridConvention.Closed, bool hasBias = true, string name = "disco_conv")
        : base(name)
    {
        if (inChannels < 1 || outChannels < 1) throw new ArgumentOutOfRangeException(nameof(inChannels), "at least one channel in and out");
        if (!(radius > 0) || !double.IsFinite(radius)) throw new ArgumentOutOfRangeException(nameof(radius), radius, "the radius must be positive");
        if (rings < 1) throw new ArgumentOutOfRangeException(nameof(rings), rings, "at least one ring (the centre)");
        if (directions < 1) throw new ArgumentOutOfRangeException(nameof(directions), directions, "at least one direction");
        Radius = radius;
        Rings = rings;
        Directions = directions;
        Convention = convention;
        double bound = 1.0 / Math.Sqrt((double)inChannels * BasisCount);
        using (no_grad())
        {
            weight = ParameterFactory.Create(empty(outChannels, inChannels, BasisCount).uniform_(-bound, bound));
            bias = hasBias ? ParameterFactory.Create(empty(outChannels).uniform_(-bound, bound)) : null;
        }
        RegisterComponents();
    }

    /// <summary>Physical radius of the kernel's disk.</summary>
    public double Radius { get; }

    /// <summary>Radial nodes, the centre included.</summary>
    public int Rings { get; }

    /// <summary>Angular hats per ring beyond the centre.</summary>
    public int Directions { get; }

    /// <summary>Where the points lie.</summary>
    public GridConvention Convention { get; }

    /// <summary>Number of basis functions, 1 + (rings - 1) directions.</summary>
    public int BasisCount => 1 + (Rings - 1) * Directions;

    /// <summary>The (out, in, basis) weights W_k.</summary>
    public Parameter Weight => weight;

    /// <summary>
    /// The basis sampled on a grid of <paramref name="height"/> x <paramref name="width"/> points,
    /// as (basis, KH, KW) convolution stencils, each summing to 1 (its quadrature sum with weight
    /// h_y h_x folded in), entry (a, b) holding psi_k at offset -(a - KH/2, b - KW/2) so that
    /// cross-correlation computes sum_j psi_k(x_i - y_j) q_j f(y_j).
    /// </summary>
    /// <exception cref="ArgumentException">The grid is too coarse: a basis function covers no grid point.</exception>
    public Tensor StencilsOn(long height, long width)
    {
        double hy = GridResolution.Spacing(height, Convention), hx = GridResolution.Spacing(width, Convention);
        long my = (long)Math.Floor(Radius / hy + 1e-9), mx = (long)Math.Floor(Radius / hx + 1e-9);
        long ky = 2 * my + 1, kx = 2 * mx + 1;
        var values = new float[BasisCount * ky * kx];
        var sums = new double[BasisCount];
        double ringWidth = Radius / Rings;
        for (long a = 0; a < ky; a++)
            for (long b = 0; b < kx; b++)
            {
                // Cross-correlation reads f(x + d); the kernel is psi(x - y) = psi(-d).
                double dy = -(a - my) * hy, dx = -(b - mx) * hx;
                double r = Math.Sqrt(dy * dy + dx * dx);
                if (r >= Radius) continue;
                double angle = Math.Atan2(dy, dx);
                for (int k = 0; k < BasisCount; k++)
                {
                    double psi = Basis(k, r, angle, ringWidth);
                    values[(k * ky + a) * kx + b] = (float)psi;
                    sums[k] += psi;
                }
            }
        for (int k = 0; k < BasisCount; k++)
        {
            if (sums[k] <= 1e-12)
                throw new ArgumentException(
                    $"a {height}x{width} grid is coarser than the DISCO stencil of radius {Radius:G4} can represent: basis function {k} covers no grid point");
            for (long i = 0; i < ky * kx; i++) values[k * ky * kx + i] = (float)(values[k * ky * kx + i] / sums[k]);
        }
        return tensor(values, new[] { (long)BasisCount, ky, kx });
    }

    /// <summary>Maps (batch, in, H, W) to (batch, out, H, W).</summary>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 4 || input.shape[1] != weight.shape[1])
            throw new ArgumentException($"expected a (batch, {weight.shape[1]}, H, W) field, got ({string.Join(", ", input.shape)})", nameof(input));
        long height = input.shape[2], width = input.shape[3];
        var key = (height, width);
        if (!stencils.TryGetValue(key, out var basis))
        {
            basis = StencilsOn(height, width).DetachFromDisposeScope();
            stencils[key] = basis;
        }
        using var scope = NewDisposeScope();
        var stencil = basis.to(weight.dtype, weight.device);
        // The combined kernel sum_k W_k psi_k: (out, in, KH, KW).
        var kernel = einsum("oik,kab->oiab", weight, stencil);
        return StencilLayer2d.SamePaddedConv(input, kernel, bias, GridResolution.PaddingFor(Convention), 1).MoveToOuterDisposeScope();
    }

    // Basis 0: the centre hat; basis 1 + (i-1) A + a: ring i's radial hat times direction a's angular hat.
    double Basis(int k, double r, double angle, double ringWidth)
    {
        if (k == 0) return Math.Max(0, 1 - r / ringWidth);
        int ring = 1 + (k - 1) / Directions, direction = (k - 1) % Directions;
        double radial = Math.Max(0, 1 - Math.Abs(r - ring * ringWidth) / ringWidth);
        if (radial == 0 || Directions == 1) return radial;
        double sector = 2 * Math.PI / Directions;
        double offset = Math.IEEERemainder(angle - direction * sector, 2 * Math.PI);
        return radial * Math.Max(0, 1 - Math.Abs(offset) / sector);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            foreach (var s in stencils.Values) s.Dispose();
        stencils.Clear();
        base.Dispose(disposing);
    }
}
