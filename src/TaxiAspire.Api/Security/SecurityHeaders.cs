namespace TaxiAspire.Api.Security;

/// <summary>Response headers that keep the page from being framed, sniffed or made to load foreign code.</summary>
internal static class SecurityHeaders
{
    // Blazor Server needs its WebSocket (connect-src); Radzen's charts set inline style attributes (style-src).
    // No inline or foreign script is needed, so none is allowed.
    private const string PageContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    // The Scalar reference page boots from an inline script and loads its fonts from its CDN.
    private const string ReferenceContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline' https:; " +
        "img-src 'self' data: https:; font-src 'self' data: https:; connect-src 'self'; frame-ancestors 'none'; object-src 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
        headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/scalar")
            ? ReferenceContentSecurityPolicy
            : PageContentSecurityPolicy;
        return next(context);
    });
}
