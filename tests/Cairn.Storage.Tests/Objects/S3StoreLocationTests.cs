using Cairn.Storage.Objects;

namespace Cairn.Storage.Tests.Objects;

public class S3StoreLocationTests
{
    [Fact]
    public void A_location_parses_and_prints_canonically()
    {
        var l = S3StoreLocation.Parse("s3://my-bucket/a/b/?path-style=true&endpoint=http://127.0.0.1:9000/", "test");
        Assert.Equal(("my-bucket", "a/b", "us-east-1", true), (l.Bucket, l.Prefix, l.Region, l.PathStyle));
        Assert.Equal("s3://my-bucket/a/b?endpoint=http://127.0.0.1:9000&region=us-east-1&path-style=true", l.ToString());
        Assert.Equal(l.ToString(), S3StoreLocation.Parse(l.ToString(), "test").ToString());

        var aws = S3StoreLocation.Parse("s3://data.example", "test");
        Assert.Equal(("", null, false), (aws.Prefix, aws.Endpoint, aws.PathStyle));
        Assert.Equal("https://s3.us-east-1.amazonaws.com", aws.EndpointText);
    }

    [Fact]
    public void Presign_is_part_of_the_text_but_not_of_which_objects_a_location_names()
    {
        var plain = S3StoreLocation.Parse("s3://my-bucket/a?endpoint=http://127.0.0.1:9000&path-style=true", "test");
        var presigned = S3StoreLocation.Parse("s3://my-bucket/a?presign=900&endpoint=http://127.0.0.1:9000&path-style=true", "test");
        Assert.Null(plain.Presign);
        Assert.Equal(TimeSpan.FromMinutes(15), presigned.Presign);
        Assert.Equal("s3://my-bucket/a?endpoint=http://127.0.0.1:9000&region=us-east-1&path-style=true&presign=900", presigned.ToString());
        Assert.Equal(presigned, S3StoreLocation.Parse(presigned.ToString(), "test"));
        Assert.True(plain.SameObjects(presigned));
        Assert.False(plain.SameObjects(S3StoreLocation.Parse("s3://my-bucket/b?endpoint=http://127.0.0.1:9000&path-style=true&presign=900", "test")));
    }

    [Theory]
    [InlineData("/data/objects", "is not an S3 store location")]
    [InlineData("s3://", "bucket ''")]
    [InlineData("s3://Upper_Case/x", "bucket 'Upper_Case'")]
    [InlineData("s3://ok-bucket/a//b", "prefix 'a//b'")]
    [InlineData("s3://ok-bucket/x?endpoint=ftp://host", "endpoint 'ftp://host'")]
    [InlineData("s3://ok-bucket/x?endpoint=http://key:secret@host", "without credentials")]
    [InlineData("s3://ok-bucket/x?region=US_EAST", "region 'US_EAST'")]
    [InlineData("s3://ok-bucket/x?path-style=yes", "path-style 'yes'")]
    [InlineData("s3://ok-bucket/x?secret=abc", "unknown parameter 'secret'")]
    [InlineData("s3://ok-bucket/x?presign=5", "presign '5' is not a number of seconds from 60 to 604800")]
    [InlineData("s3://ok-bucket/x?presign=604801", "presign '604801'")]
    [InlineData("s3://ok-bucket/x?presign=15m", "presign '15m'")]
    public void A_bad_location_names_the_part_that_is_wrong(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => S3StoreLocation.Parse(text, "--store"));
        Assert.StartsWith("--store: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret@", e.Message, StringComparison.Ordinal);
    }
}
