// A plain-text editor for sweep documents that shows validation errors at the field: the API names each bad field
// by its path (parameters.lr.min, command[0]); locateField finds the line that holds it, and the editor marks that
// line in the gutter and prints the message at its end.
import { h, fill } from '../dom.js';

/** Path segments of a field: "parameters.lr.values[2]" -> ["parameters", "lr", "values", 2]. */
export function fieldSegments(path) {
  const out = [];
  for (const m of String(path || '').matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  }
  return out;
}

const KEY_LINE = /^(-\s+)?(?:"([^"]*)"|'([^']*)'|([^\s#'"][^:#]*?))\s*:(?:\s|$)/;

/**
 * The 0-based line of a field in a YAML (block style) or JSON document: the deepest segment of the path that can be
 * found. -1 when not even the first segment is there (a missing required field: the document as a whole).
 */
export function locateField(text, path) {
  const lines = text.split('\n');
  const segments = fieldSegments(path);
  if (text.trimStart().startsWith('{')) return locateJson(lines, segments);
  let found = -1;
  let from = 0;
  let to = lines.length;
  let parentIndent = -1;
  for (const segment of segments) {
    let childIndent = null;
    let hit = -1;
    let item = -1;
    for (let i = from; i < to; i++) {
      const line = lines[i];
      if (/^\s*(#.*)?$/.test(line) || /^\s*---/.test(line)) continue;
      const indent = line.match(/^ */)[0].length;
      if (indent <= parentIndent) { to = i; break; }
      if (childIndent === null) childIndent = indent;
      if (indent !== childIndent) continue;
      const rest = line.slice(indent);
      if (typeof segment === 'number') {
        if (rest.startsWith('- ') || rest === '-') {
          item++;
          if (item === segment) { hit = i; break; }
        }
        continue;
      }
      const m = rest.match(KEY_LINE);
      const key = m && (m[2] ?? m[3] ?? m[4]);
      if (key === segment) { hit = i; break; }
    }
    if (hit < 0) break;
    found = hit;
    parentIndent = childIndent;
    from = hit + 1;
    // a list item "- key: v" opens a mapping indented by the dash
    const dash = lines[hit].slice(childIndent).match(/^-\s+/);
    if (dash && typeof segment === 'number') parentIndent = childIndent;
  }
  return found;
}

function locateJson(lines, segments) {
  let found = -1;
  let from = 0;
  for (const segment of segments) {
    if (typeof segment === 'number') continue;
    const needle = JSON.stringify(segment) + ':';
    const needleSpaced = JSON.stringify(segment) + ' :';
    let hit = -1;
    for (let i = from; i < lines.length; i++) {
      if (lines[i].includes(needle) || lines[i].includes(needleSpaced)) { hit = i; break; }
    }
    if (hit < 0) break;
    found = hit;
    from = hit;
  }
  return found;
}

export class YamlEditor {
  constructor({ value = '', placeholder = '' } = {}) {
    this.gutter = h('div.gutter', { 'aria-hidden': 'true' });
    this.backdrop = h('div.backdrop', { 'aria-hidden': 'true' });
    this.textarea = h('textarea', { spellcheck: 'false', placeholder, 'aria-label': 'Sweep document (YAML or JSON)',
      name: 'sweep', wrap: 'off' });
    this.textarea.value = value;
    this.errors = []; // [{line, field, message}]
    this.el = h('div.editor', this.gutter, h('div.body', this.backdrop, this.textarea));
    this.textarea.addEventListener('input', () => { this.errors = []; this.paint(); });
    this.textarea.addEventListener('scroll', () => this.syncScroll());
    this.textarea.addEventListener('keydown', e => {
      if (e.key === 'Tab') {
        e.preventDefault();
        this.textarea.setRangeText('  ', this.textarea.selectionStart, this.textarea.selectionEnd, 'end');
        this.textarea.dispatchEvent(new Event('input'));
      }
    });
    this.paint();
  }

  get value() {
    return this.textarea.value;
  }

  set value(text) {
    this.textarea.value = text;
    this.errors = [];
    this.paint();
  }

  /** Marks the lines of the given field errors ({field, message}); returns them with their 0-based line. */
  showErrors(fieldErrors) {
    const text = this.value;
    this.errors = fieldErrors.map(e => ({ ...e, line: Math.max(0, locateField(text, e.field)) }));
    this.paint();
    return this.errors;
  }

  /** Marks one line (0-based) with a message, e.g. where the YAML parser gave up. */
  showLineError(line, message) {
    this.errors = [{ line, field: null, message }];
    this.paint();
    return this.errors;
  }

  /** Brings a line (0-based) into view without moving the caret: the first error after a refused submit. */
  scrollToLine(line) {
    this.textarea.scrollTop = Math.max(0, line * 20 - 100);
    this.syncScroll();
    this.textarea.scrollIntoView({ block: 'nearest' });
  }

  focusLine(line) {
    const lines = this.value.split('\n');
    const start = lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0);
    this.textarea.focus();
    this.textarea.setSelectionRange(start, start + (lines[line] || '').length);
    this.textarea.scrollTop = Math.max(0, line * 20 - 100);
    this.syncScroll();
  }

  paint() {
    const lines = this.value.split('\n');
    const byLine = new Map();
    for (const e of this.errors) {
      if (!byLine.has(e.line)) byLine.set(e.line, []);
      byLine.get(e.line).push(e);
    }
    fill(this.gutter, lines.map((_, i) => h('div' + (byLine.has(i) ? '.error' : ''),
      { title: byLine.has(i) ? byLine.get(i).map(e => e.message).join('\n') : null }, String(i + 1))));
    fill(this.backdrop, lines.map((line, i) => {
      const errs = byLine.get(i);
      return h('div' + (errs ? '.error' : ''), { dataset: { line: i + 1 } },
        line || ' ',
        errs ? h('span.inline-error', { style: { '--cols': line.replace(/\t/g, '  ').length }, dataset: {
          field: errs.map(e => e.field || '').join(' ') } },
        '⟵ ' + errs.map(e => (e.field ? e.field + ': ' : '') + e.message).join('; ')) : null);
    }));
    this.syncScroll();
  }

  syncScroll() {
    this.backdrop.scrollTop = this.textarea.scrollTop;
    this.backdrop.scrollLeft = this.textarea.scrollLeft;
    this.gutter.scrollTop = this.textarea.scrollTop;
  }
}
