// Blazor's JS initializer for this app: the demand card's events, raised on its column (Features/Demands/CardEvents.cs).
// A card's drag start is the browser's own dragstart; its move button's press is the "crmcardmenu" event that
// js/board-drag.js raises on it, so that a click elsewhere on a card costs no round trip.
const cardNumber = event => event.target.closest?.(".crm-demand-card")?.dataset.number ?? "";

export function afterWebStarted(blazor) {
    blazor.registerCustomEventType("cardpicked", {
        browserEventName: "dragstart",
        createEventArgs: event => ({ number: cardNumber(event) }),
    });
    blazor.registerCustomEventType("cardmenu", {
        browserEventName: "crmcardmenu",
        createEventArgs: event => ({ number: cardNumber(event), keyboard: event.detail?.keyboard === true }),
    });
}
