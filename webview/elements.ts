// The @vscode-elements/elements components the panel uses, registered as custom elements.
// Imported one by one (not the whole library) to keep dist/webview.js small.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
