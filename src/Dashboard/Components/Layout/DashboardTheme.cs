using MudBlazor;

namespace MetaAnomaly.Dashboard.Components.Layout;

/// <summary>
/// The dashboard's MudBlazor theme: one palette for light and one for dark mode. Every filled colour carries its text at
/// 4.5:1 or more (WCAG AA): MudBlazor's light Info, Success and Warning under white text do not, nor do the dark
/// palette's light fills, which therefore take dark text.
/// </summary>
internal static class DashboardTheme
{
    private const string DarkText = "#10141f";

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3559c7",
            Secondary = "#5f6b7a",
            AppbarBackground = "#1f2a44",
            Background = "#f5f7fb",
            Error = "#d32f2f",
            Warning = "#b35900",
            Info = "#0277bd",
            Success = "#2e7d32",
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
            ErrorContrastText = DarkText,
            WarningContrastText = DarkText,
            InfoContrastText = DarkText,
            SuccessContrastText = DarkText,
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
    };
}
