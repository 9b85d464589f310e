using Microsoft.AspNetCore.Http;

namespace Pacs.Web.Http;

/// <summary>Error responses: a problem document (RFC 9457) whose detail says what was wrong with the request.</summary>
public static class DicomWebErrors
{
    public static IResult BadRequest(string detail) => Problem(StatusCodes.Status400BadRequest, "Bad Request", detail);

    public static IResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, "Not Found", detail);

    public static IResult NotAcceptable(string detail) => Problem(StatusCodes.Status406NotAcceptable, "Not Acceptable", detail);

    public static IResult UnsupportedMediaType(string detail) => Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type", detail);

    public static IResult PayloadTooLarge(string detail) => Problem(StatusCodes.Status413PayloadTooLarge, "Payload Too Large", detail);

    public static IResult Problem(int status, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: title);

    /// <summary>The first of <paramref name="uids"/> that is not a valid UID (PS3.5 9.1), as a 400; null when all are valid.</summary>
    public static IResult? InvalidUid(params (string Name, string? Value)[] uids)
    {
        foreach (var (name, value) in uids)
        {
            if (value is not null && !Pacs.Dicom.DicomUid.IsValid(value))
            {
                return BadRequest($"{name} '{Truncate(value)}' is not a valid DICOM UID (PS3.5 9.1: digits and dots, at most 64 characters).");
            }
        }

        return null;
    }

    private static string Truncate(string value) => value.Length > 80 ? value[..80] + "…" : value;
}
