using Autograd.NN;
using Autograd.Optim;

namespace Autograd.Benchmarks;

/// <summary>
/// The six peer-comparison workloads as plain C#: a setup that creates the leaves once and a step that runs one
/// iteration. The BenchmarkDotNet suite (<c>WorkloadBenchmarks.cs</c>: <see cref="TinyWorkload"/> and the others) and the peer runner
/// (<see cref="PeerRunner"/>, compared against <c>benchmarks/peers/torch_workloads.py</c>) call exactly these
/// methods. Every step resets the gradients of its leaves to null first, so each iteration accumulates into fresh
/// buffers, as <c>p.grad = None</c> does in PyTorch.
/// </summary>
public static class Workloads
{
    /// <summary>Seed for every setup, so both runners see the same data shapes and statistics.</summary>
    public const int Seed = 0;

    /// <summary>The names the peer runner accepts, besides <c>gemm_{ab|atb|abt}_{n}</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["tiny", "deep", "mlp", "mlp_sgd", "matmul_fb", "elementwise", "gemm"];

    /// <summary>Leaves of <c>tiny</c>: z = x·w + b, loss = BCEWithLogits(z, 0).</summary>
    public sealed record TinyState(Tensor X, Tensor W, Tensor B, Tensor Target);

    /// <summary>x = ones(5), w = randn(5,3), b = randn(3) (w, b require grad), target = zeros(3).</summary>
    public static TinyState TinySetup()
    {
        Tensor.ManualSeed(Seed);
        return new TinyState(
            Tensor.Ones(5),
            Tensor.Randn([5, 3], requiresGrad: true),
            Tensor.Randn([3], requiresGrad: true),
            Tensor.Zeros(3));
    }

    /// <summary>One forward and backward pass of <c>tiny</c>.</summary>
    public static Tensor TinyStep(TinyState s)
    {
        s.W.Grad = null;
        s.B.Grad = null;
        Tensor z = Tensor.MatMul(s.X, s.W) + s.B;
        Tensor loss = Functional.BinaryCrossEntropyWithLogits(z, s.Target);
        loss.Backward();
        return loss;
    }

    /// <summary>Number of multiplications in the <c>deep</c> chain.</summary>
    public const int DeepLength = 10_000;

    /// <summary>The scalar leaf s of <c>deep</c>.</summary>
    public static Tensor DeepSetup() => Tensor.Scalar(1f, requiresGrad: true);

    /// <summary>y = s; 10,000 times y = y·1.0001; y.Backward().</summary>
    public static Tensor DeepStep(Tensor s)
    {
        s.Grad = null;
        Tensor y = s;
        for (int i = 0; i < DeepLength; i++)
        {
            y = y * 1.0001f;   // not `y *= …`: C# 14 binds that to Tensor's in-place operator
        }

        y.Backward();
        return y;
    }

    /// <summary>Model, parameters (listed once), batch and integer targets of <c>mlp</c>.</summary>
    public sealed record MlpState(Sequential Model, Tensor[] Parameters, Tensor Input, int[] Targets);

    /// <summary>Batch size of <c>mlp</c>.</summary>
    public const int MlpBatch = 64;

    /// <summary>Learning rate of the SGD step of <c>mlp</c>.</summary>
    public const float MlpLearningRate = 0.01f;

