using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Cairn.Storage.Tasks;

namespace Cairn.Tasks;

/// <summary>
/// Binds a task's JSON parameters to its kind's parameter record, the one place they are checked: unknown members are
/// refused; a constructor parameter without a default is required (a blank string or an empty array counts as missing,
/// a null member as absent); numbers and enums are typed; <c>[property: Range]</c> bounds a number,
/// <c>[property: Description]</c> says in words what a member expects; every problem reads "parameter 'NAME': expected …".
/// <see cref="IValidatableParameters"/> then checks the rules across members.
/// </summary>
public static class TaskParameters
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        NumberHandling = JsonNumberHandling.Strict,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    /// <summary>What "input" expects: a project (its working state, versioned first when it changed) or one of its versions.</summary>
    public const string InputSpec = "<project> or <project>@<N>";

    /// <summary>What "output" expects.</summary>
    public const string NewProject = "the new project's name";

    /// <summary>The parameters as <typeparamref name="T"/>.</summary>
    /// <exception cref="TaskValidationException">A parameter is unknown, missing, of the wrong type, or breaks a rule.</exception>
    public static T Bind<T>(JsonObject parameters)
        where T : class
    {
        var present = new JsonObject(parameters.Where(p => p.Value is not null).Select(p => KeyValuePair.Create<string, JsonNode?>(p.Key, p.Value!.DeepClone())));
        // Every leaf was read by the same strict serializer in the walk, so binding what passed it does not fail.
        var bound = Problem(present, typeof(T), string.Empty, null) is { } problem ? throw new TaskValidationException(problem) : present.Deserialize<T>(Options)!;
        return bound is IValidatableParameters v && v.Validate() is { } rule ? throw new TaskValidationException(rule) : bound;
    }

    private static string? Problem(JsonNode node, Type type, string path, string? expected)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        expected ??= Expected(type);
        var wrong = $"parameter '{path}': expected {expected}, got {node.ToJsonString()}";
        if (typeof(JsonNode).IsAssignableFrom(type))
        {
            return type.IsInstanceOfType(node) ? null : wrong;
        }

        var info = Options.GetTypeInfo(type);
        if (info.Kind == JsonTypeInfoKind.Enumerable)
        {
            return node is JsonArray a ? a.Select((x, i) => x is null ? $"parameter '{path}[{i}]': expected {Expected(info.ElementType!)}, got null" : Problem(x, info.ElementType!, $"{path}[{i}]", null)).FirstOrDefault(p => p is not null) : wrong;
        }

        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return Fits(node, type) ? null : wrong;
        }

        if (node is not JsonObject o)
        {
            return wrong;
        }

        var prefix = path.Length == 0 ? string.Empty : path + ".";
        if (o.FirstOrDefault(m => !info.Properties.Any(p => p.Name == m.Key)).Key is { } unknown)
        {
            return $"parameter '{prefix}{unknown}': unknown; expected one of {string.Join(", ", info.Properties.Select(p => p.Name))}";
        }

        foreach (var p in info.Properties)
        {
            var says = (p.AttributeProvider?.GetCustomAttributes(typeof(DescriptionAttribute), inherit: true).FirstOrDefault() as DescriptionAttribute)?.Description;
            var required = p.IsRequired || p.AssociatedParameter is { HasDefaultValue: false };
            var value = o[p.Name];
            if (value is null || (required && ((value is JsonValue v && v.GetValueKind() == JsonValueKind.String && string.IsNullOrWhiteSpace(v.GetValue<string>())) || value is JsonArray { Count: 0 })))
            {
                if (required)
                {
                    return $"parameter '{prefix}{p.Name}': missing; expected {says ?? Expected(p.PropertyType)}";
                }

                continue;
            }

            if (Problem(value, p.PropertyType, prefix + p.Name, says) is { } problem)
            {
                return problem;
            }

            if (p.AttributeProvider?.GetCustomAttributes(typeof(RangeAttribute), inherit: true).FirstOrDefault() is RangeAttribute r && !r.IsValid(value.Deserialize(p.PropertyType, Options)))
            {
                return $"parameter '{prefix}{p.Name}': expected {says ?? Expected(p.PropertyType)} from {r.Minimum} to {r.Maximum}, got {value.ToJsonString()}";
            }
        }

        return null;
    }

    // A leaf value fits when the strict serializer reads it: "2" is no number, 2.5 no whole number, -1 no ulong.
    private static bool Fits(JsonNode node, Type type)
    {
        try
        {
            _ = node.Deserialize(type, Options);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return Type.GetTypeCode(type) switch
        {
            _ when type.IsEnum => "one of " + string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.CamelCase.ConvertName)),
            TypeCode.String => "a string",
            TypeCode.Boolean => "true or false",
            TypeCode.Int32 or TypeCode.Int64 => "a whole number",
            TypeCode.UInt64 => "a whole number, 0 or more",
            TypeCode.Double or TypeCode.Single => "a number",
            _ when type == typeof(JsonObject) => "a JSON object",
            _ when type == typeof(JsonArray) => "a JSON array",
            _ when typeof(JsonNode).IsAssignableFrom(type) => "JSON",
            _ => Options.GetTypeInfo(type) switch
            {
                { Kind: JsonTypeInfoKind.Enumerable } e => $"an array, each {Expected(e.ElementType!)}",
                var o => $"an object {{{string.Join(", ", o.Properties.Select(p => p.Name))}}}",
            },
        };
    }
}
