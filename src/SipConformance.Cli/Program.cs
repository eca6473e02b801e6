using SipConformance.Cli;

// `sipconf`: see CommandLine.Usage. Ctrl-C stops what is under way (requests end quickly).
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await CommandLine.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable, cancel.Token);
