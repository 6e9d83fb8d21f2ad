namespace PdeOps.Physics.Symbolic;

public sealed partial class VectorProgram
{
    // Points per block of grid rows: whole rows, about this many values.
    const int GridBlock = 1024;
    const int AlongX = 1, AlongY = 2, BothAxes = 3;

    /// <summary>
    /// Evaluates every expression on the tensor grid <paramref name="xs"/> × <paramref name="ys"/>
    /// of a program over two variables (the first one varies along rows), writing expression k to
    /// the first nx · ny values of <paramref name="results"/>[k] in row-major [y, x] order (longer
    /// arrays, such as pooled ones, keep the rest). Subexpressions of one variable alone
    /// (sin(3x + 1), e^y) are computed once along their axis and not at every grid point: in
    /// manufactured solutions, whose terms are functions of a x + b y + c with a or b often 0,
    /// that is most of the transcendental work. The others run over blocks of whole rows, in as few
    /// buffers as are live at once, so that a long program's working set stays in cache.
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
        var rows = Math.Max(1, GridBlock / Math.Max(1, nx));
        var grid = new GridState(this, xs, ys, rows);
        for (var k = 0; k < program.Count; k++)
            if (dependence[k] != BothAxes) grid.ComputeAlongAxis(k);
        for (var j = 0; j < ny; j += rows)
        {
            var count = Math.Min(rows, ny - j) * nx;
            for (var k = 0; k < program.Count; k++)
                if (dependence[k] == BothAxes) grid.ComputeBlock(k, j, count);
            for (var k = 0; k < outputs.Length; k++) grid.Operand(outputs[k], j, count, 0).CopyTo(results[k].AsSpan(j * nx, count));
        }
    }

    // to = op(values, number), or op(number, values) when the number comes first.
    static void ComputeWithNumber(Op op, ReadOnlySpan<double> values, double number, bool numberFirst, Span<double> to)
    {
        switch (op, numberFirst)
        {
            case (Op.Add, _): Lanes.Apply<Lanes.Add>(values, number, to); break;
            case (Op.Multiply, _): Lanes.Apply<Lanes.Multiply>(values, number, to); break;
            case (Op.Subtract, false): Lanes.Apply<Lanes.Subtract>(values, number, to); break;
            case (Op.Subtract, true): Lanes.Apply<Lanes.Subtract>(number, values, to); break;
            case (Op.Divide, false): Lanes.Apply<Lanes.Divide>(values, number, to); break;
            case (Op.Divide, true): Lanes.Apply<Lanes.Divide>(number, values, to); break;
            default: throw new InvalidOperationException($"{op} has no form with a number operand");
        }
    }

    /// <summary>
    /// Buffers for the instructions that <paramref name="pooled"/> selects (their operands are
    /// selected ones or live elsewhere), reused once a value is dead: an operand whose last use is
    /// instruction m gives its buffer to m (elementwise operations may write over their operand).
    /// Outputs stay live to the end.
    /// </summary>
    (int[] Slot, int Buffers) BufferPlan(Func<int, bool> pooled)
    {
        var lastUse = new int[program.Count];
        for (var m = 0; m < program.Count; m++)
            if (pooled(m) && program[m].Op is not (Op.Input or Op.Constant))
            {
                lastUse[program[m].A] = m;
                if (IsBinary(program[m].Op)) lastUse[program[m].B] = m;
            }
        foreach (var o in outputs) lastUse[o] = int.MaxValue;
        var slot = new int[program.Count];
        var free = new Stack<int>();
        var buffers = 0;
        for (var m = 0; m < program.Count; m++)
        {
            if (!pooled(m)) continue;
            if (program[m].Op is not (Op.Input or Op.Constant))
            {
                var (a, b) = (program[m].A, IsBinary(program[m].Op) ? program[m].B : -1);
                if (pooled(a) && lastUse[a] == m) free.Push(slot[a]);
                if (b >= 0 && b != a && pooled(b) && lastUse[b] == m) free.Push(slot[b]);
            }
            slot[m] = free.Count > 0 ? free.Pop() : buffers++;
        }
        return (slot, buffers);
    }

    /// <summary>Values of the one-variable instructions along their axis, and broadcast scratch.</summary>
    sealed class GridState
    {
        readonly VectorProgram program;
        readonly double[] xs, ys;
        readonly int rows;
        readonly double[] scalars;
        readonly double[]?[] lines;
        // Lines along x repeated for every row of a block, made when first read there.
        readonly double[]?[] tiles;
        readonly double[][] scratch;
        // Buffers of the instructions of both variables, one block of rows each, shared as BufferPlan says.
        readonly int[] bufferOf;
        readonly double[][] buffers;

        public GridState(VectorProgram program, double[] xs, double[] ys, int rows)
        {
            (this.program, this.xs, this.ys, this.rows) = (program, xs, ys, rows);
            var plan = program.BufferPlan(k => program.dependence[k] == BothAxes);
            bufferOf = plan.Slot;
            buffers = Enumerable.Range(0, plan.Buffers).Select(_ => new double[rows * xs.Length]).ToArray();
            scalars = new double[program.program.Count];
            lines = new double[program.program.Count][];
            tiles = new double[program.program.Count][];
            var longest = Math.Max(rows * xs.Length, Math.Max(xs.Length, ys.Length));
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

        /// <summary>Instruction k, of both variables, on the <paramref name="count"/> values of the block of rows from row j.</summary>
        public void ComputeBlock(int k, int j, int count)
        {
            var i = program.program[k];
            var to = buffers[bufferOf[k]].AsSpan(0, count);
            var (aIsNumber, bIsNumber) = (program.dependence[i.A] == 0, IsBinary(i.Op) && program.dependence[i.B] == 0);
            // An operand without variables is a number: read it as one rather than as an array of copies.
            if (i.Op != Op.Power && (aIsNumber || bIsNumber))
                ComputeWithNumber(i.Op, Operand(aIsNumber ? i.B : i.A, j, count, 0), scalars[aIsNumber ? i.A : i.B], numberFirst: aIsNumber, to);
            else
                Compute(i.Op, Operand(i.A, j, count, 0), IsBinary(i.Op) ? Operand(i.B, j, count, 1) : default, to);
        }

        /// <summary>Operand k on the <paramref name="count"/> values of the block of rows from row j, read from where its values live.</summary>
        public ReadOnlySpan<double> Operand(int k, int j, int count, int slot)
        {
            switch (program.dependence[k])
            {
                case BothAxes: return buffers[bufferOf[k]].AsSpan(0, count);
                case AlongX: return Tile(k).AsSpan(0, count);
                case AlongY:
                    var span = scratch[slot].AsSpan(0, count);
                    for (var r = 0; r * xs.Length < count; r++) span.Slice(r * xs.Length, xs.Length).Fill(lines[k]![j + r]);
                    return span;
                default: return Repeat(scalars[k], count, slot);
            }
        }

        double[] Tile(int k)
        {
            if (tiles[k] is { } tile) return tile;
            tile = new double[rows * xs.Length];
            for (var r = 0; r < rows; r++) lines[k].AsSpan().CopyTo(tile.AsSpan(r * xs.Length));
            return tiles[k] = tile;
        }

        Span<double> Repeat(double value, int count, int slot)
        {
            var span = scratch[slot].AsSpan(0, count);
            span.Fill(value);
            return span;
        }
    }
}
