namespace Cairn.Cli.Native;

/// <summary>
/// What the CLI says, and which exit code it returns, for an exception that ends a command: the same for the native
/// front and the full CLI.
/// </summary>
public static class CliErrors
{
    /// <summary>The message and exit code for <paramref name="e"/>; null for an unexpected exception while CAIRN_DEBUG=1 (let it crash with its stack trace).</summary>
    public static (string Message, int ExitCode)? Describe(Exception e) => e switch
    {
        Storage.Objects.CorruptObjectException => ($"error: {e.Message}. Run `cairn fsck` to list every damaged object and what refers to it; re-import the data that holds it, or restore the home from a backup.", 3),
        Storage.Objects.MissingObjectException => ($"error: {e.Message}. Run `cairn fsck` to list every missing object and what refers to it; re-import the data that holds it, or restore the home from a backup.", 3),
        Storage.Projects.ProjectExistsException => ($"error: {e.Message}. Choose another name, or delete the old project first with `cairn project delete NAME` (its versions stay).", 1),
        Core.Formats.DatasetFormatException => ($"error: {e.Message}. Correct the file and run the command again.", 1),
        OperationCanceledException => ("cancelled", 130),
        Storage.CatalogConfigurationException => ($"error: {e.Message}", 2),
        Npgsql.NpgsqlException => ($"error: the PostgreSQL catalog answered: {e.Message}. Check that the server runs and accepts this home's connection string (catalog.conf in the home, or --catalog / CAIRN_CATALOG for a new home), and the password (Password=, PGPASSWORD or ~/.pgpass).", 1),
        Microsoft.Data.Sqlite.SqliteException => ($"error: the catalog (catalog.db in the home) answered: {e.Message}. If another cairn process is writing to this home, wait for it or stop it; run `cairn fsck` if the file may be damaged.", 1),
        IOException or UnauthorizedAccessException => ($"error: {e.Message}. Check that the path exists, that you may read and write it, and that the disk has space (the store is under --home, default ./.cairn).", 1),
        _ when Environment.GetEnvironmentVariable("CAIRN_DEBUG") == "1" => null,
        _ => ($"error: unexpected {e.GetType().Name}: {e.Message}. This is a bug in Cairn: please report it with the command you ran (set CAIRN_DEBUG=1 to print the stack trace).", 70),
    };
}
