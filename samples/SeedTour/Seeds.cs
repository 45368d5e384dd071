using Autograd;
using Autograd.NN;
using F = Autograd.NN.Functional;

namespace SeedTour;

/// <summary>Every cell of ../shared/seeds-in-csharp.md, in the tutorials' order, as written there.</summary>
public static class Seeds
{
    public static void Seed000And001()
    {
        var x = Tensor.Ones(5);            // input
        var y = Tensor.Zeros(3);           // expected output
        var w = Tensor.Randn([5, 3], requiresGrad: true);
        var b = Tensor.Randn([3], requiresGrad: true);
        var z = Tensor.MatMul(x, w) + b;
        var loss = F.BinaryCrossEntropyWithLogits(z, y);
        Console.WriteLine($"Loss: {loss}");
        Console.WriteLine($"Gradient function for z = {z.GradFn}");
        Console.WriteLine($"Gradient function for loss = {loss.GradFn}");

        loss.Backward();
        Console.WriteLine(w.Grad);
        Console.WriteLine(b.Grad);

        x.RequiresGrad = true;       // requires_grad_(True) on an existing tensor

        z = Tensor.MatMul(x, w) + b;
        Console.WriteLine(z.RequiresGrad);       // True
        using (GradMode.NoGrad())
        {
            z = Tensor.MatMul(x, w) + b;
        }

        Console.WriteLine(z.RequiresGrad);       // False

        z = Tensor.MatMul(x, w) + b;
        var zDet = z.Detach();
        Console.WriteLine(zDet.RequiresGrad);    // False

        // A second Backward() on the same graph without retainGraph throws.
        try
        {
            loss.Backward();
        }
        catch (InvalidOperationException e)
        {
            Console.WriteLine($"InvalidOperationException: {e.Message}");
        }

        var inp = Tensor.Eye(5, requiresGrad: true);
        var output = (inp + 1).Pow(2);
        output.Backward(Tensor.OnesLike(inp), retainGraph: true);
        Console.WriteLine($"First call\n{inp.Grad}");
        output.Backward(Tensor.OnesLike(inp), retainGraph: true);
        Console.WriteLine($"\nSecond call\n{inp.Grad}");
        inp.Grad!.Clear();
        output.Backward(Tensor.OnesLike(inp), retainGraph: true);
        Console.WriteLine($"\nCall after zeroing gradients\n{inp.Grad}");

        // Backward() on a non-scalar without a gradient throws.
        try
        {
            output.Backward();
        }
        catch (InvalidOperationException e)
        {
            Console.WriteLine($"InvalidOperationException: {e.Message}");
        }
    }

    public static void Seed003()
    {
        var x = Tensor.Scalar(2f, requiresGrad: true);
        var y = Tensor.Scalar(3f, requiresGrad: true);
        var z = y * Tensor.Log(x) + Tensor.Sin(y);
        z.Backward();
        Console.WriteLine(x.Grad);   // tensor(1.5000)
        Console.WriteLine(y.Grad);   // tensor(-0.2968)

        x = Tensor.Scalar(2f, requiresGrad: true);
        y = Tensor.Scalar(3f, requiresGrad: true);
        var sumXy = x + y;
        sumXy.RetainGrad();          // keep the gradient of a non-leaf
        z = sumXy.Pow(2);
        z.Backward();
        Console.WriteLine(x.Grad);       // tensor(10.)
        Console.WriteLine(y.Grad);       // tensor(10.)
        Console.WriteLine(sumXy.Grad);   // tensor(10.)

        var batchNorm = new BatchNorm1d(numFeatures: 10);
        var model = new Sequential(new Linear(10, 10), batchNorm, new Linear(10, 1));
        var inputData = Tensor.Randn([8, 10]);
        model.Train();
        var outputTrain = model.Forward(inputData);   // batch statistics; running stats updated
        Console.WriteLine($"train output: {outputTrain.Shape}, {outputTrain.GradFn}");
        model.Eval();
        using (GradMode.NoGrad())
        {
            var outputEval = model.Forward(inputData); // running statistics
            Console.WriteLine($"eval output: {outputEval.Shape}, requires grad: {outputEval.RequiresGrad}");
        }

        x = Tensor.Scalar(2f, requiresGrad: true);
        y = Tensor.Scalar(3f, requiresGrad: true);
        Tensor z1;
        using (GradMode.NoGrad())
        {
            z1 = y * Tensor.Log(x) + Tensor.Sin(y);
        }

        try
        {
            z1.Backward();
        }
        catch (InvalidOperationException e)
        {
            Console.WriteLine($"InvalidOperationException: {e.Message}");
        }
    }

