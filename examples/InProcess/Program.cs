// The SpectralNotify server plus one in-process job handler: runs of type "thumbnail" are claimed
// and run inside this process, and their progress streams live like any task's. README.md says how
// to run it and start a run.
using InProcessExample;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSpectralNotifyServer(builder.Configuration)
    .AddHandler<ThumbnailHandler>("thumbnail");

var app = builder.Build();
app.MapSpectralNotify();
await app.PrepareSpectralNotifyAsync();
await app.RunAsync();
