using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Cairn.Storage.Catalog;

/// <summary>Reads catalog times as UTC (<see cref="DateTimeKind.Utc"/>): they are written in UTC, and SQLite keeps no kind.</summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
