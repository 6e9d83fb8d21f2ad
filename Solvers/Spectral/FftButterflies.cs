using System.Numerics;

namespace PdeOps.Solvers.Spectral;

/// <summary>
/// The butterflies of one Stockham decimation-in-frequency stage (see <see cref="ComplexFftPlan"/>):
/// with m = Span and s = Stride, inputs a_j = x[q + s (p + j m)] give c_k = sum_j a_j W_r^(jk), and
/// y[q + s (r p + k)] = c_k W_n^(s p k), for p &lt; m and q &lt; s. Generic over the lane type
/// (<see cref="IFftLane{T}"/>): one transform, or four in step. Pointers avoid bounds checks in the
/// innermost loops, which dominate the cost of a transform.
/// </summary>
internal static unsafe class FftButterflies
{
    public static void Radix2<T>(FftStage st, Span<T> xs, Span<T> ys) where T : unmanaged, IFftLane<T>
    {
        int m = st.Span, s = st.Stride;
        fixed (T* x = xs, y = ys)
        fixed (Complex* tw = st.Twiddles)
        {
            for (int p = 0; p < m; p++)
            {
                Complex w = tw[p];
                T* a = x + s * p, b = x + s * (p + m), o0 = y + s * 2 * p, o1 = o0 + s;
                for (int q = 0; q < s; q++)
                {
                    T u = a[q], v = b[q];
                    o0[q] = u + v;
                    o1[q] = (u - v) * w;
                }
            }
        }
    }

    public static void Radix4<T>(FftStage st, Span<T> xs, Span<T> ys) where T : unmanaged, IFftLane<T>
    {
        int m = st.Span, s = st.Stride;
        fixed (T* x = xs, y = ys)
        fixed (Complex* tw = st.Twiddles)
        {
            for (int p = 0; p < m; p++)
            {
                Complex w1 = tw[3 * p], w2 = tw[3 * p + 1], w3 = tw[3 * p + 2];
                T* a0 = x + s * p, a1 = a0 + s * m, a2 = a1 + s * m, a3 = a2 + s * m;
                T* o0 = y + s * 4 * p, o1 = o0 + s, o2 = o1 + s, o3 = o2 + s;
                for (int q = 0; q < s; q++)
                {
                    T t0 = a0[q] + a2[q], t1 = a0[q] - a2[q], t2 = a1[q] + a3[q];
                    T t3 = T.MinusI(a1[q] - a3[q]);
                    o0[q] = t0 + t2;
                    o1[q] = (t1 + t3) * w1;
                    o2[q] = (t0 - t2) * w2;
                    o3[q] = (t1 - t3) * w3;
                }
            }
        }
    }

    public static void Radix3<T>(FftStage st, Span<T> xs, Span<T> ys) where T : unmanaged, IFftLane<T>
    {
        const double HalfSqrt3 = 0.86602540378443864676;
        int m = st.Span, s = st.Stride;
        fixed (T* x = xs, y = ys)
        fixed (Complex* tw = st.Twiddles)
        {
            for (int p = 0; p < m; p++)
            {
                Complex w1 = tw[2 * p], w2 = tw[2 * p + 1];
                T* a0 = x + s * p, a1 = a0 + s * m, a2 = a1 + s * m;
                T* o0 = y + s * 3 * p, o1 = o0 + s, o2 = o1 + s;
                for (int q = 0; q < s; q++)
                {
                    T sum = a1[q] + a2[q], diff = a1[q] - a2[q];
                    T mid = a0[q] - 0.5 * sum;
                    T rot = T.MinusI(HalfSqrt3 * diff);
                    o0[q] = a0[q] + sum;
                    o1[q] = (mid + rot) * w1;
                    o2[q] = (mid - rot) * w2;
                }
            }
        }
    }

