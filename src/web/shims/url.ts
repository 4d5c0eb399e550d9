// The browser build's `url` module: @vscode/debugadapter imports `URL` from Node's `url`, and the
// browser (web worker) has the same WHATWG URL class as a global. scripts/build.mjs maps `url`
// here for the browser bundle only.
export const URL = globalThis.URL;
