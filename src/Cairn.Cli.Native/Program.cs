using Cairn.Cli.Native;

return NativeCli.Run(args);