    /// <summary>A 784-256-256-10 ReLU MLP with PyTorch's default Linear init, a [64, 784] batch, 64 class targets.</summary>
    public static MlpState MlpSetup()
    {
        Tensor.ManualSeed(Seed);
        var model = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 256), new ReLU(), new Linear(256, 10));
        Tensor input = Tensor.Randn(MlpBatch, 784);
        int[] targets = new int[MlpBatch];
        var random = new Random(Seed);
        for (int i = 0; i < targets.Length; i++)
        {
            targets[i] = random.Next(10);
        }

        return new MlpState(model, [.. model.Parameters()], input, targets);
    }

    /// <summary>One SGD step: forward, mean cross-entropy, backward, then p -= 0.01·p.grad under no-grad.</summary>
    public static Tensor MlpStep(MlpState s)
    {
        foreach (Tensor p in s.Parameters)
        {
            p.Grad = null;
        }

        Tensor loss = Functional.CrossEntropy(s.Model.Forward(s.Input), s.Targets);
        loss.Backward();
        using (GradMode.NoGrad())
        {
            foreach (Tensor parameter in s.Parameters)
            {
                Tensor p = parameter;
                p -= MlpLearningRate * p.Grad!;   // C# 14 user-defined compound assignment: updates p in place
            }
        }

        return loss;
    }

    /// <summary>
    /// <c>mlp</c> with the optimizer idiom (PyTorch: <c>optimizer.zero_grad()</c>, 1.13's in-place default, and
    /// <c>optimizer.step()</c>): gradients are zeroed in place and the update is one fused pass, so no gradient buffer
    /// is allocated per step.
    /// </summary>
    /// <remarks>
    /// With <paramref name="setToNone"/> (<c>mlp_sgd_none</c>, PyTorch 2's default <c>zero_grad(set_to_none=True)</c>)
    /// the gradients are dropped instead, and every step's backward makes new ones.
    /// </remarks>
    public static Tensor MlpSgdStep(MlpState s, SGD optimizer, bool setToNone = false)
    {
        optimizer.ZeroGrad(setToNone);
        Tensor loss = Functional.CrossEntropy(s.Model.Forward(s.Input), s.Targets);
        loss.Backward();
        optimizer.Step();
        return loss;
    }

    /// <summary>Size of the square matrices of <c>matmul_fb</c>.</summary>
    public const int MatMulSize = 512;

    /// <summary>A and B of <c>matmul_fb</c>, both requiring grad.</summary>
    public static (Tensor A, Tensor B) MatMulSetup()
    {
        Tensor.ManualSeed(Seed);
        return (Tensor.Randn([MatMulSize, MatMulSize], requiresGrad: true), Tensor.Randn([MatMulSize, MatMulSize], requiresGrad: true));
    }

    /// <summary>(A·B).Sum().Backward().</summary>
    public static Tensor MatMulStep((Tensor A, Tensor B) s)
    {
        s.A.Grad = null;
        s.B.Grad = null;
        Tensor loss = Tensor.MatMul(s.A, s.B).Sum();
        loss.Backward();
        return loss;
    }

    /// <summary>Number of elements of <c>elementwise</c> (16 MB of float32).</summary>
    public const int ElementwiseCount = 4_194_304;

    /// <summary>The leaf x of <c>elementwise</c>, requiring grad.</summary>
    public static Tensor ElementwiseSetup()
    {
        Tensor.ManualSeed(Seed);
        return Tensor.Randn([ElementwiseCount], requiresGrad: true);
    }

    /// <summary>(sin(x)·x + exp(−x)).Sum().Backward().</summary>
    public static Tensor ElementwiseStep(Tensor x)
    {
        x.Grad = null;
        Tensor loss = ((Tensor.Sin(x) * x) + Tensor.Exp(-x)).Sum();
        loss.Backward();
        return loss;
    }

    /// <summary>Which operands of the GEMM are transposed views.</summary>
    public enum GemmVariant
    {
        /// <summary>A·B.</summary>
        AB,

        /// <summary>Aᵀ·B, Aᵀ a view.</summary>
        AtB,

        /// <summary>A·Bᵀ, Bᵀ a view.</summary>
        ABt,
    }

    /// <summary>The sizes of <c>gemm</c>.</summary>
    public static IReadOnlyList<int> GemmSizes { get; } = [256, 512, 1024, 2048];

    /// <summary>The two operands as the GEMM reads them (transposes already applied as views).</summary>
    public sealed record GemmState(Tensor Left, Tensor Right, int N, GemmVariant Variant);

    /// <summary>Two n×n matrices not requiring grad; the transposed one as a <c>.T</c> view.</summary>
    public static GemmState GemmSetup(int n, GemmVariant variant)
    {
        Tensor.ManualSeed(Seed);
        Tensor a = Tensor.Randn(n, n);
        Tensor b = Tensor.Randn(n, n);
        return variant switch
        {
            GemmVariant.AtB => new GemmState(a.T, b, n, variant),
            GemmVariant.ABt => new GemmState(a, b.T, n, variant),
            _ => new GemmState(a, b, n, variant),
        };
    }

    /// <summary>The GEMM alone, under no-grad (no graph is recorded either way: no operand requires grad).</summary>
    public static Tensor GemmStep(GemmState s)
    {
        using (GradMode.NoGrad())
        {
            return Tensor.MatMul(s.Left, s.Right);
        }
    }

    /// <summary>Floating-point operations of one GEMM step: 2n³.</summary>
    public static double GemmFlops(int n) => 2.0 * n * n * n;

    /// <summary>
    /// Creates a workload by its peer name (<c>tiny</c>, <c>deep</c>, <c>mlp</c>, <c>matmul_fb</c>, <c>elementwise</c>,
    /// or <c>gemm_ab_512</c>, <c>gemm_atb_1024</c>, <c>gemm_abt_2048</c>, …) and returns its step as a delegate.
    /// </summary>
    public static Func<Tensor> Create(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        switch (name)
        {
            case "tiny":
            {
                TinyState s = TinySetup();
                return () => TinyStep(s);
            }

            case "deep":
            {
                Tensor s = DeepSetup();
                return () => DeepStep(s);
            }

            case "mlp":
            {
                MlpState s = MlpSetup();
                return () => MlpStep(s);
            }

            case "mlp_sgd":
            {
                MlpState s = MlpSetup();
                var optimizer = new SGD(s.Parameters, MlpLearningRate);
                return () => MlpSgdStep(s, optimizer);
            }

            case "mlp_sgd_none":
            {
                MlpState s = MlpSetup();
                var optimizer = new SGD(s.Parameters, MlpLearningRate);
                return () => MlpSgdStep(s, optimizer, setToNone: true);
            }

            case "matmul_fb":
            {
                (Tensor A, Tensor B) s = MatMulSetup();
                return () => MatMulStep(s);
            }

            case "elementwise":
            {
                Tensor s = ElementwiseSetup();
                return () => ElementwiseStep(s);
            }

            default:
            {
                if (FamilyWorkloads.Create(name) is { } family)
                {
                    return family;
                }

                (GemmVariant variant, int n) = ParseGemm(name);
                GemmState s = GemmSetup(n, variant);
                return () => GemmStep(s);
            }
        }
    }

    /// <summary>Parses <c>gemm_{ab|atb|abt}_{n}</c>.</summary>
    public static (GemmVariant Variant, int N) ParseGemm(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string[] parts = name.Split('_');
        if (parts.Length == 3 && parts[0] == "gemm"
            && int.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n > 0)
        {
            GemmVariant? variant = parts[1] switch
            {
                "ab" => GemmVariant.AB,
                "atb" => GemmVariant.AtB,
                "abt" => GemmVariant.ABt,
                _ => null,
            };
            if (variant is { } v)
            {
                return (v, n);
            }
        }

        throw new ArgumentException($"Unknown workload '{name}': expected one of {string.Join(", ", Names.Where(w => w != "gemm"))} or gemm_{{ab|atb|abt}}_{{n}}.", nameof(name));
    }
}
