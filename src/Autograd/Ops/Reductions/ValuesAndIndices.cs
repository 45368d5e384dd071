namespace Autograd;

/// <summary>
/// The pair PyTorch's <c>max(dim)</c>, <c>min(dim)</c>, <c>sort</c>, <c>topk</c>, <c>median(dim)</c>, <c>mode</c>,
/// <c>kthvalue</c>, <c>cummax</c> and <c>cummin</c> return: the selected values (differentiable, the gradient flows to
/// the selected positions) and their int64 indices along the dimension. Deconstructs:
/// <c>var (values, indices) = x.Max(1);</c>.
/// </summary>
/// <param name="Values">The selected values, in the input's dtype.</param>
/// <param name="Indices">Their positions along the reduced or sorted dimension, int64.</param>
public readonly record struct ValuesAndIndices(Tensor Values, Tensor Indices);
