using NewsBot.Host.Cli;

return await CommandLine.RunAsync(args);
