using F = Autograd.NN.Functional;

namespace Autograd.Benchmarks;

/// <summary>
/// One workload per operator family (issue 9), written as a user writes them and mirrored in
/// <c>benchmarks/peers/torch_workloads.py</c>: a pre-norm transformer MLP block (LayerNorm, two linears, GELU, a
/// residual), an attention block (batched q·kᵀ with a transposed operand, softmax over the last dim, a·v), a LeNet
/// training step on 28×28 inputs, and an LSTM-style gated recurrence over 20 steps. Each step is forward, backward
/// and (where the model has parameters) an SGD update with gradients reset to null.
/// </summary>
public static class FamilyWorkloads
{
    /// <summary>The workload names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["transformer_mlp", "attention", "lenet", "gated_rnn"];

    /// <summary>The step of workload <paramref name="name"/>, or null if it is not one of these.</summary>
    public static Func<Tensor>? Create(string name) => name switch
    {
        "transformer_mlp" => TransformerMlp(),
        "attention" => Attention(),
        "lenet" => LeNet(),
        "gated_rnn" => GatedRnn(),
        _ => null,
    };

    private static Tensor Parameter(params int[] shape)
    {
        Tensor t = Tensor.Randn(shape) * (1.0 / Math.Sqrt(shape[^1]));
        t.RequiresGrad = true;
        return t;
    }

    private static void Update(Tensor[] parameters)
    {
        using (GradMode.NoGrad())
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                Tensor p = parameters[i];
                p -= 0.01f * p.Grad!;
                p.Grad = null;
            }
        }
    }

    /// <summary>y = x + W₂·GELU(W₁·LayerNorm(x) + b₁) + b₂ over 256 tokens of width 256 (hidden 1024); loss = mean(y²).</summary>
    private static Func<Tensor> TransformerMlp()
    {
        Tensor.ManualSeed(Workloads.Seed);
        Tensor x = Tensor.Randn(256, 256);
        Tensor gamma = Tensor.Ones([256], requiresGrad: true), beta = Tensor.Zeros([256], requiresGrad: true);
        Tensor w1 = Parameter(1024, 256), b1 = Tensor.Zeros([1024], requiresGrad: true);
        Tensor w2 = Parameter(256, 1024), b2 = Tensor.Zeros([256], requiresGrad: true);
        Tensor[] parameters = [gamma, beta, w1, b1, w2, b2];
        return () =>
        {
            Tensor h = F.LayerNorm(x, [256], gamma, beta);
            Tensor y = x + F.Linear(F.Gelu(F.Linear(h, w1, b1)), w2, b2);
            Tensor loss = (y * y).Mean();
            loss.Backward();
            Update(parameters);
            return loss;
        };
    }

    /// <summary>softmax(q·kᵀ/√d)·v for 8 sequences, 4 heads, 64 positions, head width 32; loss = Σ out; q, k, v require grad.</summary>
    private static Func<Tensor> Attention()
    {
        Tensor.ManualSeed(Workloads.Seed);
        Tensor q = Tensor.Randn([8, 4, 64, 32], requiresGrad: true);
        Tensor k = Tensor.Randn([8, 4, 64, 32], requiresGrad: true);
        Tensor v = Tensor.Randn([8, 4, 64, 32], requiresGrad: true);
        double scale = 1 / Math.Sqrt(32);
        return () =>
        {
            q.Grad = k.Grad = v.Grad = null;
            Tensor scores = Tensor.MatMul(q, k.Transpose(-2, -1)) * scale;
            Tensor output = Tensor.MatMul(F.Softmax(scores, -1), v);
            Tensor loss = output.Sum();
            loss.Backward();
            return loss;
        };
    }

    /// <summary>LeNet-5 on a batch of 64 28×28 images: conv 1→6 5×5, pool, conv 6→16 5×5, pool, 256→120→84→10, cross-entropy.</summary>
    private static Func<Tensor> LeNet()
    {
        Tensor.ManualSeed(Workloads.Seed);
        Tensor images = Tensor.Randn([64, 1, 28, 28]);
        Tensor targets = Tensor.From([.. Enumerable.Range(0, 64).Select(i => (long)((i * 7) % 10))]);
        Tensor c1 = Parameter(6, 1, 5, 5), c1b = Tensor.Zeros([6], requiresGrad: true);
        Tensor c2 = Parameter(16, 6, 5, 5), c2b = Tensor.Zeros([16], requiresGrad: true);
        Tensor f1 = Parameter(120, 256), f1b = Tensor.Zeros([120], requiresGrad: true);
        Tensor f2 = Parameter(84, 120), f2b = Tensor.Zeros([84], requiresGrad: true);
        Tensor f3 = Parameter(10, 84), f3b = Tensor.Zeros([10], requiresGrad: true);
        Tensor[] parameters = [c1, c1b, c2, c2b, f1, f1b, f2, f2b, f3, f3b];
        return () =>
        {
            Tensor h = F.MaxPool2d(F.Conv2d(images, c1, c1b).Relu(), 2);
            h = F.MaxPool2d(F.Conv2d(h, c2, c2b).Relu(), 2).Flatten(1);
            h = F.Linear(F.Linear(F.Linear(h, f1, f1b).Relu(), f2, f2b).Relu(), f3, f3b);
            Tensor loss = F.CrossEntropy(h, targets);
            loss.Backward();
            Update(parameters);
            return loss;
        };
    }

    /// <summary>An LSTM cell unrolled over 20 steps: batch 32, input 64, hidden 128; loss = Σ h_T.</summary>
    private static Func<Tensor> GatedRnn()
    {
        Tensor.ManualSeed(Workloads.Seed);
        Tensor[] inputs = [.. Enumerable.Range(0, 20).Select(_ => Tensor.Randn(32, 64))];
        Tensor wx = Parameter(64, 512), wh = Parameter(128, 512), b = Tensor.Zeros([512], requiresGrad: true);
        Tensor[] parameters = [wx, wh, b];
        return () =>
        {
            Tensor h = Tensor.Zeros(32, 128), c = Tensor.Zeros(32, 128);
            foreach (Tensor x in inputs)
            {
                Tensor[] gates = (Tensor.MatMul(x, wx) + Tensor.MatMul(h, wh) + b).Chunk(4, 1);
                c = (gates[1].Sigmoid() * c) + (gates[0].Sigmoid() * gates[2].Tanh());
                h = gates[3].Sigmoid() * c.Tanh();
            }

            Tensor loss = h.Sum();
            loss.Backward();
            Update(parameters);
            return loss;
        };
    }
}
