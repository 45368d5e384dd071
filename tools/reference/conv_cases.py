"""Reference cases for convolution, pooling and interpolation (tests/Autograd.Tests/Ops/Convolution/ConvReferenceTests.cs)."""

import torch
import torch.nn.functional as F

from refcases import Cases

C = Cases(20261202)
u = C.uniform
f64 = torch.float64


def conv(name, x, w, b=None, second_order=False, **kw):
    # Second order only without a bias: PyTorch marks every output of its one convolution_backward node as requiring
    # grad, so a bias gradient (sum of the upstream, constant in the inputs) counts as "present" there but not here.
    second_order = second_order and b is None
    fn = (lambda x, w, b: F.conv2d(x, w, b, **kw)) if b is not None else (lambda x, w: F.conv2d(x, w, **kw))
    C.case(name, fn, *([x, w] + ([b] if b is not None else [])), second_order=second_order)


# conv2d: stride / padding / dilation / groups variants, float32 and float64 (second order in float64)
for dt, tag in ((torch.float32, "f32"), (f64, "f64")):
    so = dt == f64
    conv(f"conv2d_basic_{tag}", u([2, 3, 7, 6], dtype=dt), u([4, 3, 3, 3], dtype=dt), u([4], dtype=dt), second_order=so)
    conv(f"conv2d_stride2_pad1_{tag}", u([2, 3, 7, 8], dtype=dt), u([5, 3, 3, 3], dtype=dt), u([5], dtype=dt), second_order=so, stride=2, padding=1)
    conv(f"conv2d_pairs_{tag}", u([1, 2, 9, 8], dtype=dt), u([3, 2, 3, 2], dtype=dt), u([3], dtype=dt), second_order=so, stride=(2, 1), padding=(1, 2), dilation=(1, 2))
    conv(f"conv2d_dilation2_{tag}", u([2, 2, 8, 8], dtype=dt), u([3, 2, 3, 3], dtype=dt), second_order=so, dilation=2)
    conv(f"conv2d_groups2_{tag}", u([2, 4, 6, 5], dtype=dt), u([6, 2, 3, 3], dtype=dt), u([6], dtype=dt), second_order=so, groups=2, padding=1)
    conv(f"conv2d_depthwise_{tag}", u([2, 4, 5, 5], dtype=dt), u([4, 1, 3, 3], dtype=dt), second_order=so, groups=4, stride=2)
    conv(f"conv2d_same_even_{tag}", u([1, 3, 6, 7], dtype=dt), u([2, 3, 4, 2], dtype=dt), u([2], dtype=dt), second_order=so, padding="same")
    conv(f"conv2d_same_dilated_{tag}", u([1, 2, 7, 7], dtype=dt), u([2, 2, 3, 2], dtype=dt), second_order=so, padding="same", dilation=(2, 3))
    conv(f"conv2d_valid_{tag}", u([1, 2, 5, 5], dtype=dt), u([2, 2, 2, 2], dtype=dt), second_order=so, padding="valid")
    conv(f"conv2d_unbatched_{tag}", u([3, 5, 5], dtype=dt), u([2, 3, 3, 3], dtype=dt), u([2], dtype=dt), second_order=so, padding=1)
    conv(f"conv2d_1x1_{tag}", u([2, 3, 4, 4], dtype=dt), u([5, 3, 1, 1], dtype=dt), u([5], dtype=dt), second_order=so)
conv("conv2d_stride2_pad1_nobias_f64", u([2, 3, 7, 8], dtype=f64), u([5, 3, 3, 3], dtype=f64), second_order=True, stride=2, padding=1)
conv("conv2d_groups2_nobias_f64", u([2, 4, 6, 5], dtype=f64), u([6, 2, 3, 3], dtype=f64), second_order=True, groups=2, padding=1)
conv("conv2d_same_even_nobias_f64", u([1, 3, 6, 7], dtype=f64), u([2, 3, 4, 2], dtype=f64), second_order=True, padding="same")
C.case("convt2d_stride2_pad1_outpad1_nobias_f64", lambda x, w: F.conv_transpose2d(x, w, stride=2, padding=1, output_padding=1), u([1, 2, 4, 3], dtype=f64), u([2, 3, 3, 3], dtype=f64), second_order=True)
conv("conv2d_padding_wider_than_input_f64", u([1, 2, 1, 2], dtype=f64), u([2, 2, 5, 5], dtype=f64), second_order=True, padding=2)
C.case("convt2d_kernel_wider_than_output_f64", lambda x, w: F.conv_transpose2d(x, w, padding=2), u([1, 2, 1, 2], dtype=f64), u([2, 3, 5, 5], dtype=f64), second_order=True)
conv("conv2d_lenet_f32", u([2, 1, 28, 28]), u([6, 1, 5, 5]), u([6]))
conv("conv2d_strided_1x1_f32", u([2, 3, 5, 5]), u([2, 3, 1, 1]), stride=2)
conv("conv2d_empty_batch_f32", u([0, 3, 5, 5]), u([2, 3, 3, 3]), u([2]))
C.case("conv2d_weight_only_grad_f32", lambda x, w: F.conv2d(x, w, padding=1), (u([2, 2, 4, 4]), False), u([3, 2, 3, 3]))
C.case("conv2d_input_only_grad_f64", lambda x, w: F.conv2d(x, w, stride=2), u([1, 2, 5, 5], dtype=f64), (u([3, 2, 3, 3], dtype=f64), False))

