using System.CommandLine;
using System.Globalization;
using PdeOps.Cli.Infrastructure;
using PdeOps.Cli.Workflows;
using PdeOps.Physics.Problems;
using PdeOps.Solvers.Elliptic;
using PdeOps.Solvers.Multigrid;

namespace PdeOps.Cli.Commands.Solve;

/// <summary>The options shared by the <c>pdeops solve</c> commands, created fresh per command.</summary>
public sealed class SolveOptions
{
    /// <summary>Options for a problem whose default grid has <paramref name="defaultN"/> interior points per axis.</summary>
    public SolveOptions(int defaultN, string defaultKrylov, string defaultCycle = "V", int maxIterations = 200)
    {
        MaxIterations = new Option<int>("--max-iterations") { Description = "Most iterations (cycles, or Krylov iterations)", DefaultValueFactory = _ => maxIterations };
        N = new Option<int>("--n") { Description = "Interior points per axis (2^k - 1 coarsens fully)", DefaultValueFactory = _ => defaultN };
        N.RequireAtLeast(1);
        Dim.AcceptOnlyFromAmong("2", "3");
        Cycle = new Option<string>("--cycle") { Description = "Multigrid cycle: V, W, F or fmg", DefaultValueFactory = _ => defaultCycle };
        Cycle.AcceptOnlyFromAmong("V", "W", "F", "fmg");
        Smoother.AcceptOnlyFromAmong("rbgs", "jacobi", "chebyshev");
        Krylov = new Option<string>("--krylov") { Description = "Outer Krylov method: cg, gmres, bicgstab or none", DefaultValueFactory = _ => defaultKrylov };
        Krylov.AcceptOnlyFromAmong("cg", "gmres", "bicgstab", "none");
        Tol.RequirePositive();
        // r = b - A x is computed with a rounding error of about machine epsilon times ||b||: a smaller
        // relative residual can never be measured, and a solver asked for it iterates to its limit or breaks down.
        Tol.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && double.TryParse(r.Tokens[0].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double tol) && tol > 0 && tol < MachineEpsilon)
                r.AddError($"--tol {r.Tokens[0].Value} is below double precision's machine epsilon {MachineEpsilon:G2}: no relative residual that small can be computed");
        });
        MaxIterations.RequireAtLeast(1);
        Device.AcceptOnlyFromAmong("cpu", "gpu", "ilgpu-cpu");
        Precision.AcceptOnlyFromAmong("double", "single");
        Index.RequireAtLeast(0);
        Pre.RequireAtLeast(0);
        Post.RequireAtLeast(0);
    }

    /// <summary>--n.</summary>
    public Option<int> N { get; }
    /// <summary>--dim.</summary>
    public Option<string> Dim { get; } = new("--dim") { Description = "Spatial dimension: 2 or 3", DefaultValueFactory = _ => "2" };
    /// <summary>--bc.</summary>
    public Option<string> Bc { get; } = new("--bc") { Description = "Boundary conditions: dirichlet, neumann, periodic, or four kinds west,east,south,north (e.g. d,n,p,p)", DefaultValueFactory = _ => "dirichlet" };
    /// <summary>--cycle.</summary>
    public Option<string> Cycle { get; }
    /// <summary>--smoother.</summary>
    public Option<string> Smoother { get; } = new("--smoother") { Description = "Smoother: rbgs (red-black/multicolour Gauss-Seidel), jacobi or chebyshev", DefaultValueFactory = _ => "rbgs" };
    /// <summary>--krylov.</summary>
    public Option<string> Krylov { get; }
    /// <summary>--pre.</summary>
    public Option<int?> Pre { get; } = new("--pre") { Description = "Smoothing sweeps before the coarse correction (default 2)" };
    /// <summary>--post.</summary>
    public Option<int?> Post { get; } = new("--post") { Description = "Smoothing sweeps after the coarse correction (default 1 for the Poisson multigrid, 2 in the general solver)" };
    // The spacing of doubles at 1 (2^-52): the least relative residual --tol may ask for.
    const double MachineEpsilon = 2.220446049250313e-16;
    /// <summary>--tol.</summary>
    public Option<double> Tol { get; } = new("--tol") { Description = "Relative residual tolerance", DefaultValueFactory = _ => 1e-10 };
    /// <summary>--max-iterations.</summary>
    public Option<int> MaxIterations { get; }
    /// <summary>--device.</summary>
    public Option<string> Device { get; } = new("--device") { Description = "cpu (native), gpu (CUDA through ILGPU) or ilgpu-cpu (the GPU kernels on ILGPU's CPU accelerator)", DefaultValueFactory = _ => "cpu" };
    /// <summary>--precision.</summary>
    public Option<string> Precision { get; } = new("--precision") { Description = "Arithmetic on --device gpu/ilgpu-cpu: double or single", DefaultValueFactory = _ => "double" };
    /// <summary>--threads.</summary>
    public Option<int> Threads { get; } = CommonOptions.Threads();
    /// <summary>--coefficient.</summary>
    public Option<string?> Coefficient { get; } = new("--coefficient") { Description = "Diffusion coefficient a at the grid vertices: FILE.h5 or FILE.h5:DATASET (default datasets a, coeff, nu); sets the grid size" };
    /// <summary>--forcing.</summary>
    public Option<string?> Forcing { get; } = new("--forcing") { Description = "Right-hand side f at the grid vertices: FILE.h5 or FILE.h5:DATASET (default dataset f)" };
    /// <summary>--index.</summary>
    public Option<int> Index { get; } = new("--index") { Description = "Sample of an (N, H, W) stack in --coefficient/--forcing", DefaultValueFactory = _ => 0 };
    /// <summary>--out.</summary>
    public Option<string?> Out { get; } = new("--out") { Description = "Write the solution (and inputs) to this HDF5 file" };
    /// <summary>--plot.</summary>
    public Option<string?> Plot { get; } = new("--plot") { Description = "Write a figure of the solution (.png or .svg)" };
    /// <summary>--json.</summary>
    public Option<bool> Json { get; } = CommonOptions.Json();
    /// <summary>--keep-unconverged.</summary>
    public Option<bool> KeepUnconverged { get; } = new("--keep-unconverged")
    {
        Description = "When the solve fails, write its unconverged state to NAME.unconverged.h5 / .png (root attributes converged = false and reason) instead of nothing; the named --out and --plot files are never replaced by a failed solve",
    };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public Command AddTo(Command command, bool elliptic)
    {
        command.Options.Add(N);
        if (elliptic)
        {
            foreach (var o in new Option[] { Dim, Bc, Cycle, Smoother, Pre, Post, Krylov, Tol, MaxIterations, Device, Precision, Coefficient, Forcing, Index }) command.Options.Add(o);
        }
        foreach (var o in new Option[] { Threads, Out, Plot, KeepUnconverged, Json }) command.Options.Add(o);
        return command;
    }

    /// <summary>The output files, checked before any work: --plot must end in .png or .svg, --keep-unconverged needs --out or --plot.</summary>
    public SolveOutputs Outputs(ParseResult parse, params (string Option, string? Spec)[] inputs)
    {
        string? plot = parse.GetValue(Plot), output = parse.GetValue(Out);
        if (plot is not null && Path.GetExtension(plot).ToLowerInvariant() is not (".png" or ".svg"))
            throw new UsageException($"--plot must end in .png or .svg, got '{plot}'");
        // An input file named as an output would be replaced by the result it was read for.
        CommonOptions.RequireDistinctFiles([.. inputs.Select(i => (i.Option, i.Spec is null ? null : InputFields.Split(i.Spec).Path)), ("--out", output), ("--plot", plot)]);
        bool keep = parse.GetValue(KeepUnconverged);
        if (keep && plot is null && output is null)
            throw new UsageException("--keep-unconverged keeps a failed solve's --out and --plot under NAME.unconverged.EXT; give --out or --plot");
        return new SolveOutputs(output, plot, keep);
    }

    /// <summary>True when --dim 3 was asked for.</summary>
    public bool ThreeD(ParseResult parse) => parse.GetValue(Dim) == "3";

    /// <summary>Refuses options this version cannot honour.</summary>
    public void CheckSupported(ParseResult parse, bool gpuCapable, bool threeD = false)
    {
        Outputs(parse, ("--coefficient", parse.GetValue(Coefficient)), ("--forcing", parse.GetValue(Forcing)));
        if (parse.GetValue(Dim) == "3" && !threeD) throw new UsageException("this problem is solved in 2D; --dim 3 is offered by solve poisson and solve darcy");
        if (!gpuCapable && parse.GetValue(Device) != "cpu")
            throw new UsageException($"--device {parse.GetValue(Device)} runs only the constant-coefficient Poisson multigrid; this problem runs on --device cpu");
    }

    /// <summary>Boundary conditions from --bc.</summary>
    public BoundaryConditions2D Boundaries(ParseResult parse)
    {
        try { return BoundaryConditions2D.Parse(parse.GetValue(Bc)!); }
        catch (FormatException e) { throw new UsageException($"--bc: {e.Message}"); }
    }

    /// <summary>Solver options from --cycle, --smoother, --krylov, --tol, --max-iterations, --threads.</summary>
    public EllipticSolverOptions Elliptic(ParseResult parse)
    {
        string cycle = parse.GetValue(Cycle)!;
        if (cycle == "fmg") throw new UsageException("--cycle fmg is available for the constant-coefficient Poisson problem; use V, W or F here");
        return new EllipticSolverOptions
        {
            Krylov = parse.GetValue(Krylov) switch { "cg" => KrylovKind.Cg, "gmres" => KrylovKind.Gmres, "bicgstab" => KrylovKind.BiCgStab, _ => KrylovKind.None },
            RelativeTolerance = parse.GetValue(Tol),
            MaxIterations = parse.GetValue(MaxIterations),
            Multigrid = new MultigridOptions
            {
                Cycle = Enum.Parse<CycleType>(cycle),
                Smoother = parse.GetValue(Smoother) switch
                {
                    "jacobi" => SmootherKind.WeightedJacobi,
                    "chebyshev" => SmootherKind.Chebyshev,
                    _ => SmootherKind.GaussSeidel,
                },
                Threads = parse.GetValue(Threads),
                PreSmoothing = Sweeps(parse, Pre, 2),
                PostSmoothing = Sweeps(parse, Post, 2),
            },
        };
    }

    /// <summary>The value of a sweep-count option, or its default; negative counts are usage errors.</summary>
    public static int Sweeps(ParseResult parse, Option<int?> option, int fallback)
    {
        int value = parse.GetValue(option) ?? fallback;
        if (value < 0) throw new UsageException($"{option.Name} must be at least 0, got {value}");
        return value;
    }
}
