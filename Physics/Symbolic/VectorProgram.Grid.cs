namespace PdeOps.Physics.Symbolic;

public sealed partial class VectorProgram
{
    /// <summary>
    /// Evaluates every expression on the tensor grid <paramref name="xs"/> × <paramref name="ys"/>
    /// of a program over two variables (the first one varies along rows), writing expression k to
    /// the first nx · ny values of <paramref name="results"/>[k] in row-major [y, x] order (longer
    /// arrays, such as pooled ones, keep the rest). Subexpressions of one variable alone
    /// (sin(3x + 1), e^y) are computed once along their axis and not at every grid point: in
    /// manufactured solutions, whose terms are functions of a x + b y + c with a or b often 0,
    /// that is most of the transcendental work.
    /// </summary>
    /// <exception cref="ArgumentException">The program does not have two variables, or the result counts or lengths disagree.</exception>
    public void EvaluateOnGrid(double[] xs, double[] ys, IReadOnlyList<double[]> results)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        if (variables.Length != 2) throw new ArgumentException($"grids take a program over two variables; this one has {variables.Length} ({string.Join(", ", variables)})");
        if (results.Count != outputs.Length) throw new ArgumentException($"expected {outputs.Length} result arrays, got {results.Count}");
        var (nx, ny) = (xs.Length, ys.Length);
        if (results.Any(r => r.Length < nx * ny)) throw new ArgumentException($"each result must hold {nx} × {ny} values");
        var grid = new GridState(this, xs, ys);
        for (var k = 0; k < program.Count; k++)
            if (dependence[k] != BothAxes) grid.ComputeAlongAxis(k);
        for (var j = 0; j < ny; j++)
            for (var start = 0; start < nx; start += Block)
            {
                var count = Math.Min(Block, nx - start);
                for (var k = 0; k < program.Count; k++)
                    if (dependence[k] == BothAxes)
                        Compute(program[k].Op, grid.Operand(program[k].A, j, start, count, 0), grid.Operand(program[k].B, j, start, count, 1), registers[k].AsSpan(0, count));
                for (var k = 0; k < outputs.Length; k++) grid.Operand(outputs[k], j, start, count, 0).CopyTo(results[k].AsSpan(j * nx + start, count));
            }
    }

    const int AlongX = 1, AlongY = 2, BothAxes = 3;

    /// <summary>Values of the one-variable instructions along their axis, and broadcast scratch.</summary>
    sealed class GridState
    {
        readonly VectorProgram program;
        readonly double[] xs, ys;
        readonly double[] scalars;
        readonly double[]?[] lines;
        readonly double[][] scratch;

        public GridState(VectorProgram program, double[] xs, double[] ys)
        {
            (this.program, this.xs, this.ys) = (program, xs, ys);
            scalars = new double[program.program.Count];
            lines = new double[program.program.Count][];
            var longest = Math.Max(Block, Math.Max(xs.Length, ys.Length));
            scratch = [new double[longest], new double[longest]];
        }

        /// <summary>Instruction k's value: a scalar (no variable) or a line along x or y.</summary>
        public void ComputeAlongAxis(int k)
        {
            var i = program.program[k];
            var axis = program.dependence[k];
            if (axis == 0)
            {
                if (i.Op == Op.Constant) scalars[k] = i.Value;
                else Compute(i.Op, [scalars[i.A]], [IsBinary(i.Op) ? scalars[i.B] : 0], new Span<double>(ref scalars[k]));
                return;
            }
            var along = axis == AlongX ? xs : ys;
            lines[k] = i.Op == Op.Input ? along : new double[along.Length];
            if (i.Op != Op.Input) Compute(i.Op, OnAxis(i.A, axis, 0), IsBinary(i.Op) ? OnAxis(i.B, axis, 1) : default, lines[k]);
        }

        // Operand k along an axis: its line, or its scalar repeated.
        ReadOnlySpan<double> OnAxis(int k, int axis, int slot)
        {
            var length = axis == AlongX ? xs.Length : ys.Length;
            return program.dependence[k] == axis ? lines[k] : Repeat(scalars[k], length, slot);
        }

        /// <summary>Operand k on row j, columns [start, start + count), read from where its values live.</summary>
        public ReadOnlySpan<double> Operand(int k, int j, int start, int count, int slot) => program.dependence[k] switch
        {
            BothAxes => program.registers[k].AsSpan(0, count),
            AlongX => lines[k].AsSpan(start, count),
            AlongY => Repeat(lines[k]![j], count, slot),
            _ => Repeat(scalars[k], count, slot),
        };

        Span<double> Repeat(double value, int count, int slot)
        {
            var span = scratch[slot].AsSpan(0, count);
            span.Fill(value);
            return span;
        }
    }
}
