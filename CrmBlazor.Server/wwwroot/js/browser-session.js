// The tab's sessionStorage, for what must outlive the circuit (a draft, a note for the next page load).
// Storage can be switched off or full: then nothing is kept, and nothing fails.
export function read(key) {
    try {
        return sessionStorage.getItem(key);
    } catch {
        return null;
    }
}

export function write(key, value) {
    try {
        sessionStorage.setItem(key, value);
    } catch {
        // Nothing kept: the page works as it did without drafts.
    }
}

export function remove(key) {
    try {
        sessionStorage.removeItem(key);
    } catch {
        // Nothing to remove.
    }
}

export function take(key) {
    const value = read(key);
    remove(key);
    return value;
}
