using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PdeOps.Physics.RandomFields;

/// <summary>
/// C = A B for row-major double matrices, register-blocked: each step keeps a 4 x 8 block of C in
/// eight 256-bit accumulators while it runs over k, so every loaded value of B feeds four fused
/// multiply-adds. Enough for the basis products of <see cref="GaussianRandomField"/>; not a BLAS.
/// </summary>
internal static class SmallGemm
{
    /// <summary>C (m x n, row stride ldc) = A (m x k, lda) B (k x n, ldb); C is overwritten.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, Span<double> c, int ldc, int m, int n, int k)
    {
        if (a.Length < (m - 1) * lda + k || b.Length < (k - 1) * ldb + n || c.Length < (m - 1) * ldc + n)
            throw new ArgumentException("matrix spans are shorter than their shapes");
        ref double ra = ref MemoryMarshal.GetReference(a);
        ref double rb = ref MemoryMarshal.GetReference(b);
        ref double rc = ref MemoryMarshal.GetReference(c);
        // Panels of 64 columns: the k x 64 slice of B stays in cache while every row block uses it.
        const int Panel = 64;
        int vectorRows = Vector256.IsHardwareAccelerated ? m / 4 * 4 : 0;
        int vectorColumns = Vector256.IsHardwareAccelerated ? n / 8 * 8 : 0;
        for (int j0 = 0; j0 < vectorColumns; j0 += Panel)
        {
            int j1 = Math.Min(j0 + Panel, vectorColumns);
            for (int i = 0; i < vectorRows; i += 4)
                for (int j = j0; j < j1; j += 8) Block4x8(ref ra, lda, ref rb, ldb, ref rc, ldc, i, j, k);
        }
        for (int i = 0; i < m; i++)
            for (int j = i < vectorRows ? vectorColumns : 0; j < n; j++) Unsafe.Add(ref rc, i * ldc + j) = Dot(ref ra, lda, ref rb, ldb, i, j, k);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static double Dot(ref double ra, int lda, ref double rb, int ldb, int row, int column, int k)
    {
        double sum = 0;
        for (int p = 0; p < k; p++) sum += Unsafe.Add(ref ra, row * lda + p) * Unsafe.Add(ref rb, p * ldb + column);
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Block4x8(ref double ra, int lda, ref double rb, int ldb, ref double rc, int ldc, int i, int j, int k)
    {
        Vector256<double> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<double> c20 = default, c21 = default, c30 = default, c31 = default;
        ref double a0 = ref Unsafe.Add(ref ra, i * lda);
        ref double a1 = ref Unsafe.Add(ref a0, lda);
        ref double a2 = ref Unsafe.Add(ref a1, lda);
        ref double a3 = ref Unsafe.Add(ref a2, lda);
        for (int p = 0; p < k; p++)
        {
            ref double bp = ref Unsafe.Add(ref rb, p * ldb + j);
            var b0 = Vector256.LoadUnsafe(ref bp);
            var b1 = Vector256.LoadUnsafe(ref bp, 4);
            var x = Vector256.Create(Unsafe.Add(ref a0, p));
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(Unsafe.Add(ref a1, p));
            c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(Unsafe.Add(ref a2, p));
            c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(Unsafe.Add(ref a3, p));
            c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
        }
        ref double c0 = ref Unsafe.Add(ref rc, i * ldc + j);
        c00.StoreUnsafe(ref c0); c01.StoreUnsafe(ref c0, 4);
        ref double c1 = ref Unsafe.Add(ref c0, ldc);
        c10.StoreUnsafe(ref c1); c11.StoreUnsafe(ref c1, 4);
        ref double c2 = ref Unsafe.Add(ref c1, ldc);
        c20.StoreUnsafe(ref c2); c21.StoreUnsafe(ref c2, 4);
        ref double c3 = ref Unsafe.Add(ref c2, ldc);
        c30.StoreUnsafe(ref c3); c31.StoreUnsafe(ref c3, 4);
    }
}
