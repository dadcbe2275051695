using MudBlazor;

namespace MetaAnomaly.Dashboard.Components.Layout;

/// <summary>The dashboard's MudBlazor theme: one palette for light and one for dark mode.</summary>
internal static class DashboardTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3559c7",
            Secondary = "#5f6b7a",
            AppbarBackground = "#1f2a44",
            Background = "#f5f7fb",
            Error = "#d32f2f",
            Warning = "#ed6c02",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#7b9cff",
            Secondary = "#9aa7b8",
            AppbarBackground = "#151b2c",
            Background = "#10141f",
            Surface = "#182033",
            DrawerBackground = "#141a2a",
            Error = "#ff6b6b",
            Warning = "#ffb74d",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
    };
}
