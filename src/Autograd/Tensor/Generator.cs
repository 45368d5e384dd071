namespace Autograd;

/// <summary>
/// A seedable pseudo-random generator (xoshiro128** for uniform bits, Marsaglia's polar method for normals).
/// One instance is not thread-safe; the default generator behind <see cref="Tensor.ManualSeed"/> is locked.
/// </summary>
public sealed class Generator
{
    private uint _s0, _s1, _s2, _s3;
    private float _spareNormal;
    private bool _hasSpare;

    /// <summary>Creates a generator seeded with <paramref name="seed"/>.</summary>
    public Generator(long seed) => Seed(seed);

    internal static Generator Default { get; } = new(0x5EED);

    /// <summary>Resets the state so that the same sequence follows for the same seed.</summary>
    public void Seed(long seed)
    {
        // splitmix64 expands the seed so that nearby seeds give unrelated states.
        ulong z = (ulong)seed;
        _s0 = (uint)SplitMix(ref z);
        _s1 = (uint)SplitMix(ref z);
        _s2 = (uint)SplitMix(ref z);
        _s3 = (uint)SplitMix(ref z);
        if ((_s0 | _s1 | _s2 | _s3) == 0)
        {
            _s0 = 1;
        }

        _hasSpare = false;
    }

    /// <summary>The generator's state (PyTorch's <c>get_state</c>): restoring it with <see cref="SetState"/> replays the same sequence.</summary>
    public byte[] GetState()
    {
        var state = new byte[21];
        BitConverter.TryWriteBytes(state.AsSpan(0), _s0);
        BitConverter.TryWriteBytes(state.AsSpan(4), _s1);
        BitConverter.TryWriteBytes(state.AsSpan(8), _s2);
        BitConverter.TryWriteBytes(state.AsSpan(12), _s3);
        BitConverter.TryWriteBytes(state.AsSpan(16), _spareNormal);
        state[20] = _hasSpare ? (byte)1 : (byte)0;
        return state;
    }

    /// <summary>Restores a state returned by <see cref="GetState"/> (PyTorch's <c>set_state</c>).</summary>
    /// <exception cref="ArgumentException">The state does not come from <see cref="GetState"/>.</exception>
    public void SetState(byte[] state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Length != 21 || state[20] > 1 || (BitConverter.ToUInt32(state, 0) | BitConverter.ToUInt32(state, 4) | BitConverter.ToUInt32(state, 8) | BitConverter.ToUInt32(state, 12)) == 0)
        {
            throw new ArgumentException("RNG state must be a state returned by GetState (21 bytes, not all zero)", nameof(state));
        }

        _s0 = BitConverter.ToUInt32(state, 0);
        _s1 = BitConverter.ToUInt32(state, 4);
        _s2 = BitConverter.ToUInt32(state, 8);
        _s3 = BitConverter.ToUInt32(state, 12);
        _spareNormal = BitConverter.ToSingle(state, 16);
        _hasSpare = state[20] == 1;
    }

    private static ulong SplitMix(ref ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        ulong r = z;
        r = (r ^ (r >> 30)) * 0xBF58476D1CE4E5B9UL;
        r = (r ^ (r >> 27)) * 0x94D049BB133111EBUL;
        return r ^ (r >> 31);
    }

    private uint NextUInt()
    {
        uint result = uint.RotateLeft(_s1 * 5, 7) * 9;
        uint t = _s1 << 9;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = uint.RotateLeft(_s3, 11);
        return result;
    }

    /// <summary>A uniform integer in <c>[0, n)</c>, unbiased (Lemire's multiply-shift with rejection of the short range).</summary>
    internal int NextInt(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ulong m = (ulong)NextUInt() * (uint)n;
        if ((uint)m < (uint)n)
        {
            uint threshold = (uint)-n % (uint)n;   // 2^32 mod n: the low products below it would over-represent some values
            while ((uint)m < threshold)
            {
                m = (ulong)NextUInt() * (uint)n;
            }
        }

        return (int)(m >> 32);
    }

    /// <summary>A uniform sample in [0, 1) with 24 random bits.</summary>
    public float NextFloat() => (NextUInt() >> 8) * (1.0f / (1 << 24));

    /// <summary>A standard normal sample.</summary>
    public float NextNormal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareNormal;
        }

        (double first, double second) = NextNormalPair();
        _spareNormal = (float)second;
        _hasSpare = true;
        return (float)first;
    }

    /// <summary>Two independent standard normal samples in double precision (Marsaglia's polar method).</summary>
    private (double First, double Second) NextNormalPair()
    {
        double u, v, s;
        do
        {
            u = (NextUInt() * (1.0 / 4294967296.0) * 2.0) - 1.0;
            v = (NextUInt() * (1.0 / 4294967296.0) * 2.0) - 1.0;
            s = (u * u) + (v * v);
        }
        while (s >= 1.0 || s == 0.0);

        double factor = Math.Sqrt(-2.0 * Math.Log(s) / s);
        return (u * factor, v * factor);
    }

    /// <summary>A uniform sample in [0, 1) with 53 random bits (two 32-bit draws), as the float64 fills use.</summary>
    internal double NextDouble()
    {
        ulong bits = ((ulong)NextUInt() << 21) ^ (NextUInt() >> 11);
        return (bits & ((1UL << 53) - 1)) * (1.0 / (1UL << 53));
    }

    /// <summary>64 uniform random bits (two 32-bit draws).</summary>
    internal ulong NextUInt64() => ((ulong)NextUInt() << 32) | NextUInt();

    /// <summary>
    /// A uniform integer in [0, <paramref name="range"/>) without modulo bias (Lemire's multiply-and-reject: the high
    /// word of x·range is uniform once the low word's values below 2⁶⁴ mod range are rejected); range 0 means 2⁶⁴.
    /// </summary>
    internal ulong NextBelow(ulong range)
    {
        if (range == 0)
        {
            return NextUInt64();
        }

        ulong high = Math.BigMul(NextUInt64(), range, out ulong low);
        if (low < range)
        {
            ulong threshold = (0 - range) % range;
            while (low < threshold)
            {
                high = Math.BigMul(NextUInt64(), range, out low);
            }
        }

        return high;
    }

    internal void FillUniform(Span<float> destination, float low, float high)
    {
        float range = high - low;
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = low + (range * NextFloat());
        }
    }

    internal void FillNormal(Span<float> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = NextNormal();
        }
    }

    /// <summary>Uniform samples in [low, high) with 53 random bits each (two 32-bit draws).</summary>
    internal void FillUniform(Span<double> destination, double low, double high)
    {
        double range = high - low;
        for (int i = 0; i < destination.Length; i++)
        {
            ulong bits = ((ulong)NextUInt() << 21) ^ (NextUInt() >> 11);
            destination[i] = low + (range * ((bits & ((1UL << 53) - 1)) * (1.0 / (1UL << 53))));
        }
    }

    /// <summary>Standard normal samples in double precision (the polar method, without rounding to float).</summary>
    internal void FillNormal(Span<double> destination)
    {
        for (int i = 0; i < destination.Length; i += 2)
        {
            (double first, double second) = NextNormalPair();
            destination[i] = first;
            if (i + 1 < destination.Length)
            {
                destination[i + 1] = second;
            }
        }
    }
}
