using System.Text.Json;

namespace SpectralNotify.Client.Models;

/// <summary><c>POST /api/v1/workflows</c>; the id is generated when null.</summary>
public sealed record CreateWorkflowRequest
{
    /// <summary>The workflow's id, or null for a generated one.</summary>
    public string? Id { get; init; }

    /// <summary>The phases; the weights of the top-level phases, and of each parent's children, sum to 1.</summary>
    public IReadOnlyList<PhaseDefinition> Phases { get; init; } = [];

    /// <summary>A JSON object.</summary>
    public JsonElement? Metadata { get; init; }

    /// <summary>Asks for a read token for the new workflow in the answer (then no automatic Idempotency-Key is sent).</summary>
    public TokenOnCreate? Token { get; init; }
}

/// <summary>One phase of <see cref="CreateWorkflowRequest"/>.</summary>
public sealed record PhaseDefinition
{
    /// <summary>Unique key.</summary>
    public string? Key { get; init; }

    /// <summary>What to show.</summary>
    public string? Label { get; init; }

    /// <summary>Its share among its siblings.</summary>
    public double? Weight { get; init; }

    /// <summary>Its parent, or null at the top level.</summary>
    public string? ParentPhaseKey { get; init; }
}

/// <summary>The filter and page of <c>GET /api/v1/workflows</c> (newest first).</summary>
public sealed record WorkflowQuery
{
    /// <summary>One of <see cref="TaskStatuses"/>.</summary>
    public string? Status { get; init; }

    /// <summary>1–500; the server's default is 50.</summary>
    public int? Limit { get; init; }

    /// <summary>The <see cref="Page{T}.Next"/> of the previous page.</summary>
    public string? Cursor { get; init; }
}
