// A board's column switcher on a phone (BoardColumnSwitcher.razor): a tap scrolls the strip to the column, and the
// button of the column in view is marked as the current one, whether the reader tapped or swiped.
(() => {
    const stripOf = button => button.closest("nav")?.parentElement?.querySelector(".crm-board-paged .crm-board-columns");

    function mark(strip) {
        const switcher = strip.closest(".crm-board-paged")?.parentElement?.querySelector(".crm-board-switcher");
        if (!switcher) return;
        const left = strip.getBoundingClientRect().left;
        let nearest = null, distance = Infinity;
        for (const column of strip.querySelectorAll(".crm-board-column[data-status]")) {
            const d = Math.abs(column.getBoundingClientRect().left - left);
            if (d < distance) { distance = d; nearest = column.dataset.status; }
        }
        for (const button of switcher.querySelectorAll(".crm-board-switch")) {
            if (button.dataset.column === nearest) button.setAttribute("aria-current", "true");
            else button.removeAttribute("aria-current");
        }
    }

    document.addEventListener("click", event => {
        const button = event.target.closest?.(".crm-board-switch");
        const strip = button && stripOf(button);
        const column = strip?.querySelector(`.crm-board-column[data-status="${button.dataset.column}"]`);
        if (!column) return;
        const offset = column.getBoundingClientRect().left - strip.getBoundingClientRect().left;
        strip.scrollTo({ left: strip.scrollLeft + offset, behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
    });

    let pending = null;
    document.addEventListener("scroll", event => {
        const strip = event.target;
        if (!(strip instanceof Element) || !strip.matches(".crm-board-paged .crm-board-columns")) return;
        cancelAnimationFrame(pending);
        pending = requestAnimationFrame(() => mark(strip));
    }, true);
})();
