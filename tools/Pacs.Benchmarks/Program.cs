using Pacs.Benchmarks;

// Benchmarks that compare Pacs with reference tools on this machine, in the same run.
//   dotnet run --project tools/Pacs.Benchmarks -c Release -- parse [--data DIR] [--count N] [--repeats R]
//   dotnet run --project tools/Pacs.Benchmarks -c Release -- render [--data DIR] [--repeats R]
//   dotnet run --project tools/Pacs.Benchmarks -c Release -- rendered [--data DIR] [--count N] [--repeats R]
return args.Length > 0 && args[0] == "parse"
    ? await ParseBenchmark.RunAsync(args[1..])
    : args.Length > 0 && args[0] == "render"
        ? await RenderBenchmark.RunAsync(args[1..])
        : args.Length > 0 && args[0] == "rendered"
            ? await RenderedPathBenchmark.RunAsync(args[1..])
            : Usage();

static int Usage()
{
    Console.Error.WriteLine("usage: Pacs.Benchmarks parse|render|rendered [--data DIR] [--count N] [--repeats R]");
    Console.Error.WriteLine("  parse  header-only and full parse of CT files: Pacs vs dcmdump vs pydicom dcmread");
    Console.Error.WriteLine("  render pixel pipeline on a 512x512 CT frame: decode per codec, window + PNG/JPEG, thumbnail");
    Console.Error.WriteLine("  rendered the WADO-RS rendered path step by step on N stored CT instances (cold frames), libvips vs direct encoders");
    return 2;
}
