using System.Runtime.CompilerServices;

namespace PdeOps.Solvers.Diffusion;

/// <summary>
/// Bilinear transfers between padded levels and the Galerkin product P^T A P (Trottenberg et al.,
/// Multigrid, 2001, sec. 7.7). Coarse unknown I sits on fine unknown 2I; a fine unknown of odd
/// index is the mean of its two coarse neighbours, ghosts counting as zero. A fine axis with n
/// unknowns has n / 2 (rounded down) coarse unknowns: for odd n this is standard coarsening, for
/// even n the last fine unknown coincides with the last coarse one, next to the boundary. Either
/// way the coarse operator follows from P alone, so every grid size coarsens to a few points.
/// </summary>
internal static class PaddedGalerkin
{
    /// <summary>coarse.B = P^T fine.R.</summary>
    public static void Restrict(PaddedStencilLevel fine, PaddedStencilLevel coarse)
    {
        int fs = fine.Stride, cs = coarse.Stride;
        var r = fine.R;
        var b = coarse.B;
        for (int cj = 1; cj <= coarse.Ny; cj++)
        {
            int f0 = 2 * cj * fs;
            for (int ci = 1; ci <= coarse.Nx; ci++)
            {
                int p = f0 + 2 * ci;
                double centre = r[p] + 0.5 * (r[p - 1] + r[p + 1]);
                double below = r[p - fs] + 0.5 * (r[p - fs - 1] + r[p - fs + 1]);
                double above = r[p + fs] + 0.5 * (r[p + fs - 1] + r[p + fs + 1]);
                b[cj * cs + ci] = centre + 0.5 * (below + above);
            }
        }
    }

    /// <summary>fine.X += P coarse.X, written as a gather so fine ghosts are never touched.</summary>
    public static void ProlongAdd(PaddedStencilLevel coarse, PaddedStencilLevel fine, double[] rowBuffer)
    {
        int fs = fine.Stride, cs = coarse.Stride;
        var xc = coarse.X;
        var xf = fine.X;
        for (int j = 1; j <= fine.Ny; j++)
        {
            // The coarse data of this fine row, interpolated along y.
            int ja = j >> 1, jb = (j + 1) >> 1;
            double wa = (j & 1) == 0 ? 1 : 0.5, wb = (j & 1) == 0 ? 0 : 0.5;
            for (int ci = 0; ci < cs; ci++) rowBuffer[ci] = wa * xc[ja * cs + ci] + wb * xc[jb * cs + ci];
            int row = j * fs;
            for (int i = 1; i <= fine.Nx; i++)
                xf[row + i] += (i & 1) == 0 ? rowBuffer[i >> 1] : 0.5 * (rowBuffer[i >> 1] + rowBuffer[(i + 1) >> 1]);
        }
    }

    /// <summary>
    /// One term of the Galerkin product: fine support point <c>Source / 9</c> of a coarse basis
    /// function (offset (ey, ex) from the coarse point, in row-major 3 x 3 order), its coupling
    /// <c>Source % 9</c>, and the lower-half coarse coupling it adds to with <c>Weight</c>.
    /// </summary>
    readonly record struct Term(int Source, int Target, double Weight);

    // The fine neighbour at offset r from the coarse point's fine vertex lies in the support of the
    // coarse neighbour d with weight (1 - |r - 2d| / 2) per axis when |r - 2d| <= 1. Terms of the
    // four corner couplings are left out of the five-point table.
    static readonly Term[] NinePointTerms = BuildTerms(fivePoint: false);
    static readonly Term[] FivePointTerms = BuildTerms(fivePoint: true);

    static Term[] BuildTerms(bool fivePoint)
    {
        var terms = new List<Term>();
        for (int e = 0; e < 9; e++)
        {
            int ey = e / 3 - 1, ex = e % 3 - 1;
            double wp = (ey == 0 ? 1 : 0.5) * (ex == 0 ? 1 : 0.5);
            for (int k = 0; k < 9; k++)
            {
                if (fivePoint && k % 2 == 0 && k != 4) continue;
                int ry = ey + k / 3 - 1, rx = ex + k % 3 - 1;
                for (int t = 0; t < 5; t++) // lower half: SW, S, SE, W, centre
                {
                    int dy = t / 3 - 1, dx = t % 3 - 1;
                    int distY = Math.Abs(ry - 2 * dy), distX = Math.Abs(rx - 2 * dx);
                    if (distY > 1 || distX > 1) continue;
                    terms.Add(new Term(e * 9 + k, t, wp * (distY == 0 ? 1 : 0.5) * (distX == 0 ? 1 : 0.5)));
                }
            }
        }
        return terms.ToArray();
    }

    /// <summary>Fills <paramref name="coarse"/> (from <see cref="CoarseLevelOf"/>) with P^T A P of <paramref name="fine"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Coarsen(PaddedStencilLevel fine, PaddedStencilLevel coarse)
    {
        int fs = fine.Stride, cs = coarse.Stride;
        Span<double> couplings = stackalloc double[81];
        Span<double> row = stackalloc double[5];
        var terms = fine.FivePoint ? FivePointTerms : NinePointTerms;
        // Coupling k of point p is source[k][p + shift[k]]: the upper half read through symmetry.
        var source = new[] { fine.SouthWest, fine.South, fine.SouthEast, fine.West, fine.Centre, fine.West, fine.SouthEast, fine.South, fine.SouthWest };
        var shift = new[] { 0, 0, 0, 0, 0, 1, fs - 1, fs, fs + 1 };
        int kStep = fine.FivePoint ? 2 : 1, kFirst = fine.FivePoint ? 1 : 0;
        for (int cj = 1; cj <= coarse.Ny; cj++)
            for (int ci = 1; ci <= coarse.Nx; ci++)
            {
                for (int e = 0; e < 9; e++)
                {
                    int fj = 2 * cj + e / 3 - 1, fi = 2 * ci + e % 3 - 1, p = fj * fs + fi;
                    bool ghost = fj > fine.Ny || fi > fine.Nx; // a ghost row holds no equation
                    for (int k = kFirst; k < 9; k += kStep) couplings[e * 9 + k] = ghost ? 0 : source[k][p + shift[k]];
                    if (fine.FivePoint) couplings[e * 9 + 4] = ghost ? 0 : fine.Centre[p];
                }
                row.Clear();
                foreach (var term in terms) row[term.Target] += term.Weight * couplings[term.Source];
                int q = cj * cs + ci;
                coarse.SouthWest[q] = cj > 1 && ci > 1 ? row[0] : 0;
                coarse.South[q] = cj > 1 ? row[1] : 0;
                coarse.SouthEast[q] = cj > 1 && ci < coarse.Nx ? row[2] : 0;
                coarse.West[q] = ci > 1 ? row[3] : 0;
                coarse.Centre[q] = row[4];
            }
        coarse.Finish();
    }

    /// <summary>An empty coarse level for <paramref name="fine"/>.</summary>
    public static PaddedStencilLevel CoarseLevelOf(PaddedStencilLevel fine) => new(fine.Nx / 2, fine.Ny / 2, fivePoint: false);
}
