using PdeOps.Datasets.Readers;

namespace PdeOps.Datasets.Normalization;

/// <summary>
/// An invertible affine map fitted to training data and applied to model inputs or outputs, as
/// neuraloperator's <c>UnitGaussianNormalizer</c> is. <see cref="Fit"/> computes the statistics
/// over the sample axis of a <see cref="FieldArray"/>; <see cref="Encode"/> and <see cref="Decode"/>
/// work in place on one sample or on a batch of whole samples laid out one after another. A fitted
/// normalizer is saved with <see cref="ToJson"/> and restored with <see cref="NormalizerJson.FromJson"/>.
/// </summary>
public interface INormalizer
{
    /// <summary>The "kind" discriminator written to JSON, e.g. "gaussian-pointwise".</summary>
    string Kind { get; }

    /// <summary>Whether statistics have been fitted or loaded.</summary>
    bool IsFitted { get; }

    /// <summary>Computes the statistics from <paramref name="data"/> (typically the training split).</summary>
    /// <exception cref="ArgumentException">The array holds no samples.</exception>
    void Fit(FieldArray data);

    /// <summary>Maps raw values to normalized values in place.</summary>
    /// <exception cref="InvalidOperationException">The normalizer is not fitted.</exception>
    /// <exception cref="ArgumentException">The length is not a whole number of samples (pointwise normalizers).</exception>
    void Encode(Span<float> values);

    /// <summary>Maps normalized values back to raw values in place; the inverse of <see cref="Encode"/>.</summary>
    /// <exception cref="InvalidOperationException">The normalizer is not fitted.</exception>
    /// <exception cref="ArgumentException">The length is not a whole number of samples (pointwise normalizers).</exception>
    void Decode(Span<float> values);

    /// <summary>The fitted state as a JSON object with "kind" and "version" members.</summary>
    /// <exception cref="InvalidOperationException">The normalizer is not fitted.</exception>
    string ToJson();
}
