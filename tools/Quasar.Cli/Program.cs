using Quasar.Cli;

return await QuasarApp.RunAsync(args);
