namespace Cairn.Storage;

/// <summary>The catalog asked for cannot be used with this home, or is not a valid connection string; the message says why and what to do.</summary>
public sealed class CatalogConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
