namespace SpectralNotify.Client;

/// <summary>One REST route of the v1 API: its name (used in errors), method and path template.</summary>
public sealed class ApiRoute
{
    internal ApiRoute(string name, string method, string template)
    {
        Name = name;
        Method = new HttpMethod(method);
        Template = template;
    }

    /// <summary>The route's name, e.g. <c>tasks.progress</c>; <see cref="SpectralApiException.Route"/> carries it.</summary>
    public string Name { get; }

    /// <summary>The HTTP method.</summary>
    public HttpMethod Method { get; }

    /// <summary>The path template as the server's OpenAPI document spells it, e.g. <c>/api/v1/tasks/{id}/progress</c>.</summary>
    public string Template { get; }

    /// <summary>The path with each <c>{…}</c> replaced, in order, by the escaped <paramref name="values"/>.</summary>
    public string Path(params string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var builder = new System.Text.StringBuilder(Template.Length + 32);
        var next = 0;
        for (var i = 0; i < Template.Length; i++)
        {
            if (Template[i] != '{')
            {
                builder.Append(Template[i]);
                continue;
            }
            if (next >= values.Length)
            {
                throw new ArgumentException($"{Name} needs a value for every parameter of {Template}.", nameof(values));
            }
            var value = values[next++];
            ArgumentException.ThrowIfNullOrEmpty(value, nameof(values));
            builder.Append(Uri.EscapeDataString(value));
            i = Template.IndexOf('}', i);
        }
        if (next != values.Length)
        {
            throw new ArgumentException($"{Name} takes {next} path values, not {values.Length}.", nameof(values));
        }
        return builder.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Method} {Template}";
}
