using Autograd;
using Autograd.NN;

// A few lines against the packed library. .ci/run compares the printed lines too; this program
// exits 1 itself if a value is off, so it also fails when run by hand.
int failures = 0;

// Seed 003: z = y·log(x) + sin(y) at x = 2, y = 3.
//   ∂z/∂x = y / x = 1.5;  ∂z/∂y = log(x) + cos(y) = 0.6931 − 0.9900 = −0.2968.
var x = Tensor.Scalar(2f, requiresGrad: true);
var y = Tensor.Scalar(3f, requiresGrad: true);
var z = y * Tensor.Log(x) + Tensor.Sin(y);
z.Backward();
Console.WriteLine($"x.Grad = {x.Grad}");
Console.WriteLine($"y.Grad = {y.Grad}");
Check("x.Grad", x.Grad!.Item(), 1.5f);
Check("y.Grad", y.Grad!.Item(), MathF.Log(2f) + MathF.Cos(3f));

// Seed 000: z = x·W + b, BCE-with-logits against zeros; every row of W.Grad equals b.Grad,
// and b.Grad = sigmoid(z) / 3.
Tensor.ManualSeed(0);
var w = Tensor.Randn([5, 3], requiresGrad: true);
var b = Tensor.Randn([3], requiresGrad: true);
var logits = Tensor.MatMul(Tensor.Ones(5), w) + b;
var loss = Functional.BinaryCrossEntropyWithLogits(logits, Tensor.Zeros(3));
loss.Backward();
Console.WriteLine($"loss = {loss}");
float[] wGrad = w.Grad!.ToArray();
float[] bGrad = b.Grad!.ToArray();
float[] zs = logits.ToArray();
for (int j = 0; j < 3; j++)
{
    Check($"b.Grad[{j}]", bGrad[j], 1f / (1f + MathF.Exp(-zs[j])) / 3f);
    for (int i = 0; i < 5; i++)
    {
        Check($"w.Grad[{i},{j}]", wGrad[(i * 3) + j], bGrad[j]);
    }
}

Console.WriteLine(failures == 0 ? "smoke: ok" : $"smoke: {failures} check(s) failed");
return failures == 0 ? 0 : 1;

void Check(string what, float actual, float expected)
{
    if (MathF.Abs(actual - expected) > 1e-5f * (1f + MathF.Abs(expected)))
    {
        Console.WriteLine($"MISMATCH {what}: {actual} != {expected}");
        failures++;
    }
}
