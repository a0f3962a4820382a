using Radzen;

namespace TaxiAspire.Api.Components;

internal static class DashboardExtensions
{
    /// <summary>The live dashboard: interactive server-rendered Blazor with Radzen's charts.</summary>
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        // The AppHost runs the API from its build output in the Production environment (it has no launch profile),
        // where package assets (_framework/blazor.web.js, Radzen's files) are found only through the build's static
        // web assets manifest. This reads it when present; a published app has the files in wwwroot and no manifest,
        // so it is a no-op.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRadzenComponents();
        return builder;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.MapStaticAssets();
        // Our own policy (SecurityHeaders) already says frame-ancestors 'none'; Blazor would add a second CSP header.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = null);
        return app;
    }
}
