// Puts keyboard focus on the first element matching the selector, if there is one (e.g. a card's button after the card moved).
export function focusFirst(selector) {
    document.querySelector(selector)?.focus();
}

// Opens a MudMenu built on demand after the press (a board card's move menu) through its own button, as the press would
// have: a click.
export function openMenu(selector) {
    const button = document.querySelector(selector);
    if (button) {
        button.focus();
        button.click();
    }
}

// The same from the keyboard (focus, Enter: a key down, then a click): MudBlazor then focuses the first item, and the
// arrow keys go on from it.
export function openMenuFromKeyboard(selector) {
    const button = document.querySelector(selector);
    if (button) {
        button.focus();
        button.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true }));
        button.click();
    }
}

// A menu with activator content of its own (the bell): MudMenu opens it on Enter at the activator, with no click.
export function openMenuFromActivatorKey(selector) {
    const activator = document.querySelector(selector);
    if (activator) {
        activator.focus();
        activator.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true }));
    }
}
