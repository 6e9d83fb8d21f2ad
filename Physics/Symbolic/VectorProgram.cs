namespace PdeOps.Physics.Symbolic;

/// <summary>
/// Several expressions over the same variables compiled together into one straight-line program
/// over blocks of points: every distinct subexpression (equal operation on equal operands, so u and its
/// derivatives share their common parts) is computed once per block of points in a tight loop.
/// Building the program walks the trees only and emits no code, so it is cheap enough to build
/// for every sample. On tensor grids <see cref="EvaluateOnGrid"/> computes parts that depend on one
/// coordinate only once per row or column. Not thread-safe: one per thread.
/// </summary>
public sealed partial class VectorProgram
{
    const int Block = 256;
    readonly string[] variables;
    readonly List<Instruction> program = [];
    // Value numbering: an instruction is identified by its operation and operand slots, so common
    // subexpressions are found without hashing whole trees; subtrees shared by reference (as
    // derivatives share them) are found first by reference.
    readonly Dictionary<Instruction, int> numbered = [];
    readonly Dictionary<Expr, int> seen = new(ReferenceEqualityComparer.Instance);
    readonly int[] outputs;
    // A block of values per instruction, made by the first Evaluate (grids use their own buffers);
    // instructions whose values are never live at once share an array.
    double[][]? registers;
    // Bit k set when an instruction depends on variable k (0 for constants and their functions).
    readonly List<int> dependence = [];

    enum Op : byte { Input, Constant, Negate, Add, Subtract, Multiply, Divide, Power, Square, Sin, Cos, Exp, Tanh, Sigmoid, Sqrt, Log }

    readonly record struct Instruction(Op Op, int A, int B, double Value);

    /// <summary>Compiles <paramref name="expressions"/> over <paramref name="variables"/> (in the order values are passed).</summary>
    /// <exception cref="ArgumentException">An expression uses a variable not in the list.</exception>
    public VectorProgram(IReadOnlyList<Expr> expressions, IReadOnlyList<string> variables)
    {
        this.variables = variables.ToArray();
        for (var k = 0; k < this.variables.Length; k++) Emit(new Instruction(Op.Input, k, 0, 0));
        outputs = expressions.Select(Slot).ToArray();
    }

    /// <summary>Distinct subexpressions (instructions) of the program.</summary>
    public int Size => program.Count;

    /// <summary>
    /// Evaluates every expression at the points whose coordinates are <paramref name="inputs"/>
    /// (one span per variable, all of one length), writing expression k to <paramref name="results"/>[k].
    /// </summary>
    /// <exception cref="ArgumentException">The counts or lengths disagree.</exception>
    public void Evaluate(IReadOnlyList<double[]> inputs, IReadOnlyList<double[]> results)
    {
        if (inputs.Count != variables.Length) throw new ArgumentException($"expected {variables.Length} inputs ({string.Join(", ", variables)}), got {inputs.Count}");
        if (results.Count != outputs.Length) throw new ArgumentException($"expected {outputs.Length} result arrays, got {results.Count}");
        var n = inputs.Count == 0 ? results[0].Length : inputs[0].Length;
        if (inputs.Any(x => x.Length != n) || results.Any(r => r.Length != n))
            throw new ArgumentException("inputs and results must all have one length");
        registers ??= Registers();
        for (var start = 0; start < n; start += Block)
        {
            var count = Math.Min(Block, n - start);
            for (var k = 0; k < program.Count; k++) Run(program[k], registers[k].AsSpan(0, count), inputs, start);
            for (var k = 0; k < outputs.Length; k++) registers[outputs[k]].AsSpan(0, count).CopyTo(results[k].AsSpan(start, count));
        }
    }

    double[][] Registers()
    {
        var plan = BufferPlan(k => program[k].Op != Op.Constant);
        var buffers = Enumerable.Range(0, plan.Buffers).Select(_ => new double[Block]).ToArray();
        return program.Select((i, k) => i.Op == Op.Constant ? Filled(i.Value) : buffers[plan.Slot[k]]).ToArray();
    }

    void Run(Instruction i, Span<double> to, IReadOnlyList<double[]> inputs, int start)
    {
        if (i.Op == Op.Input) inputs[i.A].AsSpan(start, to.Length).CopyTo(to);
        else if (i.Op != Op.Constant) Compute(i.Op, registers![i.A].AsSpan(0, to.Length), registers[i.B].AsSpan(0, to.Length), to);
    }

