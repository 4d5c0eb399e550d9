// The page skeleton every webview of CoW Lab is served in (the panel, the comparison table, the
// "Measure on My Machine" chart): a doctype, a Content-Security-Policy meta element, the title,
// then the page's own head and body. Pure string building, no `vscode`.

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A policy made safe for a double-quoted attribute; its single quotes stay as they are, readable. */
function escapePolicy(policy: string): string {
  return policy.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface WebviewPage {
  /** The Content-Security-Policy, as the meta element's content (escaped here). */
  readonly csp: string;
  /** Plain text (escaped here). */
  readonly title: string;
  /** HTML after the policy and before the title: stylesheets, a style element. */
  readonly head?: string;
  /** HTML of the body. */
  readonly body: string;
}

export function webviewPage(page: WebviewPage): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapePolicy(page.csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${page.head ? `${page.head}\n` : ''}<title>${escapeHtml(page.title)}</title>
</head>
<body>
${page.body}
</body>
</html>`;
}
