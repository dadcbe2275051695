// The dashboard's per-browser settings (time zone, dark mode) and the browser's own time zone.
window.metaAnomaly = {
    browserTimeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
    load: key => window.localStorage.getItem("metaanomaly." + key),
    save: (key, value) => window.localStorage.setItem("metaanomaly." + key, value),
};
