using System.Text.Json.Nodes;
using Cairn.Operations.Split;
using Cairn.Storage.Tasks;
using Cairn.Tasks.Kinds;

namespace Cairn.Tasks.Tests;

/// <summary>
/// The one binder of task parameters: every problem names the parameter and what was expected, and a task whose
/// parameters do not bind is refused before it is queued (the path the API, the CLI and the web forms share).
/// </summary>
public sealed class TaskParametersTests
{
    [Theory]
    [InlineData("split", """{"input":"a","output":"b","sead":3}""", "split: parameter 'sead': unknown; expected one of input, output, parts, seed, stratified, target, separate")]
    [InlineData("generate", """{"output":"x","count":"many"}""", "generate: parameter 'count': expected a whole number, got \"many\"")]
    [InlineData("generate", """{"output":"x","count":2.5}""", "generate: parameter 'count': expected a whole number, got 2.5")]
    [InlineData("generate", """{"output":"x","seed":-1}""", "generate: parameter 'seed': expected a whole number, 0 or more, got -1")]
    [InlineData("filter", """{"input":"a"}""", "filter: parameter 'output': missing; expected the new project's name")]
    [InlineData("filter", """{"input":"  ","output":"b"}""", "filter: parameter 'input': missing; expected <project> or <project>@<N>")]
    [InlineData("filter", """{"input":"a","output":"b","classes":"person"}""", "filter: parameter 'classes': expected an array, each a string, got \"person\"")]
    [InlineData("filter", """{"input":"a","output":"b","stratified":true}""", "filter: parameter 'stratified': unknown; expected one of input, output, classes, absent, minObjects, maxObjects, name")]
    [InlineData("split", """{"input":"a","output":"b","target":"folders"}""", "split: parameter 'target': expected one of datasets, tags, got \"folders\"")]
    [InlineData("split", """{"input":"a","output":"b","parts":[{"name":"train","ratio":"most"}]}""", "split: parameter 'parts[0].ratio': expected a number, got \"most\"")]
    [InlineData("split", """{"input":"a","output":"b","parts":[{"name":"train","ratio":1}]}""", "split: parameter 'parts': expected at least two parts, each with a name and a ratio or a count")]
    [InlineData("run", """{"command":[]}""", "run: parameter 'command': missing; expected a non-empty array of strings")]
    [InlineData("run", """{"command":["sh"],"inputs":[{"spec":"a@1"}]}""", "run: parameter 'inputs[0].format': missing; expected a dataset format (coco, yolo, voc, …)")]
    [InlineData("run", """{"command":["sh"],"inputs":[{"spec":"a@1","format":"coco","extra":1}]}""", "run: parameter 'inputs[0].extra': unknown; expected one of spec, format")]
    [InlineData("augment", """{"input":"a","output":"b","pipeline":"hflip"}""", "augment: parameter 'pipeline': expected a pipeline document")]
    [InlineData("augment", """{"input":"a","output":"b","pipeline":{"steps":[{"op":"hflip"},{"op":"vflip","p":2}]}}""", "augment: parameter 'pipeline.steps[1].p': 2 is outside [0, 1]")]
    [InlineData("augment", """{"input":"a","output":"b","pipeline":{"steps":[{"op":"gaussianBlur","kernel":4}]}}""", "augment: parameter 'pipeline.steps[0].kernel': blur kernel 4 must be odd and in 1..31")]
    [InlineData("augment", """{"input":"a","output":"b","pipeline":{"steps":[{"op":"rotate","angle":[10,-10]}]}}""", "augment: parameter 'pipeline.steps[0].angle': range [10, -10] has its maximum below its minimum")]
    [InlineData("copy-paste", """{"input":"a","objects":"o","output":"b","flip":2}""", "copy-paste: parameter 'flip': expected a number from 0 to 1, got 2")]
    [InlineData("copy-paste", """{"input":"a","objects":"o","output":"b","quality":"high"}""", "copy-paste: parameter 'quality': expected a whole number, got \"high\"")]
    [InlineData("copy-paste", """{"input":"a","objects":"o","output":"b","minObjects":3,"maxObjects":2}""", "copy-paste: parameters 'minObjects' and 'maxObjects': expected 0 <= minObjects <= maxObjects <= 100, got 3 and 2")]
    [InlineData("generate", """{"output":"x","count":0}""", "generate: parameter 'count': expected a whole number from 1 to 1000000, got 0")]
    public void A_bad_parameter_is_refused_by_name_with_what_was_expected_and_nothing_is_queued(string kind, string json, string expected)
    {
        using var home = new TaskHome();
        var e = Assert.Throws<TaskValidationException>(() => home.Tasks.Create(new TaskRequest(kind, JsonNode.Parse(json)!.AsObject())));
        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
        Assert.Empty(home.Tasks.Records.List());
    }

    [Fact]
    public void Parameters_bind_to_the_record_with_defaults_for_what_is_absent_and_null_taken_as_absent()
    {
        var p = TaskParameters.Bind<SplitParameters>(JsonNode.Parse("""{"input":"a@2","output":"b","seed":18446744073709551615,"target":"tags","stratified":null,"parts":[{"name":"train","count":9},{"name":"val","ratio":0.25}]}""")!.AsObject());

        Assert.Equal(("a@2", "b", ulong.MaxValue, SplitTarget.Tags, false), (p.Input, p.Output, p.Seed, p.Target, p.Stratified));
        Assert.Equal(new[] { new SplitPart("train", null, 9), new SplitPart("val", 0.25) }, p.PartsOrDefault);
        var defaults = TaskParameters.Bind<GenerateParameters>(new JsonObject { ["output"] = "g" });
        Assert.Equal((100, 1UL, 256, "synthetic"), (defaults.Count, defaults.Seed, defaults.Width, defaults.Dataset));
    }

    [Fact]
    public async Task A_store_check_of_the_kind_runs_after_binding()
    {
        using var home = new TaskHome();
        var ok = home.Tasks.Create(new TaskRequest("generate", new JsonObject { ["output"] = "g", ["count"] = 2 }));
        Assert.Equal("generate 2 synthetic scenes → g", ok.Title);
        Assert.Equal(TaskStates.Succeeded, (await home.Tasks.RunAsync(ok.Id)).Status);

        var e = Assert.Throws<TaskValidationException>(() => home.Tasks.Create(new TaskRequest("generate", new JsonObject { ["output"] = "g" })));
        Assert.Equal("generate: parameter 'output': a project named 'g' exists already; choose another name (or delete that project)", e.Message);
    }
}
