// A SpectralNotify remote worker: a console app that runs job handlers on any machine over HTTP.
//
//   SPECTRAL_URL=http://127.0.0.1:8094 SPECTRAL_API_KEY=<write key> dotnet run --project examples/RemoteWorker
//
// Optional: WORKER_ID (default host-pid), QUEUE (default "default"), CONCURRENCY (default 4).
// Ctrl+C drains: running attempts get 10 s to finish, then are handed back to the server.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RemoteWorker;

var builder = Host.CreateApplicationBuilder(args);
var config = builder.Configuration;
builder.Services.AddSpectralNotifyWorker(o =>
{
    o.BaseAddress = new Uri(config["SPECTRAL_URL"] ?? "http://127.0.0.1:8094");
    o.ApiKey = config["SPECTRAL_API_KEY"];
    o.WorkerId = config["WORKER_ID"] ?? o.WorkerId;
    o.Queues[config["QUEUE"] ?? "default"] = int.Parse(config["CONCURRENCY"] ?? "4", System.Globalization.CultureInfo.InvariantCulture);
}).AddHandler<WordCountHandler>("word-count");

await builder.Build().RunAsync();
