using static TorchSharp.torch;

namespace PdeOps.Operators.Layers;

/// <summary>
/// A layer that can also run on channels-last fields (batch, n1, ..., nd, channels), the layout
/// in which pointwise maps are single matrix products; models keep their hidden state in it.
/// </summary>
internal interface IChannelsLast
{
    /// <summary>Applies the layer to a channels-last field.</summary>
    Tensor ForwardChannelsLast(Tensor input);
}
