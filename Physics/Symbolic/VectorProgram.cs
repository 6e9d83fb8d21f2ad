namespace PdeOps.Physics.Symbolic;

/// <summary>
/// Several expressions over the same variables compiled together into one straight-line program
/// over blocks of points: every distinct subexpression (equal operation on equal operands, so u and its
/// derivatives share their common parts) is computed once per block of points in a tight loop.
/// Building the program walks the trees only and emits no code, so it is cheap enough to build
/// for every sample. Not thread-safe: one per thread.
/// </summary>
public sealed class VectorProgram
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
    readonly double[][] registers;

    enum Op : byte { Input, Constant, Negate, Add, Subtract, Multiply, Divide, Power, Square, Sin, Cos, Exp, Tanh, Sigmoid, Sqrt, Log }

    readonly record struct Instruction(Op Op, int A, int B, double Value);

    /// <summary>Compiles <paramref name="expressions"/> over <paramref name="variables"/> (in the order values are passed).</summary>
    /// <exception cref="ArgumentException">An expression uses a variable not in the list.</exception>
    public VectorProgram(IReadOnlyList<Expr> expressions, IReadOnlyList<string> variables)
    {
        this.variables = variables.ToArray();
        for (var k = 0; k < this.variables.Length; k++) Emit(new Instruction(Op.Input, k, 0, 0));
        outputs = expressions.Select(Slot).ToArray();
        registers = program.Select(i => i.Op == Op.Constant ? Filled(i.Value) : new double[Block]).ToArray();
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
        for (var start = 0; start < n; start += Block)
        {
            var count = Math.Min(Block, n - start);
            for (var k = 0; k < program.Count; k++) Run(program[k], registers[k].AsSpan(0, count), inputs, start);
            for (var k = 0; k < outputs.Length; k++) registers[outputs[k]].AsSpan(0, count).CopyTo(results[k].AsSpan(start, count));
        }
    }

    void Run(Instruction i, Span<double> to, IReadOnlyList<double[]> inputs, int start)
    {
        var n = to.Length;
        if (i.Op == Op.Input)
        {
            inputs[i.A].AsSpan(start, n).CopyTo(to);
            return;
        }
        if (i.Op == Op.Constant) return;
        var a = registers[i.A];
        var b = registers[i.B];
        // Plain loops: the JIT keeps them tight, and Math's scalar kernels beat the vectorised
        // double-precision fallbacks measured on this machine.
        switch (i.Op)
        {
            case Op.Negate: for (var k = 0; k < n; k++) to[k] = -a[k]; break;
            case Op.Add: for (var k = 0; k < n; k++) to[k] = a[k] + b[k]; break;
            case Op.Subtract: for (var k = 0; k < n; k++) to[k] = a[k] - b[k]; break;
            case Op.Multiply: for (var k = 0; k < n; k++) to[k] = a[k] * b[k]; break;
            case Op.Divide: for (var k = 0; k < n; k++) to[k] = a[k] / b[k]; break;
            case Op.Square: for (var k = 0; k < n; k++) to[k] = a[k] * a[k]; break;
            case Op.Power: for (var k = 0; k < n; k++) to[k] = Math.Pow(a[k], b[k]); break;
            case Op.Sin: for (var k = 0; k < n; k++) to[k] = Math.Sin(a[k]); break;
            case Op.Cos: for (var k = 0; k < n; k++) to[k] = Math.Cos(a[k]); break;
            case Op.Exp: for (var k = 0; k < n; k++) to[k] = Math.Exp(a[k]); break;
            case Op.Tanh: for (var k = 0; k < n; k++) to[k] = Math.Tanh(a[k]); break;
            case Op.Sigmoid: for (var k = 0; k < n; k++) to[k] = MathFunctions.Sigmoid(a[k]); break;
            case Op.Sqrt: for (var k = 0; k < n; k++) to[k] = Math.Sqrt(a[k]); break;
            case Op.Log: for (var k = 0; k < n; k++) to[k] = Math.Log(a[k]); break;
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
        program.Add(instruction);
        numbered[instruction] = program.Count - 1;
        return program.Count - 1;
    }

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
