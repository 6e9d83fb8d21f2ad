using PdeOps.Operators.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PdeOps.Operators.Layers;

/// <summary>
/// The linear operator of an MgNO layer: one multigrid V-cycle with learned convolutions that
/// maps a right-hand side f (batch, fChannels, H, W) to an approximate solution u
/// (batch, uChannels, H, W) (He, Liu, Xu, "MgNO: Efficient parameterization of linear operators via
/// multigrid", ICLR 2024, Algorithm 1).
/// </summary>
/// <remarks>
/// On level l (grid ceil(H/2^l) x ceil(W/2^l)) the layer owns an operator A_l (u -> f channels) and
/// one smoother S per smoothing step (f -> u channels). Going down, each level starts from u = 0, so
/// its first step is u = S f, and every further step is u &lt;- u + S(f - A_l u); the residual
/// f - A_l u is then restricted by a stride-2 3x3 convolution R_l to the right-hand side of level
/// l+1. The coarsest level runs its pre- and post-smoothing steps in sequence. Going up, the coarse
/// correction is prolongated by a stride-2 transposed convolution P_l to the exact fine size and
/// added, u &lt;- u + P_l u_{l+1}, followed by the post-smoothing steps of level l. All convolutions
/// are 3x3 without bias and use the <see cref="BoundaryPadding"/> of the problem.
/// <para>
/// Given a <see cref="Reference"/> grid (the training grid), the cycle is discretization-convergent:
/// on any other grid it runs on the reference grid between two resamplings (bilinear, as
/// <see cref="ResampledLayer"/> treats layers that have no continuous counterpart), so its output
/// converges as the grid is refined and is the original cycle's on the reference grid. Its learned
/// restrictions and prolongations are not averaging and interpolation, which is why the cycle does
/// not instead grow levels on finer grids: an added level changes it by a factor of order one.
/// </para>
/// </remarks>
public sealed class MultigridVCycle2d : nn.Module<Tensor, Tensor>
{
    private readonly LevelOperators operators = new();
    private readonly ModuleList<ModuleList<BoundaryConv2d>> preSmoothers = new();
    private readonly ModuleList<ModuleList<BoundaryConv2d>> postSmoothers = new();
    private readonly ModuleList<BoundaryConv2d> restrictions = new();
    private readonly ModuleList<Prolongation2d> prolongations = new();
    private readonly int[] pre;
    private readonly int[] post;

    /// <summary>Creates the V-cycle.</summary>
    /// <param name="fChannels">Channels of the right-hand side (the layer input).</param>
    /// <param name="uChannels">Channels of the solution (the layer output).</param>
    /// <param name="preSmoothing">Smoothing steps on the way down, one entry (at least 1) per level, finest first.</param>
    /// <param name="postSmoothing">Smoothing steps on the way up, one entry (at least 0) per level.</param>
    /// <param name="boundary">Padding rule of every convolution.</param>
    /// <param name="name">Module name.</param>
    public MultigridVCycle2d(int fChannels, int uChannels, IReadOnlyList<int> preSmoothing, IReadOnlyList<int> postSmoothing,
        BoundaryPadding boundary, string name = "vcycle")
        : base(name)
    {
        if (preSmoothing.Count < 1 || preSmoothing.Count != postSmoothing.Count)
            throw new ArgumentException("pre- and post-smoothing need one entry per level and at least one level");
        if (preSmoothing.Any(n => n < 1)) throw new ArgumentException("every level needs at least one pre-smoothing step", nameof(preSmoothing));
        if (postSmoothing.Any(n => n < 0)) throw new ArgumentException("post-smoothing steps cannot be negative", nameof(postSmoothing));
        FChannels = fChannels;
        UChannels = uChannels;
        Boundary = boundary;
        pre = preSmoothing.ToArray();
        post = postSmoothing.ToArray();
        int levels = pre.Length;
        for (int l = 0; l < levels; l++)
        {
            bool coarsest = l == levels - 1;
            if (!coarsest || pre[l] + post[l] > 1)
                operators.Add(l, new BoundaryConv2d(uChannels, fChannels, 1, boundary));
            var down = new ModuleList<BoundaryConv2d>();
            for (int s = 0; s < pre[l]; s++) down.Add(new BoundaryConv2d(fChannels, uChannels, 1, boundary));
            preSmoothers.Add(down);
            var up = new ModuleList<BoundaryConv2d>();
            for (int s = 0; s < post[l]; s++) up.Add(new BoundaryConv2d(fChannels, uChannels, 1, boundary));
            postSmoothers.Add(up);
            if (!coarsest)
            {
                restrictions.Add(new BoundaryConv2d(fChannels, fChannels, 2, boundary));
                prolongations.Add(new Prolongation2d(uChannels, uChannels, boundary));
            }
        }
        RegisterComponents();
    }