    public static void Radix5<T>(FftStage st, Span<T> xs, Span<T> ys) where T : unmanaged, IFftLane<T>
    {
        double c1 = Math.Cos(2 * Math.PI / 5), c2 = Math.Cos(4 * Math.PI / 5);
        double s1 = Math.Sin(2 * Math.PI / 5), s2 = Math.Sin(4 * Math.PI / 5);
        int m = st.Span, s = st.Stride;
        fixed (T* x = xs, y = ys)
        fixed (Complex* tw = st.Twiddles)
        {
            for (int p = 0; p < m; p++)
            {
                Complex w1 = tw[4 * p], w2 = tw[4 * p + 1], w3 = tw[4 * p + 2], w4 = tw[4 * p + 3];
                T* a0 = x + s * p, a1 = a0 + s * m, a2 = a1 + s * m, a3 = a2 + s * m, a4 = a3 + s * m;
                T* o0 = y + s * 5 * p, o1 = o0 + s, o2 = o1 + s, o3 = o2 + s, o4 = o3 + s;
                for (int q = 0; q < s; q++)
                {
                    T b1 = a1[q] + a4[q], b2 = a2[q] + a3[q], d1 = a1[q] - a4[q], d2 = a2[q] - a3[q];
                    T r1 = a0[q] + c1 * b1 + c2 * b2, r2 = a0[q] + c2 * b1 + c1 * b2;
                    T m1 = T.MinusI(s1 * d1 + s2 * d2), m2 = T.MinusI(s2 * d1 - s1 * d2);
                    o0[q] = a0[q] + b1 + b2;
                    o1[q] = (r1 + m1) * w1;
                    o4[q] = (r1 - m1) * w4;
                    o2[q] = (r2 + m2) * w2;
                    o3[q] = (r2 - m2) * w3;
                }
            }
        }
    }

    /// <summary>
    /// Any odd radix r by a direct length-r DFT that pairs inputs j and r - j: with t_j = a_j + a_(r-j) and
    /// d_j = a_j - a_(r-j), c_k and c_(r-k) share sum_j t_j cos(2 pi j k / r) and differ in the sign of
    /// i sum_j d_j sin(2 pi j k / r), about a quarter of the plain DFT's products and no index arithmetic
    /// modulo r. <paramref name="pairs"/> holds at least r - 1 values.
    /// </summary>
    public static void OddRadix<T>(FftStage st, Span<T> xs, Span<T> ys, Span<T> pairs) where T : unmanaged, IFftLane<T>
    {
        int r = st.Radix, h = r / 2, m = st.Span, s = st.Stride;
        fixed (T* x = xs, y = ys, t = pairs)
        fixed (Complex* tw = st.Twiddles)
        fixed (double* cs = st.PairCosines, sn = st.PairSines)
        {
            T* d = t + h;
            for (int p = 0; p < m; p++)
            {
                T* a = x + s * p, o = y + s * r * p;
                Complex* w = tw + p * (r - 1);
                for (int q = 0; q < s; q++)
                {
                    T a0 = a[q], sum = a0;
                    for (int j = 1; j <= h; j++)
                    {
                        T u = a[q + s * j * m], v = a[q + s * (r - j) * m];
                        t[j - 1] = u + v;
                        d[j - 1] = u - v;
                        sum += t[j - 1];
                    }
                    o[q] = sum;
                    for (int k = 1; k <= h; k++)
                    {
                        double* ck = cs + (k - 1) * h, sk = sn + (k - 1) * h;
                        T cosines = a0 + ck[0] * t[0], sines = sk[0] * d[0];
                        for (int j = 1; j < h; j++)
                        {
                            cosines += ck[j] * t[j];
                            sines += sk[j] * d[j];
                        }
                        // c_k = cosine part - i (sine part); c_(r-k) has + i.
                        T rotated = T.MinusI(sines);
                        o[q + s * k] = (cosines + rotated) * w[k - 1];
                        o[q + s * (r - k)] = (cosines - rotated) * w[r - k - 1];
                    }
                }
            }
        }
    }
}
