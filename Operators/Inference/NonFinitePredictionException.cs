namespace PdeOps.Operators.Inference;

/// <summary>
/// A trained operator produced NaN or infinite values: its weights or normalizers are unusable,
/// or the input lies far outside the data it was trained on. Raised instead of returning such
/// values or reporting an error of NaN.
/// </summary>
public sealed class NonFinitePredictionException(string where)
    : Exception($"the model produced NaN or infinite values {where}; its weights or normalizers are unusable, or the input is far outside its training data");
