using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;

namespace SpectralNotify.Bench;

/// <summary>Handles one whole WebSocket message, stamped with the Stopwatch time its last frame arrived.</summary>
internal delegate void MessageHandler(ReadOnlySpan<byte> message, long receivedTicks);

/// <summary>The receive loop of a bench WebSocket client: reassembles messages and hands each over as soon as it is complete.</summary>
internal static class MessageLoop
{
    /// <summary>Receives until the server closes, the socket fails or <paramref name="ct"/> fires; returns why it ended.</summary>
    public static async Task<string> RunAsync(WebSocket ws, int bufferBytes, MessageHandler handle, CancellationToken ct)
    {
        var buffer = new byte[bufferBytes];
        var large = new ArrayBufferWriter<byte>();
        try
        {
            while (true)
            {
                var result = await ws.ReceiveAsync(buffer.AsMemory(), ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return $"server close {(int?)ws.CloseStatus} {ws.CloseStatusDescription}";
                }
                ReadOnlySpan<byte> message;
                if (result.EndOfMessage && large.WrittenCount == 0)
                {
                    message = buffer.AsSpan(0, result.Count);
                }
                else
                {
                    large.Write(buffer.AsSpan(0, result.Count));
                    if (!result.EndOfMessage)
                    {
                        continue;
                    }
                    message = large.WrittenSpan;
                }
                handle(message, Stopwatch.GetTimestamp());
                large.ResetWrittenCount();
            }
        }
        catch (OperationCanceledException)
        {
            return "canceled";
        }
        catch (WebSocketException ex)
        {
            return "error: " + ex.Message;
        }
    }

    /// <summary>Closes normally and waits (at most 5 s) for <paramref name="loop"/> to see the server's close; aborts otherwise.</summary>
    public static async Task CloseAsync(WebSocket ws, Task loop)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            if (ws.State == WebSocketState.Open)
            {
                await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bench done", timeout.Token);
            }
            await loop.WaitAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException)
        {
            ws.Abort();
        }
    }
}
