using System.Threading.Channels;

namespace Cairn.Operations.Augment;

/// <summary>
/// Runs a pipeline over a stream of items on several cores with bounded memory: at most <c>workers</c> items are
/// being processed and at most <c>2·workers</c> finished items wait for the sink, whatever the number of items.
/// The sink is called from one task at a time, in completion order (outputs carry their key and index).
/// </summary>
public static class AugmentRunner
{
    /// <summary>Processes every input; returns the number of outputs written. Progress reports inputs done.</summary>
    public static async Task<long> RunAsync(
        AugmentPipeline pipeline,
        IAsyncEnumerable<AugmentInput> inputs,
        Func<AugmentOutput, CancellationToken, ValueTask> sink,
        int workers = 0,
        MosaicSource? mosaic = null,
        IProgress<long>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(sink);
        workers = workers > 0 ? workers : Environment.ProcessorCount;
        var channel = Channel.CreateBounded<List<AugmentOutput>>(new BoundedChannelOptions(2 * workers)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(
            async () =>
            {
                try
                {
                    var options = new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = linked.Token };
                    await Parallel.ForEachAsync(inputs, options, async (input, ct) =>
                    {
                        var outputs = pipeline.Run(input, mosaic);
                        await channel.Writer.WriteAsync(outputs, ct);
                    });
                    channel.Writer.Complete();
                }
                catch (Exception e)
                {
                    channel.Writer.Complete(e);
                }
            },
            CancellationToken.None);

        long written = 0, done = 0;
        try
        {
            await foreach (var outputs in channel.Reader.ReadAllAsync(cancellationToken))
            {
                foreach (var output in outputs)
                {
                    await sink(output, cancellationToken);
                    written++;
                }

                progress?.Report(++done);
            }
        }
        catch (ChannelClosedException e) when (e.InnerException is not null)
        {
            // A worker failed: surface its own exception (e.g. which input could not be decoded), not the channel's.
            await linked.CancelAsync();
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
        catch
        {
            await linked.CancelAsync();
            throw;
        }
        finally
        {
            await producer;
        }

        return written;
    }
}
