// The demand board's drag and drop (Features/Demands/DemandBoardColumn.razor) is the browser's own: here a drag of one of
// its cards carries the card's number under a type of its own (Firefox starts no drag without data), a column under the
// pointer accepts only such a drag (a drop target must refuse dragover's default) and is marked while it would take the
// card, and the browser does not also open the dragged link. The drop itself is the column's Blazor handler. Drags of
// anything else (files, text, other boards' items) are left alone. A press of a card's move button (its closed look, HTML
// with no handler of its own) is raised as "crmcardmenu" on it, which the column handles (CrmBlazor.Server.lib.module.js).
(() => {
    const type = "application/x-crm-demand";
    let marked = null;
    const mark = zone => {
        if (marked === zone) return;
        marked?.classList.remove("crm-board-zone-over");
        marked = zone;
        zone?.classList.add("crm-board-zone-over");
    };
    const cardDrag = event => event.dataTransfer?.types.includes(type);

    document.addEventListener("dragstart", event => {
        const card = event.target.closest?.(".crm-demand-card[draggable='true']");
        if (!card) return;
        event.dataTransfer.setData(type, card.dataset.number);
        event.dataTransfer.setData("text/plain", card.dataset.number);
        event.dataTransfer.effectAllowed = "move";
        card.classList.add("crm-demand-card-dragging");
    });
    document.addEventListener("dragover", event => {
        const zone = cardDrag(event) ? event.target.closest?.(".crm-board-zone") ?? null : null;
        if (zone) {
            event.preventDefault();
            event.dataTransfer.dropEffect = "move";
        }
        mark(zone);
    });
    document.addEventListener("drop", event => {
        if (cardDrag(event) && event.target.closest?.(".crm-board-zone")) event.preventDefault();
        mark(null);
    });
    document.addEventListener("click", event => {
        const button = event.target.closest?.(".crm-demand-move-light > button");
        // A click with no detail came from the keyboard (Enter or space on the focused button).
        button?.dispatchEvent(new CustomEvent("crmcardmenu", { bubbles: true, detail: { keyboard: event.detail === 0 } }));
    });
    document.addEventListener("dragend", event => {
        mark(null);
        event.target.closest?.(".crm-demand-card")?.classList.remove("crm-demand-card-dragging");
    });
})();
