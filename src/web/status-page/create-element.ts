type Child = Node | string | number | null | undefined | false;

/**
 * Creates an element with attributes and children. Text goes in as text nodes, never as HTML, so
 * nothing a model name or an error message contains can become markup.
 */
export function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string | number | boolean | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  setAttributes(node, attributes);
  appendChildren(node, children);
  return node;
}

const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';

/** The SVG counterpart of {@link element}. */
export function svgElement<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number | boolean | undefined> = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NAMESPACE, tag);
  setAttributes(node, attributes);
  appendChildren(node, children);
  return node;
}

function setAttributes(node: Element, attributes: Record<string, string | number | boolean | undefined>): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
}

function appendChildren(node: Element, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'number' ? String(child) : child);
  }
}

/** A table with a caption and a header row of column headings; `rows` are its body rows. */
export function table(caption: string, headings: string[], rows: HTMLTableRowElement[], emptyText: string): HTMLElement {
  const head = element('thead', {}, element('tr', {}, ...headings.map((heading) => element('th', { scope: 'col' }, heading))));
  const body = element('tbody', {}, ...rows);
  if (rows.length === 0) body.append(element('tr', {}, element('td', { colspan: headings.length, class: 'empty' }, emptyText)));
  // The wrapper scrolls sideways on a narrow phone instead of squeezing the columns.
  return element('div', { class: 'table-scroll' }, element('table', {}, element('caption', {}, caption), head, body));
}
