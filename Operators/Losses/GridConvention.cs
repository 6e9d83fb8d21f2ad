using System.Text.Json.Serialization;

namespace PdeOps.Operators.Losses;

/// <summary>
/// Where the n samples of a field lie on an axis of length L, and therefore which quadrature and
/// which difference formulas turn the samples into function-space norms. Both choices are second
/// order accurate for smooth functions.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<GridConvention>))]
public enum GridConvention
{
    /// <summary>
    /// Periodic grid x_i = i L / n (the right endpoint is the left one): rectangle rule with weight
    /// L/n on every point (exact for trigonometric polynomials of degree below n), derivatives by
    /// central differences that wrap around.
    /// </summary>
    Periodic,

    /// <summary>
    /// Closed grid x_i = i L / (n - 1), both endpoints sampled: trapezoidal rule (weight h = L/(n-1),
    /// halved at the two ends), derivatives by central differences inside and second-order one-sided
    /// differences at the two ends.
    /// </summary>
    Closed,
}
