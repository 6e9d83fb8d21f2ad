using System.Numerics;

namespace PdeOps.Solvers.Spectral;

/// <summary>
/// The butterflies of one Stockham decimation-in-frequency stage (see <see cref="ComplexFftPlan"/>):
/// with m = Span and s = Stride, inputs a_j = x[q + s (p + j m)] give c_k = sum_j a_j W_r^(jk), and
/// y[q + s (r p + k)] = c_k W_n^(s p k), for p &lt; m and q &lt; s. Pointers avoid bounds checks in
/// the innermost loops, which dominate the cost of a transform.
/// </summary>
internal static unsafe class FftButterflies
{
    public static void Radix2(FftStage st, Span<Complex> xs, Span<Complex> ys)
    {
        int m = st.Span, s = st.Stride;
        fixed (Complex* x = xs, y = ys, tw = st.Twiddles)
        {
            for (int p = 0; p < m; p++)
            {
                Complex w = tw[p];
                Complex* a = x + s * p, b = x + s * (p + m), o0 = y + s * 2 * p, o1 = o0 + s;
                for (int q = 0; q < s; q++)
                {
                    Complex u = a[q], v = b[q];
                    o0[q] = u + v;
                    o1[q] = (u - v) * w;
                }
            }
        }
    }

    public static void Radix4(FftStage st, Span<Complex> xs, Span<Complex> ys)
    {
        int m = st.Span, s = st.Stride;
        fixed (Complex* x = xs, y = ys, tw = st.Twiddles)
        {
            for (int p = 0; p < m; p++)
            {
                Complex w1 = tw[3 * p], w2 = tw[3 * p + 1], w3 = tw[3 * p + 2];
                Complex* a0 = x + s * p, a1 = a0 + s * m, a2 = a1 + s * m, a3 = a2 + s * m;
                Complex* o0 = y + s * 4 * p, o1 = o0 + s, o2 = o1 + s, o3 = o2 + s;
                for (int q = 0; q < s; q++)
                {
                    Complex t0 = a0[q] + a2[q], t1 = a0[q] - a2[q], t2 = a1[q] + a3[q], d = a1[q] - a3[q];
                    var t3 = new Complex(d.Imaginary, -d.Real); // (a1 - a3) * (-i)
                    o0[q] = t0 + t2;
                    o1[q] = (t1 + t3) * w1;
                    o2[q] = (t0 - t2) * w2;
                    o3[q] = (t1 - t3) * w3;
                }
            }
        }
    }

    public static void Radix3(FftStage st, Span<Complex> xs, Span<Complex> ys)
    {
        const double HalfSqrt3 = 0.86602540378443864676;
        int m = st.Span, s = st.Stride;
        fixed (Complex* x = xs, y = ys, tw = st.Twiddles)
        {
            for (int p = 0; p < m; p++)
            {
                Complex w1 = tw[2 * p], w2 = tw[2 * p + 1];
                Complex* a0 = x + s * p, a1 = a0 + s * m, a2 = a1 + s * m;
                Complex* o0 = y + s * 3 * p, o1 = o0 + s, o2 = o1 + s;
                for (int q = 0; q < s; q++)
                {
                    Complex sum = a1[q] + a2[q], diff = a1[q] - a2[q];
                    Complex mid = a0[q] - 0.5 * sum;
                    var rot = new Complex(HalfSqrt3 * diff.Imaginary, -HalfSqrt3 * diff.Real); // -i sqrt(3)/2 (a1 - a2)
                    o0[q] = a0[q] + sum;
                    o1[q] = (mid + rot) * w1;
                    o2[q] = (mid - rot) * w2;
                }
            }
        }
    }

    public static void Radix5(FftStage st, Span<Complex> xs, Span<Complex> ys)
    {
        double c1 = Math.Cos(2 * Math.PI / 5), c2 = Math.Cos(4 * Math.PI / 5);
        double s1 = Math.Sin(2 * Math.PI / 5), s2 = Math.Sin(4 * Math.PI / 5);
        int m = st.Span, s = st.Stride;
        fixed (Complex* x = xs, y = ys, tw = st.Twiddles)
        {
            for (int p = 0; p < m; p++)
            {
                Complex w1 = tw[4 * p], w2 = tw[4 * p + 1], w3 = tw[4 * p + 2], w4 = tw[4 * p + 3];
                Complex* a0 = x + s * p, a1 = a0 + s * m, a2 = a1 + s * m, a3 = a2 + s * m, a4 = a3 + s * m;
                Complex* o0 = y + s * 5 * p, o1 = o0 + s, o2 = o1 + s, o3 = o2 + s, o4 = o3 + s;
                for (int q = 0; q < s; q++)
                {
                    Complex b1 = a1[q] + a4[q], b2 = a2[q] + a3[q], d1 = a1[q] - a4[q], d2 = a2[q] - a3[q];
                    Complex r1 = a0[q] + c1 * b1 + c2 * b2, r2 = a0[q] + c2 * b1 + c1 * b2;
                    Complex i1 = s1 * d1 + s2 * d2, i2 = s2 * d1 - s1 * d2;
                    // -i z = (z.Im, -z.Re)
                    var m1 = new Complex(i1.Imaginary, -i1.Real);
                    var m2 = new Complex(i2.Imaginary, -i2.Real);
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
    public static void OddRadix(FftStage st, Span<Complex> xs, Span<Complex> ys, Complex[] pairs)
    {
        int r = st.Radix, h = r / 2, m = st.Span, s = st.Stride;
        double[] cosines = st.PairCosines, sines = st.PairSines;
        fixed (Complex* x = xs, y = ys, tw = st.Twiddles, t = pairs)
        fixed (double* cs = cosines, sn = sines)
        {
            Complex* d = t + h;
            for (int p = 0; p < m; p++)
            {
                Complex* a = x + s * p, o = y + s * r * p, w = tw + p * (r - 1);
                for (int q = 0; q < s; q++)
                {
                    Complex a0 = a[q], sum = a0;
                    for (int j = 1; j <= h; j++)
                    {
                        Complex u = a[q + s * j * m], v = a[q + s * (r - j) * m];
                        t[j - 1] = u + v;
                        d[j - 1] = u - v;
                        sum += t[j - 1];
                    }
                    o[q] = sum;
                    for (int k = 1; k <= h; k++)
                    {
                        double re = a0.Real, im = a0.Imaginary, sinRe = 0, sinIm = 0;
                        double* ck = cs + (k - 1) * h, sk = sn + (k - 1) * h;
                        for (int j = 0; j < h; j++)
                        {
                            re += ck[j] * t[j].Real;
                            im += ck[j] * t[j].Imaginary;
                            sinRe += sk[j] * d[j].Real;
                            sinIm += sk[j] * d[j].Imaginary;
                        }
                        // c_k = cosine part - i (sinRe + i sinIm); c_(r-k) has + i.
                        o[q + s * k] = new Complex(re + sinIm, im - sinRe) * w[k - 1];
                        o[q + s * (r - k)] = new Complex(re - sinIm, im + sinRe) * w[r - k - 1];
                    }
                }
            }
        }
    }
}