# conv1d
for dt, tag in ((torch.float32, "f32"), (f64, "f64")):
    so = dt == f64
    C.case(f"conv1d_basic_{tag}", lambda x, w, b: F.conv1d(x, w, b), u([2, 3, 9], dtype=dt), u([4, 3, 3], dtype=dt), u([4], dtype=dt), second_order=False)
    C.case(f"conv1d_stride_pad_dil_{tag}", lambda x, w: F.conv1d(x, w, stride=2, padding=2, dilation=2), u([2, 2, 11], dtype=dt), u([3, 2, 3], dtype=dt), second_order=so)
    C.case(f"conv1d_groups_{tag}", lambda x, w: F.conv1d(x, w, groups=3), u([1, 6, 7], dtype=dt), u([3, 2, 2], dtype=dt), second_order=so)
    C.case(f"conv1d_same_even_{tag}", lambda x, w: F.conv1d(x, w, padding="same"), u([2, 2, 8], dtype=dt), u([3, 2, 4], dtype=dt), second_order=so)
    C.case(f"conv1d_unbatched_{tag}", lambda x, w: F.conv1d(x, w, padding=1), u([2, 6], dtype=dt), u([3, 2, 3], dtype=dt), second_order=so)

# conv_transpose2d / conv_transpose1d
for dt, tag in ((torch.float32, "f32"), (f64, "f64")):
    so = dt == f64
    C.case(f"convt2d_basic_{tag}", lambda x, w, b: F.conv_transpose2d(x, w, b), u([2, 3, 4, 5], dtype=dt), u([3, 2, 3, 3], dtype=dt), u([2], dtype=dt), second_order=False)
    C.case(f"convt2d_stride2_pad1_outpad1_{tag}", lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1), u([1, 2, 4, 3], dtype=dt), u([2, 3, 3, 3], dtype=dt), u([3], dtype=dt), second_order=False)
    C.case(f"convt2d_groups2_{tag}", lambda x, w: F.conv_transpose2d(x, w, groups=2, stride=2), u([2, 4, 3, 3], dtype=dt), u([4, 3, 2, 2], dtype=dt), second_order=so)
    C.case(f"convt2d_dilation_pairs_{tag}", lambda x, w: F.conv_transpose2d(x, w, stride=(2, 1), padding=(1, 0), output_padding=(1, 0), dilation=(1, 2)), u([1, 2, 3, 4], dtype=dt), u([2, 2, 3, 2], dtype=dt), second_order=so)
    C.case(f"convt2d_unbatched_{tag}", lambda x, w: F.conv_transpose2d(x, w, padding=1), u([2, 4, 4], dtype=dt), u([2, 3, 3, 3], dtype=dt), second_order=so)
    C.case(f"convt1d_{tag}", lambda x, w, b: F.conv_transpose1d(x, w, b, stride=3, padding=1, output_padding=2), u([2, 2, 5], dtype=dt), u([2, 3, 3], dtype=dt), u([3], dtype=dt), second_order=False)

