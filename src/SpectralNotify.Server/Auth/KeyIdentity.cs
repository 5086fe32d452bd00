namespace SpectralNotify.Server.Auth;

/// <summary>An accepted API key as the server knows it: its id, display name and granted scopes (never the secret).</summary>
public sealed record KeyIdentity(string Id, string Name, string[] Scopes);
