using MudBlazor;

namespace CrmBlazor.Server.Components.Layout;

/// <summary>The CrmBlazor look: MudBlazor's Material theme with a calm blue and fonts that render Chinese well.</summary>
public static class CrmTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1E5EFF",
            Secondary = "#5B6B7F",
            AppbarBackground = "#14213D",
            Background = "#F5F7FB",
            DrawerBackground = "#FFFFFF",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#6E9BFF",
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
