Console.Error.WriteLine("sipconf: no command yet");
return 2;
