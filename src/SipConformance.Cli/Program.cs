using SipConformance.Cli;

// `sipconf`: see `sipconf --help` (CommandLine.cs). Ctrl-C stops what is under way: a run stops
// sending, cleans up what it created and writes its reports; a second Ctrl-C ends the process.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (cancel.IsCancellationRequested) return;
    e.Cancel = true;
    cancel.Cancel();
};
return await CommandLine.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable, cancel.Token);
