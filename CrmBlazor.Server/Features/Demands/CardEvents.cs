using Microsoft.AspNetCore.Components;

namespace CrmBlazor.Server.Features.Demands;

/// <summary>
/// A demand card's event, raised on its column rather than on the card (wwwroot/CrmBlazor.Server.lib.module.js registers
/// them): a card is HTML shared by the tabs that show it, with no handler of its own, so a column keeps its three
/// handlers (these two and the drop) however many cards it holds, where each card had two of its own.
/// <see cref="Number"/> is the card's, read from its <c>data-number</c>.
/// </summary>
public sealed class CardEventArgs : EventArgs
{
    public string Number { get; set; } = "";

    /// <summary>For the move button: pressed from the keyboard (Enter or space), so the menu's first item takes the focus.</summary>
    public bool Keyboard { get; set; }
}

/// <summary>
/// <c>@oncardpicked</c>: a card's drag began; <c>@oncardmenu</c>: a card's move button was pressed. Razor finds such
/// attributes only on a class named exactly <c>EventHandlers</c> (dotnet/aspnetcore#56458); under another name the
/// attribute is written out as text and no handler is ever called.
/// </summary>
[EventHandler("oncardpicked", typeof(CardEventArgs), enableStopPropagation: true, enablePreventDefault: true)]
[EventHandler("oncardmenu", typeof(CardEventArgs), enableStopPropagation: true, enablePreventDefault: true)]
public static class EventHandlers
{
}
