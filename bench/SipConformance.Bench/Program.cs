using SipConformance.Bench;

return await BenchProgram.MainAsync(args);