    // to = op(a, b) elementwise; unary operations ignore b.
    static void Compute(Op op, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> to)
    {
        switch (op)
        {
            case Op.Negate: Lanes.Apply<Lanes.Negate>(a, a, to); break;
            case Op.Add: Lanes.Apply<Lanes.Add>(a, b, to); break;
            case Op.Subtract: Lanes.Apply<Lanes.Subtract>(a, b, to); break;
            case Op.Multiply: Lanes.Apply<Lanes.Multiply>(a, b, to); break;
            case Op.Divide: Lanes.Apply<Lanes.Divide>(a, b, to); break;
            case Op.Square: Lanes.Apply<Lanes.Multiply>(a, a, to); break;
            case Op.Sqrt: Lanes.Apply<Lanes.Sqrt>(a, a, to); break;
            case Op.Power: for (var k = 0; k < to.Length; k++) to[k] = Math.Pow(a[k], b[k]); break;
            case Op.Sin: VectorMath.Sin(a, to); break;
            case Op.Cos: VectorMath.Cos(a, to); break;
            case Op.Exp: VectorMath.Exp(a, to); break;
            case Op.Tanh: VectorMath.Tanh(a, to); break;
            case Op.Sigmoid: VectorMath.Sigmoid(a, to); break;
            case Op.Log: VectorMath.Log(a, to); break;
            default: throw new InvalidOperationException($"{op} is not an operation on values");
        }
    }

    int Slot(Expr e)
    {
        if (seen.TryGetValue(e, out var slot)) return slot;
        var instruction = e switch
        {
            Constant c => new Instruction(Op.Constant, 0, 0, c.Value),
            Variable v => Array.IndexOf(variables, v.Name) is var k and >= 0
                ? new Instruction(Op.Input, k, 0, 0)
                : throw new ArgumentException($"the expression uses '{v.Name}'; the program's variables are {string.Join(", ", variables)}"),
            Negation n => new Instruction(Op.Negate, Slot(n.Operand), 0, 0),
            FunctionCall f => new Instruction(FunctionOp(f.Function), Slot(f.Argument), 0, 0),
            BinaryOperation { Operator: BinaryOperator.Power, Right: Constant { Value: 2 } } b => new Instruction(Op.Square, Slot(b.Left), 0, 0),
            BinaryOperation b => new Instruction(BinaryOp(b.Operator), Slot(b.Left), Slot(b.Right), 0),
            _ => throw new InvalidOperationException($"unknown expression node {e.GetType().Name}"),
        };
        slot = Emit(instruction);
        seen[e] = slot;
        return slot;
    }

    int Emit(Instruction instruction)
    {
        if (numbered.TryGetValue(instruction, out var slot)) return slot;
        dependence.Add(instruction.Op switch
        {
            Op.Input => 1 << instruction.A,
            Op.Constant => 0,
            _ => dependence[instruction.A] | (IsBinary(instruction.Op) ? dependence[instruction.B] : 0),
        });
        program.Add(instruction);
        numbered[instruction] = program.Count - 1;
        return program.Count - 1;
    }

    static bool IsBinary(Op op) => op is Op.Add or Op.Subtract or Op.Multiply or Op.Divide or Op.Power;

    static Op BinaryOp(BinaryOperator op) => op switch
    {
        BinaryOperator.Add => Op.Add,
        BinaryOperator.Subtract => Op.Subtract,
        BinaryOperator.Multiply => Op.Multiply,
        BinaryOperator.Divide => Op.Divide,
        _ => Op.Power,
    };

    static Op FunctionOp(MathFunction f) => f switch
    {
        MathFunction.Sin => Op.Sin,
        MathFunction.Cos => Op.Cos,
        MathFunction.Exp => Op.Exp,
        MathFunction.Tanh => Op.Tanh,
        MathFunction.Sigmoid => Op.Sigmoid,
        MathFunction.Sqrt => Op.Sqrt,
        _ => Op.Log,
    };

    static double[] Filled(double value)
    {
        var a = new double[Block];
        Array.Fill(a, value);
        return a;
    }
}
