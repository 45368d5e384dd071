using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Autograd.Kernels;

// Packing of A and B panels for the GEMM (see Gemm.cs), and the per-thread pack buffers.
internal static unsafe partial class Gemm
{
    /// <summary>Packs op(A)[ic..ic+mc, pc..pc+kc] into ⌈mc/mr⌉ micro-panels laid out [p][r], zero-padding missing rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(float* a, int lda, bool transA, int ic, int pc, int mc, int kc, int mr, float* dst)
    {
        if (transA)
        {
            PackRows(a + ((long)pc * lda) + ic, lda, mc, kc, dst, mr);
            return;
        }

        for (int ir = 0; ir < mc; ir += mr)
        {
            Interleave(a + ((long)(ic + ir) * lda) + pc, lda, Math.Min(mr, mc - ir), kc, dst + ((long)ir * kc), mr);
        }
    }

    /// <summary>Packs op(B)[pc..pc+kc, jc..jc+nc] into ⌈nc/nr⌉ micro-panels laid out [p][j], zero-padding missing columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(float* b, int ldb, bool transB, int pc, int jc, int kc, int nc, int nr, float* dst)
    {
        if (!transB)
        {
            PackRows(b + ((long)pc * ldb) + jc, ldb, nc, kc, dst, nr);
            return;
        }

        for (int jr = 0; jr < nc; jr += nr)
        {
            Interleave(b + ((long)(jc + jr) * ldb) + pc, ldb, Math.Min(nr, nc - jr), kc, dst + ((long)jr * kc), nr);
        }
    }

    /// <summary>
    /// Non-transposing pack: source row p (length <paramref name="total"/>) is cut into width-wide
    /// pieces, piece q going to panel q at dst[q·width·kc + p·width], the last one zero-padded. Walking
    /// whole source rows uses every fetched cache line at once; going panel by panel instead touched
    /// each 4 KiB-strided row once per panel and cost twice as much.
    /// </summary>
    /// <remarks>
    /// Short rows (op(A) = Aᵀ: MC = 96 floats of each of KC rows, one 4 KiB page apart) give the hardware prefetcher
    /// six lines per page, too few to train on, so the rows <see cref="PackPrefetchRowsAhead"/> ahead are prefetched
    /// here. That halved the pack's share of a 1024³ Aᵀ·B (perf samples in PackRows per sample in the kernel: 12–13%
    /// → 6.6–6.7%); 4 and 16 rows ahead measured alike. Long rows are left to the hardware.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackRows(float* src, nint ld, int total, int kc, float* dst, int width)
    {
        int full = total / width * width;
        bool prefetch = Sse.IsSupported && total <= PackPrefetchMaximumRow;
        for (int p = 0; p < kc; p++)
        {
            float* s = src + (p * ld);
            float* d = dst + (p * width);
            if (prefetch && p + PackPrefetchRowsAhead < kc)
            {
                float* ahead = s + (PackPrefetchRowsAhead * ld);
                for (int x = 0; x < total; x += 16)
                {
                    Sse.Prefetch0(ahead + x);
                }
            }

            int q = 0;
            for (; q < full; q += width)
            {
                CopyPadded(s + q, d + ((long)q * kc), width, width);
            }

            if (q < total)
            {
                CopyPadded(s + q, d + ((long)q * kc), total - q, width);
            }
        }
    }

