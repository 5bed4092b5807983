// Where a browser keeps its language choice (localStorage): read by the app (index.ts) and by the wall's
// preload script, which asks for the charts in the screen's language before the app has run.
export const LOCALE_KEY = 'uc.locale';