# conv errors (PyTorch's messages)
C.error("conv2d_error_channels", lambda x, w: F.conv2d(x, w), u([1, 2, 8, 8]), u([4, 3, 3, 3]))
C.error("conv2d_error_kernel_too_large", lambda x, w: F.conv2d(x, w), u([1, 3, 2, 2]), u([4, 3, 3, 3]))
C.error("conv2d_error_kernel_too_large_dilated", lambda x, w: F.conv2d(x, w, padding=1, dilation=2), u([1, 3, 2, 3]), u([4, 3, 3, 3]))
C.error("conv2d_error_rank", lambda x, w: F.conv2d(x, w), u([3, 2]), u([4, 3, 3, 3]))
C.error("conv2d_error_groups_divisible", lambda x, w: F.conv2d(x, w, groups=2), u([1, 4, 5, 5]), u([3, 2, 3, 3]))
C.error("conv2d_error_bias", lambda x, w, b: F.conv2d(x, w, b), u([1, 3, 5, 5]), u([4, 3, 3, 3]), u([3]))
C.error("conv2d_error_stride0", lambda x, w: F.conv2d(x, w, stride=0), u([1, 3, 5, 5]), u([4, 3, 3, 3]))
C.error("conv2d_error_negative_padding", lambda x, w: F.conv2d(x, w, padding=-1), u([1, 3, 5, 5]), u([4, 3, 3, 3]))
C.error("conv2d_error_dilation0", lambda x, w: F.conv2d(x, w, dilation=0), u([1, 3, 5, 5]), u([4, 3, 3, 3]))
C.error("conv2d_error_same_strided", lambda x, w: F.conv2d(x, w, stride=2, padding="same"), u([1, 3, 5, 5]), u([4, 3, 3, 3]))
C.error("conv2d_error_padding_string", lambda x, w: F.conv2d(x, w, padding="foo"), u([1, 3, 5, 5]), u([4, 3, 3, 3]))
C.error("conv2d_error_dtype", lambda x, w: F.conv2d(x, w), u([1, 3, 5, 5], dtype=f64), u([4, 3, 3, 3]))
C.error("conv2d_error_weight_rank", lambda x, w: F.conv2d(x, w), u([1, 3, 5, 5]), u([4, 3, 3]))
C.error("conv1d_error_rank", lambda x, w: F.conv1d(x, w), u([1, 3, 5, 5]), u([4, 3, 3]))
C.error("conv1d_error_kernel_too_large", lambda x, w: F.conv1d(x, w), u([1, 3, 2]), u([4, 3, 3]))
C.error("convt2d_error_channels", lambda x, w: F.conv_transpose2d(x, w), u([1, 3, 5, 5]), u([4, 3, 3, 3]))
C.error("convt2d_error_output_padding", lambda x, w: F.conv_transpose2d(x, w, stride=2, output_padding=2), u([1, 3, 5, 5]), u([3, 3, 3, 3]))
C.error("convt2d_error_groups", lambda x, w: F.conv_transpose2d(x, w, groups=2), u([1, 3, 5, 5]), u([3, 3, 3, 3]))
C.error("convt2d_error_rank", lambda x, w: F.conv_transpose2d(x, w), u([3, 5]), u([3, 3, 3, 3]))

# max pooling: ties (first maximum wins), ceil mode, padding, dilation, NaN and -inf
ties = torch.randint(0, 3, [2, 3, 6, 7], generator=C.gen).float()
for dt, tag in ((torch.float32, "f32"), (f64, "f64")):
    C.case(f"maxpool2d_k2_{tag}", lambda x: F.max_pool2d(x, 2), u([2, 3, 6, 7], dtype=dt))
    C.case(f"maxpool2d_k3_s2_p1_{tag}", lambda x: F.max_pool2d(x, 3, stride=2, padding=1), u([2, 2, 7, 8], dtype=dt))
    C.case(f"maxpool2d_ties_{tag}", lambda x: F.max_pool2d(x, 3, stride=1), ties.to(dt))
    C.case(f"maxpool2d_ties_overlap_indices_{tag}", lambda x: F.max_pool2d(x, 3, stride=1, return_indices=True)[1], (ties.to(dt), False))
