// An orders service that already exists (its own endpoints below) and now hosts the whole
// SpectralNotify server: the REST API under /api/v1, live updates at /api/v1/live, /ws/* and SSE,
// the scheduler and in-process workers, /healthz, /readyz, /metrics, /openapi/v1.json and /docs.
// README.md says how to run it.
using EmbeddedExample;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSpectralNotifyServer(builder.Configuration, o =>
    // The app's own connection string; SQLite in ./data unless it is set.
    o.Database = builder.Configuration.GetConnectionString("Spectral") ?? "sqlite:./data/orders.db");

var app = builder.Build();
app.MapSpectralNotify();

// The app's own endpoints. GET / is the app's: the server's compatible surface yields it.
app.MapGet("/", () => "Orders service (SpectralNotify inside: /api/v1, /docs)");
app.MapPost("/orders", OrderEndpoints.PlaceAsync);

// Checks settings, takes the database lock, creates the admin key on first start and migrates.
await app.PrepareSpectralNotifyAsync();
await app.RunAsync();
