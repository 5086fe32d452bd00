namespace SpectralNotify.Client.Internal;

/// <summary>Names the route(s) a resource method calls, so a test can check that every route has a method.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
internal sealed class ApiRouteNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
