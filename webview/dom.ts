// A tiny element builder: the panel builds DOM directly (no framework), because render cost
// per step is what the learner feels. No innerHTML anywhere: every text is a text node, so a
// value a scenario writes into a page ("<img onerror=…>") is only ever text.

export type Child = Node | string | null | undefined | false;

export interface Attributes {
  readonly [name: string]: string | number | boolean | null | undefined;
}

/** `h(doc, 'div', { class: 'row', 'aria-label': 'x' }, 'text', child)`; false/null/undefined attributes are left out. */
export function h<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, attrs?: Attributes, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(doc: Document, tag: string, attrs?: Attributes, ...children: Child[]): HTMLElement;
export function h(doc: Document, tag: string, attrs: Attributes = {}, ...children: Child[]): HTMLElement {
  const el = doc.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: readonly Child[]): void {
  const doc = parent.ownerDocument ?? (parent as Document);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? doc.createTextNode(child) : child);
  }
}

/** Replaces every child of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

const SVG = 'http://www.w3.org/2000/svg';

export function svg(doc: Document, tag: string, attrs: Attributes = {}): SVGElement {
  const el = doc.createElementNS(SVG, tag) as SVGElement;
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    el.setAttribute(name, String(value));
  }
  return el;
}

/** vscode-checkbox keeps `checked` as a property (and reflects it); plain elements (tests) use the attribute. */
export function isChecked(el: HTMLElement): boolean {
  const prop = (el as HTMLElement & { checked?: unknown }).checked;
  return typeof prop === 'boolean' ? prop : el.hasAttribute('checked');
}

export function setChecked(el: HTMLElement, on: boolean): void {
  (el as HTMLElement & { checked?: boolean }).checked = on;
  el.toggleAttribute('checked', on);
}
