namespace Cairn.Tasks;

/// <summary>A parameter record with rules across its members, checked by <see cref="TaskParameters"/> after binding.</summary>
public interface IValidatableParameters
{
    /// <summary>Null when the members fit together, else a message naming the parameter and what was expected.</summary>
    string? Validate();
}
