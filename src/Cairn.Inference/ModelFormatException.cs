namespace Cairn.Inference;

/// <summary>A model file whose inputs or outputs Cairn cannot use; the message names the file and what was found.</summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>Creates the exception with a message naming the file and the shapes found.</summary>
    public ModelFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception wrapping the runtime's own error.</summary>
    public ModelFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public ModelFormatException()
        : base("The model does not have a supported detector layout.")
    {
    }
}
