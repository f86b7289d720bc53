/** Fills `{fact.path}` placeholders in a reply from the turn's facts. Missing values render as "unknown". */
export function render(text: string, facts: Record<string, unknown>): string {
  return text.replace(/\{([a-zA-Z_][\w.]*)\}/g, (_, path: string) => display(lookup(facts, path.split('.'))));
}

export function lookup(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function display(value: unknown): string {
  if (value === undefined || value === null) return 'unknown';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(display).join(', ');
  const record = value as Record<string, unknown>;
  if (typeof record.name === 'string') return record.name;
  if (typeof record.source === 'string' && typeof record.id === 'string')
    return `${record.source} ${record.id}`;
  // Nested records count too: a map of payment methods or of variants has no scalar of its own.
  const values = Object.values(record).filter(
    (v) => typeof v === 'string' || typeof v === 'number' || (typeof v === 'object' && v !== null),
  );
  const isMap = values.length > 0 && values.every((v) => typeof v === 'object');
  return values.map(display).join(isMap ? ', ' : ' ');
}

/** The `{fact.path}` placeholders of a text whose facts are not known (they would render "unknown"). */
export function missingFacts(text: string, facts: Record<string, unknown>): string[] {
  const missing: string[] = [];
  for (const [, path] of text.matchAll(/\{([a-zA-Z_][\w.]*)\}/g)) {
    const value = lookup(facts, path!.split('.'));
    if (value === undefined || value === null) missing.push(path!);
  }
  return missing;
}
