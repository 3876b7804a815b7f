using System.Runtime.ExceptionServices;

namespace Cairn.Inference.Internal;

/// <summary>Parallel.For over the images of a batch that rethrows the first image's own exception, not an AggregateException.</summary>
internal static class Parallelism
{
    public static void For(int count, int threads, CancellationToken cancellationToken, Action<int> body)
    {
        if (count == 1 || threads == 1)
        {
            for (var i = 0; i < count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                body(i);
            }

            return;
        }

        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
    }
}
