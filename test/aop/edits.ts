/** The random edits the fuzz test applies to a procedure's text, kept apart so a failure can be replayed. */

export type Edit =
  | { kind: 'delete-line'; at: number }
  | { kind: 'duplicate-line'; at: number }
  | { kind: 'swap-lines'; at: number; with: number }
  | { kind: 'insert-word'; at: number; word: string }
  | { kind: 'insert-chars'; at: number; chars: string }
  | { kind: 'change-number'; at: number; value: number }
  | { kind: 'drop-char'; char: '"' | '@' | '{' | '}' | '`' | '(' | ')'; at: number }
  | { kind: 'truncate'; at: number }
  | {
      kind: 'front-matter';
      how: 'drop-open' | 'drop-close' | 'blank-value' | 'garbage' | 'drop-field';
      at: number;
    };

export function applyEdit(text: string, edit: Edit): string {
  const lines = text.split('\n');
  const line = (at: number) => at % Math.max(1, lines.length);
  switch (edit.kind) {
    case 'delete-line':
      lines.splice(line(edit.at), 1);
      return lines.join('\n');
    case 'duplicate-line':
      lines.splice(line(edit.at), 0, lines[line(edit.at)] ?? '');
      return lines.join('\n');
    case 'swap-lines': {
      const a = line(edit.at);
      const b = line(edit.with);
      [lines[a], lines[b]] = [lines[b] ?? '', lines[a] ?? ''];
      return lines.join('\n');
    }
    case 'insert-word': {
      const at = edit.at % (text.length + 1);
      return `${text.slice(0, at)} ${edit.word} ${text.slice(at)}`;
    }
    case 'insert-chars': {
      const at = edit.at % (text.length + 1);
      return text.slice(0, at) + edit.chars + text.slice(at);
    }
    case 'change-number': {
      const numbers = [...text.matchAll(/\d+/g)];
      const match = numbers[edit.at % Math.max(1, numbers.length)];
      if (!match) return text;
      return text.slice(0, match.index) + String(edit.value) + text.slice(match.index + match[0].length);
    }
    case 'drop-char': {
      const indexes = [...text].flatMap((char, index) => (char === edit.char ? [index] : []));
      const at = indexes[edit.at % Math.max(1, indexes.length)];
      return at === undefined ? text : text.slice(0, at) + text.slice(at + 1);
    }
    case 'truncate':
      return text.slice(0, edit.at % (text.length + 1));
    case 'front-matter': {
      const close = lines.indexOf('---', 1);
      const field = 1 + (edit.at % Math.max(1, close - 1));
      if (edit.how === 'drop-open') lines.splice(0, 1);
      else if (edit.how === 'drop-close' && close > 0) lines.splice(close, 1);
      else if (edit.how === 'blank-value' && close > 1)
        lines[field] = `${(lines[field] ?? '').split(':')[0]}:`;
      else if (edit.how === 'garbage' && close > 1)
        lines.splice(field, 0, ['  : [', 'tools: {', 'id: [a, b]', '- x', 'when: "'][edit.at % 5]!);
      else if (edit.how === 'drop-field' && close > 1) lines.splice(field, 1);
      return lines.join('\n');
    }
  }
}
