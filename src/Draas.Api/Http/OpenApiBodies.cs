using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Draas.Api.Http;

/// <summary>
/// Says in the OpenAPI document which typed body an endpoint reads. The handlers read their bodies through
/// <see cref="JsonBody"/> (OpenStack-style 400/413/415), so the framework's own <c>Accepts</c> metadata, which
/// would take part in routing and answer 415 in its own words, is not used: this marker only describes.
/// </summary>
public sealed record ReadsJsonBody(Type Type);

public static class OpenApiBodies
{
    public static RouteHandlerBuilder Reads<T>(this RouteHandlerBuilder endpoint) where T : class =>
        endpoint.WithMetadata(new ReadsJsonBody(typeof(T)));

    /// <summary>Writes each marked endpoint's body schema as its request body.</summary>
    public static OpenApiOptions DescribeRequestBodies(this OpenApiOptions options) => options.AddOperationTransformer(async (operation, context, ct) =>
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<ReadsJsonBody>().FirstOrDefault() is not { } body) return;
        var schema = await context.GetOrCreateSchemaAsync(body.Type, null, ct);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
        };
    });
}
