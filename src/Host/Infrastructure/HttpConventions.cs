using Wolverine.Http;

namespace Host.Infrastructure;

internal static class HttpConventions
{
    public static void AddProductConventions(this WolverineHttpOptions options)
    {
        // '?page=abc' is a client's mistake to be told about, not a silent page 0.
        options.RejectUnparseableQueryValues = true;
    }
}
