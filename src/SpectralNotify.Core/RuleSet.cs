namespace SpectralNotify;

/// <summary>
/// Which lifecycle rules a mutation follows. Our own API is <see cref="Strict"/>; the
/// spectralNotify-compatible surface is <see cref="Reference"/>, because existing reference clients
/// may depend on what the reference server lets them do.
/// </summary>
public enum RuleSet
{
    /// <summary>Terminal tasks and workflows refuse further changes (409); a parent phase's progress only rolls up.</summary>
    Strict,

    /// <summary>
    /// The reference's rules (protocol §7): every mutation is allowed from every status; progress and
    /// events on a terminal entity leave its status alone; complete / fail / cancel set the new status
    /// and timestamp without clearing earlier ones; a parent phase may be set directly.
    /// </summary>
    Reference,
}
