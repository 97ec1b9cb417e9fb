// Puts keyboard focus on the first element matching the selector, if there is one (e.g. a card's button after the card moved).
export function focusFirst(selector) {
    document.querySelector(selector)?.focus();
}
