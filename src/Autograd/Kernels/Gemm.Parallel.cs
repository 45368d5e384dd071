
namespace Autograd.Kernels;

// How one GEMM, or a batch of small ones, is split across the worker pool (see Gemm.cs).
internal static unsafe partial class Gemm
{
    /// <summary>One product split over M or N into contiguous, micro-tile aligned ranges, one per part.</summary>
    private sealed class GemmWork : IParallelWork
    {
        private MicroKernel _uk;
        private float* _a;
        private float* _b;
        private float* _c;
        private nint _rsc, _csc;
        private int _lda, _ldb, _m, _n, _k, _unit, _tiles, _parts;
        private bool _transA, _transB, _accumulate, _directB, _splitN;

        public void Set(MicroKernel uk, float* a, int lda, bool transA, float* b, int ldb, bool transB,
                        float* c, nint rsc, nint csc, int m, int n, int k, bool accumulate, bool directB,
                        bool splitN, int unit, int tiles, int parts)
        {
            _uk = uk;
            _a = a;
            _lda = lda;
            _transA = transA;
            _b = b;
            _ldb = ldb;
            _transB = transB;
            _c = c;
            _rsc = rsc;
            _csc = csc;
            _m = m;
            _n = n;
            _k = k;
            _accumulate = accumulate;
            _directB = directB;
            _splitN = splitN;
            _unit = unit;
            _tiles = tiles;
            _parts = parts;
        }

        public void Clear()
        {
            _a = null;
            _b = null;
            _c = null;
        }

        public void Execute(int index)
        {
            int t0 = (int)((long)_tiles * index / _parts);
            int t1 = (int)((long)_tiles * (index + 1) / _parts);
            int total = _splitN ? _n : _m;
            int start = t0 * _unit;
            int count = Math.Min(total, t1 * _unit) - start;
            if (count <= 0)
            {
                return;
            }

            if (_splitN)
            {
                float* b = _transB ? _b + ((long)start * _ldb) : _b + start;
                Blocked(_uk, _a, _lda, _transA, b, _ldb, _transB, _c + (start * _csc), _rsc, _csc, _m, count, _k, _accumulate, _directB);
            }
            else
            {
                float* a = _transA ? _a + start : _a + ((long)start * _lda);
                Blocked(_uk, a, _lda, _transA, _b, _ldb, _transB, _c + (start * _rsc), _rsc, _csc, count, _n, _k, _accumulate, _directB);
            }
        }
    }

    /// <summary>A batch of independent products split into contiguous ranges of whole products.</summary>
    private sealed class BatchWork : IParallelWork
    {
        private MicroKernel _uk;
        private float* _a;
        private float* _b;
        private float* _c;
        private int _lda, _ldb, _ldc, _strideA, _strideB, _strideC, _m, _n, _k, _batch, _parts;
        private bool _transA, _transB, _accumulate;

        public void Set(MicroKernel uk, float* a, int lda, bool transA, int strideA, float* b, int ldb, bool transB, int strideB,
                        float* c, int ldc, int strideC, int m, int n, int k, bool accumulate, int batch, int parts)
        {
            _uk = uk;
            _a = a;
            _lda = lda;
            _transA = transA;
            _strideA = strideA;
            _b = b;
            _ldb = ldb;
            _transB = transB;
            _strideB = strideB;
            _c = c;
            _ldc = ldc;
            _strideC = strideC;
            _m = m;
            _n = n;
            _k = k;
            _accumulate = accumulate;
            _batch = batch;
            _parts = parts;
        }

        public void Clear()
        {
            _a = null;
            _b = null;
            _c = null;
        }

        public void Execute(int index)
        {
            int t0 = (int)((long)_batch * index / _parts);
            int t1 = (int)((long)_batch * (index + 1) / _parts);
            for (int t = t0; t < t1; t++)
            {
                Core(_uk, _a + ((long)t * _strideA), _lda, _transA, _b + ((long)t * _strideB), _ldb, _transB,
                     _c + ((long)t * _strideC), _ldc, _m, _n, _k, _accumulate);
            }
        }
    }
}
