using System.Text.Json;
using SpectralNotify.Tasks;

namespace EmbeddedExample;

/// <summary>
/// The app's own endpoint. Placing an order starts a SpectralNotify task for its fulfilment through
/// the server's services in this process (no HTTP hop); clients watch it live by its id.
/// </summary>
public static class OrderEndpoints
{
    /// <summary>The body of <c>POST /orders</c>.</summary>
    public sealed record PlaceOrder(string Item, int Quantity);

    /// <summary><c>POST /orders</c>: 201 with the order's id and the task to watch.</summary>
    public static async Task<IResult> PlaceAsync(PlaceOrder order, TaskService tasks, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(order.Item) || order.Quantity <= 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["order"] = ["needs an item and a positive quantity"] });
        }
        var id = $"order-{Guid.CreateVersion7():N}";
        await tasks.CreateAsync(new NewTask
        {
            Id = id,
            Title = $"Fulfil {order.Quantity} × {order.Item}",
            Type = "order",
            Metadata = JsonSerializer.Serialize(new { item = order.Item, quantity = order.Quantity }),
        }, ct);
        // Watch: {"type":"subscribe","id":"o","topic":"task:<taskId>"} on /api/v1/live, or GET /api/v1/tasks/<taskId>/stream.
        return TypedResults.Created($"/api/v1/tasks/{id}", new { orderId = id, taskId = id });
    }
}
