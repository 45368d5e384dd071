using SeedTour;

// Runs every cell of the five seed tutorials in order, printing what the tutorials print,
// then the exercises of seed 002. Pass a directory to choose where the sin plot is written.
Console.WriteLine("=== 000 / 001 - PyTorch: Automatic Differentiation with torch.autograd");
Seeds.Seed000And001();
Console.WriteLine();
Console.WriteLine("=== 003 - scalars, retain_grad, no_grad, eval mode");
Seeds.Seed003();
Console.WriteLine();
Console.WriteLine("=== 004 - grad_fn, vector-Jacobian product, stopping history, zeroing");
Seeds.Seed004();
Console.WriteLine();
Console.WriteLine("=== 002 - MXNet / d2l: record, attach_grad, head gradients, detach, control flow, modes");
Seeds.Seed002();
Console.WriteLine();
Console.WriteLine("=== 002 - exercises");
Exercises.Run(args.Length > 0 ? args[0] : Directory.GetCurrentDirectory());
