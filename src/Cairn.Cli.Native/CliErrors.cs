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
        Storage.Projects.ProjectExistsException x => ($"error: {e.Message}. Choose another name with --project, or delete the old project first with `cairn project delete {x.Name}` (its versions stay).", 1),
        Storage.Maintenance.UnreadableTreeException => ($"error: {e.Message}. Run `cairn fsck` to list every damaged or missing object and what refers to it.", 3),
        Storage.Projects.ProjectMissingException => ($"error: {e.Message}. List the projects with `cairn project list`, or leave out --into to import as a new project.", 1),
        Storage.Projects.ImportClashException => ($"error: {e.Message}. Rename or remove those items, or import into another dataset with --into PROJECT/DATASET.", 1),
        Core.Formats.DatasetFormatException => ($"error: {e.Message}. Correct the file and run the command again.", 1),
        OperationCanceledException => ("cancelled", 130),
        Storage.CatalogConfigurationException x => ($"error: {e.Message}. {CatalogAdvice(x)}", 2),
        Storage.StoreConfigurationException x => ($"error: {e.Message}. {StoreAdvice(x)}", 2),
        Storage.Objects.ObjectStoreAccessException x => ($"error: {e.Message}. {AccessAdvice(x)}", 1),
        Npgsql.NpgsqlException => ($"error: the PostgreSQL catalog answered: {e.Message}. Check that the server runs and accepts this home's connection string (catalog.conf in the home, or --catalog / CAIRN_CATALOG for a new home), and the password (Password=, PGPASSWORD or ~/.pgpass).", 1),
        Microsoft.Data.Sqlite.SqliteException => ($"error: the catalog (catalog.db in the home) answered: {e.Message}. If another cairn process is writing to this home, wait for it or stop it; run `cairn fsck` if the file may be damaged.", 1),
        IOException or UnauthorizedAccessException => ($"error: {e.Message}. Check that the path exists, that you may read and write it, and that the disk has space (the store is under --home, default ./.cairn).", 1),
        _ when Environment.GetEnvironmentVariable("CAIRN_DEBUG") == "1" => null,
        _ => ($"error: unexpected {e.GetType().Name}: {e.Message}. This is a bug in Cairn: please report it with the command you ran (set CAIRN_DEBUG=1 to print the stack trace).", 70),
    };

    /// <summary>What <see cref="Describe"/> says for <paramref name="e"/>, without the "error: " prefix, for a command that reports the error itself.</summary>
    public static string Text(Exception e) => Describe(e)?.Message is { } m && m.StartsWith("error: ", StringComparison.Ordinal) ? m["error: ".Length..] : e.Message;

    private static string StoreAdvice(Storage.StoreConfigurationException e) => e.Problem switch
    {
        Storage.StoreProblem.RecordedStoreNotAsked => "Open it without --store (and with CAIRN_STORE unset), or use another --home.",
        Storage.StoreProblem.LocalCannotSwitch => "Use a new --home for an S3 object store.",
        _ when e.RecordedIn is null => "Check the store option (--store or CAIRN_STORE).",
        _ => $"Correct the location in {e.RecordedIn}.",
    };

    private static string AccessAdvice(Storage.Objects.ObjectStoreAccessException e) => e.Problem switch
    {
        Storage.Objects.ObjectStoreAccessProblem.NoSuchBucket => "Create the bucket, or correct the bucket in the home's store.conf (a new home: --store or CAIRN_STORE).",
        Storage.Objects.ObjectStoreAccessProblem.Unreachable => "Check that the endpoint runs and that this machine can reach it.",
        _ => "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE naming a profile in ~/.aws/credentials) to a key that may read and write the bucket; Cairn never stores credentials.",
    };

    private static string CatalogAdvice(Storage.CatalogConfigurationException e) => e.Problem switch
    {
        Storage.CatalogProblem.RecordedPostgresNotSqlite or Storage.CatalogProblem.RecordedPostgresNotAsked => "Open it without --catalog (and with CAIRN_CATALOG unset), or use another --home.",
        Storage.CatalogProblem.SqliteCannotSwitch => "Use a new --home for a PostgreSQL catalog.",
        _ when e.RecordedIn is null => "Check the catalog option (--catalog or CAIRN_CATALOG).",
        _ => $"Correct the connection string in {e.RecordedIn}.",
    };
}
