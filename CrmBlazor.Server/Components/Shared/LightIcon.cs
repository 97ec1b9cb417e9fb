using System.Text;
using Microsoft.AspNetCore.Components;

namespace CrmBlazor.Server.Components.Shared;

/// <summary>A <c>MudIcon</c>'s markup (an SVG icon) as frames in the caller's render tree, or as HTML, for the light elements (<see cref="LightChip"/>, <see cref="LightMenuButton"/>).</summary>
internal static class LightIcon
{
    public static RenderFragment Svg(string cssClass, string icon) => builder =>
    {
        builder.OpenElement(0, "svg");
        builder.AddAttribute(1, "class", cssClass);
        builder.AddAttribute(2, "focusable", "false");
        builder.AddAttribute(3, "viewBox", "0 0 24 24");
        builder.AddAttribute(4, "aria-hidden", "true");
        builder.AddAttribute(5, "role", "img");
        builder.AddMarkupContent(6, icon);
        builder.CloseElement();
    };

    /// <summary>The same SVG as HTML. <paramref name="cssClass"/> and <paramref name="icon"/> are the code's own (MudBlazor's icon paths), never user text.</summary>
    public static void AppendHtml(StringBuilder html, string cssClass, string icon) =>
        html.Append("<svg class=\"").Append(cssClass).Append("\" focusable=\"false\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" role=\"img\">").Append(icon).Append("</svg>");
}