    public static void Seed004()
    {
        var x = Tensor.Randn([3], requiresGrad: true);
        var y = x + 2;
        Console.WriteLine(x);
        Console.WriteLine(y);
        Console.WriteLine(y.GradFn);   // <AddBackward>

        var z = y * y * 3;
        Console.WriteLine(z);
        z = z.Mean();
        Console.WriteLine(z);
        z.Backward();
        Console.WriteLine(x.Grad);     // dz/dx = 2 * (x + 2)

        x = Tensor.Randn([3], requiresGrad: true);
        y = x * 2;
        for (int i = 0; i < 10; i++)
        {
            y = y * 2;
        }

        Console.WriteLine(y);
        Console.WriteLine(y.Shape);    // [3]
        var v = Tensor.From([0.1f, 1.0f, 0.0001f]);
        y.Backward(v);
        Console.WriteLine(x.Grad);     // tensor([2.0480e+02, 2.0480e+03, 2.0480e-01])

        var a = Tensor.Randn([2, 2]);
        Console.WriteLine(a.RequiresGrad);   // False
        var b = (a * 3) / (a - 1);
        Console.WriteLine(b.GradFn);         // (empty line)
        a.RequiresGrad = true;
        Console.WriteLine(a.RequiresGrad);   // True
        b = (a * a).Sum();
        Console.WriteLine(b.GradFn);         // <SumBackward>

        a = Tensor.Randn([2, 2], requiresGrad: true);
        Console.WriteLine(a.RequiresGrad);   // True
        b = a.Detach();
        Console.WriteLine(b.RequiresGrad);   // False (b shares a's storage)

        using (GradMode.NoGrad())
        {
            Console.WriteLine(x.Pow(2).RequiresGrad);   // False
        }

        var weights = Tensor.Ones([4], requiresGrad: true);
        Tensor modelOutput = null!;
        for (int epoch = 0; epoch < 3; epoch++)
        {
            modelOutput = (weights * 3).Sum();
            modelOutput.Backward();
            Console.WriteLine(weights.Grad);             // tensor([3., 3., 3., 3.]) each epoch
            using (GradMode.NoGrad())
            {
                weights -= 0.1f * weights.Grad!;         // in place: weights stays the same leaf
            }

            weights.Grad!.Clear();
        }

        Console.WriteLine(weights);       // tensor([0.1000, 0.1000, 0.1000, 0.1000], requires_grad=True)
        Console.WriteLine(modelOutput);   // tensor(4.8000, grad_fn=<SumBackward>)

        // The same in-place update outside GradMode.NoGrad() throws.
        try
        {
            weights -= 0.1f * weights.Grad!;
        }
        catch (InvalidOperationException e)
        {
            Console.WriteLine($"InvalidOperationException: {e.Message}");
        }
    }

    public static void Seed002()
    {
        var x = Tensor.Arange(4);
        Console.WriteLine(x);                 // tensor([0., 1., 2., 3.])
        x.AttachGrad();                       // requires grad; Grad = zeros; later passes overwrite it
        Console.WriteLine(x.Grad);            // tensor([0., 0., 0., 0.])

        Tensor y;
        using (GradMode.Record())            // recording + training mode, like autograd.record()
        {
            y = 2 * Tensor.Dot(x, x);
        }

        Console.WriteLine(y);                 // tensor(28., grad_fn=<MulBackward>)
        y.Backward();
        Console.WriteLine(x.Grad);            // tensor([ 0.,  4.,  8., 12.])
        Console.WriteLine(x.Grad!.Equal(4 * x));   // True

        using (GradMode.Record())
        {
            y = x.Sum();
        }

        y.Backward();
        Console.WriteLine(x.Grad);            // tensor([1., 1., 1., 1.])  (overwritten, not added)

        // A non-scalar head: MXNet sums implicitly; here the head gradient is explicit.
        using (GradMode.Record())
        {
            y = x * x;
        }

        y.Backward(Tensor.OnesLike(y));
        var u = x.Clone();
        u.AttachGrad();
        Tensor vv;
        using (GradMode.Record())
        {
            vv = (u * u).Sum();
        }

        vv.Backward();
        Console.WriteLine(x.Grad!.Equal(u.Grad!));  // True

        Tensor z;
        using (GradMode.Record())
        {
            y = x * x;
            u = y.Detach();
            z = u * x;
        }

        z.Backward(Tensor.OnesLike(z));
        Console.WriteLine(x.Grad!.Equal(u));        // True
        y.Backward(Tensor.OnesLike(y));
        Console.WriteLine(x.Grad!.Equal(2 * x));    // True

        var yy = Tensor.Ones(4) * 2;
        yy.AttachGrad();
        using (GradMode.Record())
        {
            u = x * yy;
            u.AttachGrad();                           // detaches u in place: gradient stops here
            z = 5 * u - x;
        }

        z.Backward(Tensor.OnesLike(z));
        Console.WriteLine($"{x.Grad} {u.Grad} {yy.Grad}");  // x.Grad = -1s, u.Grad = 5s, yy.Grad = 0s

        var a0 = Tensor.Randn([]);                   // a 0-d tensor
        a0.AttachGrad();
        Tensor d;
        using (GradMode.Record())
        {
            d = Fn(a0);
        }

        d.Backward();
        Console.WriteLine(a0.Grad!.AllClose(d / a0));   // True (f is piecewise linear: d = k * a)

        Console.WriteLine(GradMode.IsTraining);      // False
        using (GradMode.Record())
        {
            Console.WriteLine(GradMode.IsTraining);  // True
        }
    }

    /// <summary>The control-flow function of seed 002: doubles until the norm reaches 1000, then flips the sign of negatives.</summary>
    public static Tensor Fn(Tensor a)
    {
        var b = a * 2;
        while (b.Norm().Item() < 1000)
        {
            b = b * 2;
        }

        return b.Sum().Item() > 0 ? b : 100 * b;
    }
}
