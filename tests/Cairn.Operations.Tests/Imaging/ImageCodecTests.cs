using Cairn.Operations.Imaging;
using Cairn.TestSupport;

namespace Cairn.Operations.Tests.Imaging;

public sealed class ImageCodecTests
{
    [Fact]
    public void Decode_refuses_a_header_over_the_pixel_limit_before_allocating_the_image()
    {
        // What augment and copy-paste decode: 60000 × 60000 RGBA would be a 14.4 GB buffer.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<InvalidDataException>(() => ImageCodec.Decode(CraftedPng.HeaderOnly(60_000, 60_000), "train/huge.png"));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.StartsWith("train/huge.png: the image header says 60000×60000 = 3600000000 pixels, expected at most ", ex.Message);
        Assert.True(allocated < 64 * 1024, $"{allocated} bytes allocated");
    }
}
