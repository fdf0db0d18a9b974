// Building the page: every value is set as text (textContent, attributes), never parsed as HTML.

/** h('p', {class: 'note'}, 'text', child): an element with attributes, listeners (onclick...) and children. */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'value') el.value = value;
    else if (key === 'checked') el.checked = Boolean(value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

/** Appends children: nodes as they are, anything else as a text node. */
export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

let ids = 0;
/** A fresh id for label/description links. */
export const uid = (prefix) => `${prefix}-${++ids}`;

/** A date and time in the person's own locale and time zone, or an empty string. */
export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** A <time> element showing `when(iso)` with the exact value as its datetime. */
export const time = (iso) => (iso ? h('time', { datetime: iso }, when(iso)) : '');