C.case("maxpool2d_ceil_f32", lambda x: F.max_pool2d(x, 3, stride=2, ceil_mode=True), u([1, 2, 8, 6]))
C.case("maxpool2d_ceil_pad_f32", lambda x: F.max_pool2d(x, 3, stride=2, padding=1, ceil_mode=True), u([1, 2, 6, 6]))
C.case("maxpool2d_ceil_indices", lambda x: F.max_pool2d(x, 2, stride=2, ceil_mode=True, return_indices=True)[1], (u([1, 2, 5, 5]), False))
C.case("maxpool2d_dilation_f32", lambda x: F.max_pool2d(x, 2, stride=1, dilation=2), u([2, 2, 6, 6]))
C.case("maxpool2d_pairs_f32", lambda x: F.max_pool2d(x, (2, 3), stride=(1, 2), padding=(1, 1), dilation=(2, 1)), u([1, 2, 7, 8]))
C.case("maxpool2d_pairs_indices", lambda x: F.max_pool2d(x, (2, 3), stride=(1, 2), padding=(1, 1), dilation=(2, 1), return_indices=True)[1], (u([1, 2, 7, 8]), False))
C.case("maxpool2d_unbatched_f32", lambda x: F.max_pool2d(x, 2), u([3, 4, 6]))
special = torch.tensor([[[[float("nan"), 1.0, float("nan"), 0.0], [-float("inf"), -float("inf"), 2.0, float("inf")]]]])
C.case("maxpool2d_nan_inf_indices", lambda x: F.max_pool2d(x, (1, 2), return_indices=True)[1], (special, False))
C.case("maxpool2d_nan_inf_values", lambda x: F.max_pool2d(x, (1, 2)), (special, False))
C.case("maxpool1d_f32", lambda x: F.max_pool1d(x, 3, stride=2, padding=1), u([2, 3, 10]))
C.case("maxpool1d_ceil_dilation_f64", lambda x: F.max_pool1d(x, 2, stride=2, dilation=2, ceil_mode=True), u([2, 2, 9], dtype=f64))
C.case("maxpool1d_indices", lambda x: F.max_pool1d(x, 3, stride=2, return_indices=True)[1], (u([2, 3, 10]), False))
C.case("maxpool1d_unbatched_f32", lambda x: F.max_pool1d(x, 2), u([3, 8]))

# average pooling
for dt, tag in ((torch.float32, "f32"), (f64, "f64")):
    C.case(f"avgpool2d_k2_{tag}", lambda x: F.avg_pool2d(x, 2), u([2, 3, 6, 7], dtype=dt))
    C.case(f"avgpool2d_pad_include_{tag}", lambda x: F.avg_pool2d(x, 3, stride=2, padding=1), u([2, 2, 7, 6], dtype=dt))
    C.case(f"avgpool2d_pad_exclude_{tag}", lambda x: F.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=False), u([2, 2, 7, 6], dtype=dt))
    C.case(f"avgpool2d_ceil_{tag}", lambda x: F.avg_pool2d(x, 3, stride=2, ceil_mode=True), u([1, 2, 8, 6], dtype=dt))
    C.case(f"avgpool2d_ceil_pad_exclude_{tag}", lambda x: F.avg_pool2d(x, 2, stride=2, padding=1, ceil_mode=True, count_include_pad=False), u([1, 2, 5, 6], dtype=dt))
    C.case(f"avgpool2d_ceil_pad_include_{tag}", lambda x: F.avg_pool2d(x, 2, stride=2, padding=1, ceil_mode=True), u([1, 2, 5, 6], dtype=dt))
    C.case(f"avgpool2d_divisor_{tag}", lambda x: F.avg_pool2d(x, 2, stride=1, divisor_override=3), u([1, 2, 4, 5], dtype=dt))
C.case("avgpool2d_pairs_f32", lambda x: F.avg_pool2d(x, (2, 3), stride=(1, 2), padding=(1, 1)), u([1, 2, 5, 7]))
C.case("avgpool2d_unbatched_f32", lambda x: F.avg_pool2d(x, 2), u([3, 4, 6]))
C.case("avgpool1d_f32", lambda x: F.avg_pool1d(x, 3, stride=2, padding=1), u([2, 3, 10]))
C.case("avgpool1d_exclude_ceil_f64", lambda x: F.avg_pool1d(x, 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False), u([2, 2, 8], dtype=f64))

# adaptive pooling
for dt, tag in ((torch.float32, "f32"), (f64, "f64")):
    C.case(f"adaptive_avg_5x7_to_3x4_{tag}", lambda x: F.adaptive_avg_pool2d(x, (3, 4)), u([2, 3, 5, 7], dtype=dt))
    C.case(f"adaptive_max_5x7_to_3x4_{tag}", lambda x: F.adaptive_max_pool2d(x, (3, 4)), u([2, 3, 5, 7], dtype=dt))
C.case("adaptive_avg_global_f32", lambda x: F.adaptive_avg_pool2d(x, 1), u([2, 3, 4, 5]))
C.case("adaptive_avg_upsample_f32", lambda x: F.adaptive_avg_pool2d(x, (3, 5)), u([1, 2, 2, 3]))
C.case("adaptive_avg_unbatched_f32", lambda x: F.adaptive_avg_pool2d(x, 2), u([3, 5, 5]))
C.case("adaptive_max_indices", lambda x: F.adaptive_max_pool2d(x, (2, 3), return_indices=True)[1], (u([2, 2, 5, 7]), False))
C.case("adaptive_max_ties_f32", lambda x: F.adaptive_max_pool2d(x, (3, 3)), ties)