    /// <summary>
    /// Transposing pack: dst[p·width + r] = src[r·ld + p] for r &lt; rows, p &lt; kc, and 0 for
    /// rows ≤ r &lt; width. Groups of 8 and 4 source rows go through in-register 8×8 / 4×4 transposes
    /// (a scalar element-by-element loop measured ~9 cycles per element here, 20% of a 1024³ product).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Interleave(float* src, nint ld, int rows, int kc, float* dst, int width)
    {
        int r = 0;
        if (Avx.IsSupported)
        {
            for (; r + 8 <= rows; r += 8)
            {
                float* s = src + (r * ld);
                int p = 0;
                for (; p + 8 <= kc; p += 8)
                {
                    Transpose8x8(s + p, ld, dst + (p * width) + r, width);
                }

                for (; p < kc; p++)
                {
                    for (int i = 0; i < 8; i++)
                    {
                        dst[(p * width) + r + i] = s[(i * ld) + p];
                    }
                }
            }
        }

        if (Sse.IsSupported)
        {
            for (; r + 4 <= rows; r += 4)
            {
                float* s = src + (r * ld);
                int p = 0;
                for (; p + 4 <= kc; p += 4)
                {
                    Transpose4x4(s + p, ld, dst + (p * width) + r, width);
                }

                for (; p < kc; p++)
                {
                    for (int i = 0; i < 4; i++)
                    {
                        dst[(p * width) + r + i] = s[(i * ld) + p];
                    }
                }
            }
        }

        if (r < width)
        {
            for (int p = 0; p < kc; p++)
            {
                float* d = dst + (p * width);
                for (int i = r; i < rows; i++)
                {
                    d[i] = src[(i * ld) + p];
                }

                for (int i = Math.Max(r, rows); i < width; i++)
                {
                    d[i] = 0f;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* s, nint ld, float* d, nint dw)
    {
        Vector256<float> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + ld);
        Vector256<float> r2 = Avx.LoadVector256(s + (2 * ld)), r3 = Avx.LoadVector256(s + (3 * ld));
        Vector256<float> r4 = Avx.LoadVector256(s + (4 * ld)), r5 = Avx.LoadVector256(s + (5 * ld));
        Vector256<float> r6 = Avx.LoadVector256(s + (6 * ld)), r7 = Avx.LoadVector256(s + (7 * ld));
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(d, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(d + dw, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(d + (2 * dw), Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(d + (3 * dw), Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(d + (4 * dw), Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(d + (5 * dw), Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(d + (6 * dw), Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(d + (7 * dw), Avx.Permute2x128(s3, s7, 0x31));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4x4(float* s, nint ld, float* d, nint dw)
    {
        Vector128<float> r0 = Sse.LoadVector128(s), r1 = Sse.LoadVector128(s + ld);
        Vector128<float> r2 = Sse.LoadVector128(s + (2 * ld)), r3 = Sse.LoadVector128(s + (3 * ld));
        Vector128<float> t0 = Sse.UnpackLow(r0, r1), t1 = Sse.UnpackLow(r2, r3);
        Vector128<float> t2 = Sse.UnpackHigh(r0, r1), t3 = Sse.UnpackHigh(r2, r3);
        Sse.Store(d, Sse.MoveLowToHigh(t0, t1));
        Sse.Store(d + dw, Sse.MoveHighToLow(t1, t0));
        Sse.Store(d + (2 * dw), Sse.MoveLowToHigh(t2, t3));
        Sse.Store(d + (3 * dw), Sse.MoveHighToLow(t3, t2));
    }

    /// <summary>
    /// Copies <paramref name="count"/> floats and zero-fills up to <paramref name="width"/>, never
    /// touching src beyond count. Tails use narrower vectors rather than AVX-512 masked loads: a masked
    /// load whose disabled lanes cross into the next line ran ~100 cycles (microcode assist) on this
    /// Zen 5 and made a 64×10×256 product 2.5× slower whenever the operand happened to sit at such an offset.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyPadded(float* src, float* dst, int count, int width)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= count - 16; i += 16)
            {
                Vector512.Store(Vector512.Load(src + i), dst + i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= count - 8; i += 8)
            {
                Vector256.Store(Vector256.Load(src + i), dst + i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= count - 4; i += 4)
            {
                Vector128.Store(Vector128.Load(src + i), dst + i);
            }
        }

        for (; i < count; i++)
        {
            dst[i] = src[i];
        }

        for (; i < width; i++)
        {
            dst[i] = 0f;
        }
    }


    /// <summary>Per-thread pinned, 64-byte aligned pack buffers, grown on demand and reused by every later call.</summary>
    private sealed class PackBuffers
    {
        private float[]? _a;
        private float[]? _b;

        public float* A(int length) => Get(ref _a, length);

        public float* B(int length) => Get(ref _b, length);

        private static float* Get(ref float[]? array, int length)
        {
            if (array is null || array.Length < length + 16)
            {
                array = GC.AllocateUninitializedArray<float>(length + 16, pinned: true);
            }

            nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
            return (float*)((p + 63) & ~(nint)63);
        }
    }
}
