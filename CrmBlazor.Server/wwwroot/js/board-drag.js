// The demand board's drag and drop (Features/Demands/DemandBoardColumn.razor) is the browser's own: here a drag of one of
// its cards carries the card's number (Firefox starts no drag without data), a column under the pointer accepts the drop
// (a drop target must refuse dragover's default) and is marked while it would take the card. The drop itself is the
// column's Blazor handler. Drags of anything else (files, text, other boards' items) are left alone.
(() => {
    let dragged = null;
    let marked = null;
    const mark = zone => {
        if (marked === zone) return;
        marked?.classList.remove("crm-board-zone-over");
        marked = zone;
        zone?.classList.add("crm-board-zone-over");
    };

    document.addEventListener("dragstart", event => {
        const card = event.target.closest?.(".crm-demand-card[draggable='true']");
        if (!card) return;
        dragged = card;
        event.dataTransfer.setData("text/plain", card.dataset.number);
        event.dataTransfer.effectAllowed = "move";
        card.classList.add("crm-demand-card-dragging");
    });
    document.addEventListener("dragover", event => {
        if (!dragged) return;
        const zone = event.target.closest?.(".crm-board-zone");
        if (zone) {
            event.preventDefault();
            event.dataTransfer.dropEffect = "move";
        }
        mark(zone ?? null);
    });
    document.addEventListener("drop", () => mark(null));
    document.addEventListener("dragend", () => {
        mark(null);
        dragged?.classList.remove("crm-demand-card-dragging");
        dragged = null;
    });
})();