# interpolation
for dt, tag in ((torch.float32, "f32"), (f64, "f64")):
    C.case(f"nearest_size_{tag}", lambda x: F.interpolate(x, size=(5, 7)), u([2, 2, 3, 4], dtype=dt))
    C.case(f"nearest_scale2_{tag}", lambda x: F.interpolate(x, scale_factor=2.0), u([1, 2, 3, 4], dtype=dt))
    C.case(f"nearest_scale1_5_{tag}", lambda x: F.interpolate(x, scale_factor=1.5), u([1, 2, 3, 5], dtype=dt))
    C.case(f"nearest_down_{tag}", lambda x: F.interpolate(x, size=(2, 3)), u([1, 2, 5, 7], dtype=dt))
    C.case(f"bilinear_size_{tag}", lambda x: F.interpolate(x, size=(5, 7), mode="bilinear", align_corners=False), u([2, 2, 3, 4], dtype=dt))
    C.case(f"bilinear_align_{tag}", lambda x: F.interpolate(x, size=(5, 7), mode="bilinear", align_corners=True), u([2, 2, 3, 4], dtype=dt))
    C.case(f"bilinear_scale_{tag}", lambda x: F.interpolate(x, scale_factor=(2.0, 1.5), mode="bilinear"), u([1, 2, 3, 4], dtype=dt))
    C.case(f"bilinear_down_{tag}", lambda x: F.interpolate(x, size=(2, 3), mode="bilinear"), u([1, 2, 5, 7], dtype=dt))
C.case("bilinear_align_to_one_f32", lambda x: F.interpolate(x, size=(1, 3), mode="bilinear", align_corners=True), u([1, 1, 4, 4]))

# pooling / interpolation errors
C.error("maxpool2d_error_pad", lambda x: F.max_pool2d(x, 3, padding=2), u([1, 3, 5, 5]))
C.error("maxpool2d_error_too_small", lambda x: F.max_pool2d(x, 3), u([1, 3, 2, 2]))
C.error("maxpool2d_error_rank", lambda x: F.max_pool2d(x, 2), u([3, 2]))
C.error("maxpool2d_error_stride0", lambda x: F.max_pool2d(x, 2, stride=0), u([1, 3, 5, 5]))
C.error("maxpool2d_error_dilation0", lambda x: F.max_pool2d(x, 2, dilation=0), u([1, 3, 5, 5]))
C.error("maxpool2d_error_long", lambda x: F.max_pool2d(x, 2), torch.ones([1, 3, 5, 5], dtype=torch.int64))
C.error("maxpool1d_error_rank", lambda x: F.max_pool1d(x, 2), u([3]))
C.error("avgpool2d_error_pad", lambda x: F.avg_pool2d(x, 3, padding=2), u([1, 3, 5, 5]))
C.error("avgpool2d_error_too_small", lambda x: F.avg_pool2d(x, 3), u([1, 3, 2, 2]))
C.error("avgpool2d_error_rank", lambda x: F.avg_pool2d(x, 2), u([3, 2]))
C.error("avgpool2d_error_divisor", lambda x: F.avg_pool2d(x, 2, divisor_override=0), u([1, 3, 5, 5]))
C.error("avgpool1d_error_rank", lambda x: F.avg_pool1d(x, 2), u([3]))
C.error("adaptive_avg_error_rank", lambda x: F.adaptive_avg_pool2d(x, 2), u([3, 2]))
C.error("adaptive_avg_error_empty", lambda x: F.adaptive_avg_pool2d(x, 2), u([1, 3, 0, 2]))
C.error("adaptive_max_error_rank", lambda x: F.adaptive_max_pool2d(x, 2), u([3, 2]))
C.error("interpolate_error_no_size", lambda x: F.interpolate(x), u([1, 3, 4, 4]))
C.error("interpolate_error_both", lambda x: F.interpolate(x, size=2, scale_factor=2.0), u([1, 3, 4, 4]))
C.error("interpolate_error_align_nearest", lambda x: F.interpolate(x, size=2, align_corners=True), u([1, 3, 4, 4]))
C.error("interpolate_error_mode", lambda x: F.interpolate(x, size=2, mode="bicubicx"), u([1, 3, 4, 4]))
C.error("interpolate_error_bilinear_3d", lambda x: F.interpolate(x, size=2, mode="bilinear"), u([1, 3, 4]))

C.write("conv_cases.json")
