// The light or dark theme the user chose, kept in a cookie for a year so the next page load renders in it at once.
export function remember(dark) {
    document.cookie = `crm-theme=${dark ? "dark" : "light"}; path=/; max-age=31536000; samesite=lax`;
}
