using MudBlazor;

namespace CrmBlazor.Server.Components.Layout;

/// <summary>The CrmBlazor look: MudBlazor's Material theme with a calm blue and fonts that render Chinese well.</summary>
public static class CrmTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            // Every colour carries text (chips, buttons, alerts), so each keeps 4.5:1 against white and its own tint (WCAG AA).
            Primary = "#1E5EFF",
            Secondary = "#5B6B7F",
            Info = "#0B6BCB",
            Success = "#2E7D32",
            Warning = "#B45309",
            Error = "#C62828",
            TextSecondary = "rgba(0,0,0,0.62)",
            AppbarBackground = "#14213D",
            Background = "#F5F7FB",
            DrawerBackground = "#FFFFFF",
        },
        // Dark: light tints of the same colours, light enough that MudBlazor's darkened variant (chip and alert text) still
        // keeps 4.5:1 on the dark surfaces, with dark text on them when filled (white on a light tint is unreadable).
        PaletteDark = new PaletteDark
        {
            Primary = "#82AAFF",
            PrimaryContrastText = "#0B1A33",
            Secondary = "#A9B4C2",
            SecondaryContrastText = "#0B1A33",
            Info = "#90CAF9",
            InfoContrastText = "rgba(0,0,0,0.87)",
            Success = "#A5D6A7",
            SuccessContrastText = "rgba(0,0,0,0.87)",
            Warning = "#FFB74D",
            WarningContrastText = "rgba(0,0,0,0.87)",
            Error = "#FFB4B4",
            ErrorContrastText = "rgba(0,0,0,0.87)",
            TextPrimary = "rgba(255,255,255,0.87)",
            TableStriped = "rgba(255,255,255,0.04)", // MudBlazor's 0.2 made a striped row too light for link text
            TableHover = "rgba(255,255,255,0.06)",
            TextSecondary = "rgba(255,255,255,0.70)",
            AppbarBackground = "#1B1E2B",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["Inter", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Helvetica", "Arial", "sans-serif"],
            },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
    };
}