    /// <summary>Channels of the right-hand side.</summary>
    public int FChannels { get; }

    /// <summary>Channels of the solution.</summary>
    public int UChannels { get; }

    /// <summary>Number of grid levels, the finest included.</summary>
    public int Levels => pre.Length;

    /// <summary>Padding rule of every convolution.</summary>
    public BoundaryPadding Boundary { get; }

    /// <summary>Smallest number of points per axis that <paramref name="levels"/> levels accept.</summary>
    public static long MinimumSize(int levels)
    {
        long n = 2;
        for (int l = 1; l < levels; l++) n = 2 * n - 1;
        return n;
    }

    /// <summary>Maps f (batch, fChannels, H, W) to u (batch, uChannels, H, W).</summary>
    public override Tensor forward(Tensor f)
    {
        if (f.dim() != 4 || f.shape[1] != FChannels)
            throw new ArgumentException($"expected a (batch, {FChannels}, H, W) tensor, got ({string.Join(", ", f.shape)})", nameof(f));
        if (Reference is { } reference && !reference.Matches(f.shape[2], f.shape[3]))
        {
            using var resampling = NewDisposeScope();
            var onReference = Cycle(GridResolution.Resample(f, reference.Height, reference.Width, reference.Convention));
            return GridResolution.Resample(onReference, f.shape[2], f.shape[3], reference.Convention).MoveToOuterDisposeScope();
        }
        return Cycle(f);
    }

    /// <summary>
    /// The grid the parameters are learned on, which makes the cycle discretization-convergent; null
    /// (the default) for the original MgNO cycle. The parameters are the same either way.
    /// </summary>
    public ReferenceGrid2d? Reference { get; init; }

    private Tensor Cycle(Tensor f)
    {
        long minimum = MinimumSize(Levels);
        if (f.shape[2] < minimum || f.shape[3] < minimum)
            throw new ArgumentException(
                $"a {f.shape[2]}x{f.shape[3]} grid is too small for {Levels} multigrid levels (needs at least {minimum} points per axis); use fewer levels");
        using var scope = NewDisposeScope();
        int levels = Levels;
        var rhs = new Tensor[levels];
        var u = new Tensor[levels];
        rhs[0] = f;
        for (int l = 0; l < levels; l++)
        {
            bool coarsest = l == levels - 1;
            u[l] = Smooth(l, preSmoothers[l], null, rhs[l]);
            if (coarsest)
            {
                u[l] = Smooth(l, postSmoothers[l], u[l], rhs[l]);
                break;
            }
            rhs[l + 1] = restrictions[l].call(rhs[l] - operators.At(l).call(u[l]));
        }
        for (int l = levels - 2; l >= 0; l--)
        {
            u[l] = u[l].Plus(prolongations[l].call(u[l + 1], rhs[l].shape[2], rhs[l].shape[3]));
            u[l] = Smooth(l, postSmoothers[l], u[l], rhs[l]);
        }
        return u[0].MoveToOuterDisposeScope();
    }

    private Tensor Smooth(int level, ModuleList<BoundaryConv2d> smoothers, Tensor? u, Tensor rhs)
    {
        foreach (var s in smoothers)
            u = u is null ? s.call(rhs) : u.Plus(s.call(rhs - operators.At(level).call(u)));
        return u!;
    }

    /// <summary>
    /// The operators A_l by level, registered as a{l} (parameter names operators.a{l}.weight).
    /// A plain module rather than a ModuleDict, whose Module.to(dtype) fails in TorchSharp 0.107.
    /// </summary>
    private sealed class LevelOperators : nn.Module
    {
        private readonly Dictionary<int, BoundaryConv2d> byLevel = new();

        public LevelOperators() : base("operators") { }

        public void Add(int level, BoundaryConv2d op)
        {
            byLevel.Add(level, op);
            register_module($"a{level}", op);
        }

        public BoundaryConv2d At(int level) => byLevel[level];
    }
}
