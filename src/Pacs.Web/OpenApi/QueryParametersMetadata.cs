namespace Pacs.Web.OpenApi;

/// <summary>Endpoint metadata: the query parameters an endpoint reads, for the OpenAPI description.</summary>
public sealed record QueryParametersMetadata(params string[] Names);
