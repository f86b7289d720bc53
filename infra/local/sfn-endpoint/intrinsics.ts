/**
 * A small parser for ASL intrinsic function expressions (`States.Format('{}', $.a)`), so the endpoint
 * can rewrite the JSONPath arguments inside them before handing a definition to the local executor.
 * It understands exactly the grammar of the States Language spec: calls, single-quoted strings with
 * backslash escapes, paths starting with `$`, and JSON literals (numbers, true, false, null).
 */

export type IntrinsicArg =
  | IntrinsicCall
  | { readonly kind: 'string'; readonly raw: string }
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'literal'; readonly raw: string };

export interface IntrinsicCall {
  readonly kind: 'call';
  readonly name: string;
  readonly args: readonly IntrinsicArg[];
}

export class IntrinsicSyntaxError extends Error {
  override readonly name = 'IntrinsicSyntaxError';
  constructor(
    readonly expression: string,
    readonly offset: number,
    message: string,
  ) {
    super(`${message} at offset ${offset} of ${JSON.stringify(expression)}`);
  }
}

export function isIntrinsicExpression(value: string): boolean {
  return /^\s*States\.[A-Za-z0-9]+\s*\(/.test(value);
}

export function parseIntrinsic(expression: string): IntrinsicCall {
  let at = 0;
  const fail = (message: string): never => {
    throw new IntrinsicSyntaxError(expression, at, message);
  };
  const skipSpace = () => {
    while (at < expression.length && /\s/.test(expression[at]!)) at++;
  };

  function call(): IntrinsicCall {
    const name =
      /^States\.[A-Za-z0-9]+/.exec(expression.slice(at))?.[0] ?? fail('expected a States.* function name');
    at += name.length;
    skipSpace();
    if (expression[at] !== '(') fail(`expected '(' after ${name}`);
    at++;
    const args: IntrinsicArg[] = [];
    skipSpace();
    if (expression[at] === ')') {
      at++;
      return { kind: 'call', name, args };
    }
    for (;;) {
      skipSpace();
      args.push(argument());
      skipSpace();
      const separator = expression[at];
      at++;
      if (separator === ')') return { kind: 'call', name, args };
      if (separator !== ',') fail(`expected ',' or ')' in the arguments of ${name}`);
    }
  }

  function argument(): IntrinsicArg {
    const first = expression[at];
    if (first === "'") return stringLiteral();
    if (first === '$') return { kind: 'path', path: pathOrLiteral() };
    if (expression.startsWith('States.', at)) return call();
    const raw = pathOrLiteral().trim();
    if (raw.length === 0) fail('expected an argument');
    return { kind: 'literal', raw };
  }

  function stringLiteral(): IntrinsicArg {
    const start = at;
    at++;
    while (at < expression.length && expression[at] !== "'") {
      at += expression[at] === '\\' ? 2 : 1;
    }
    if (at >= expression.length) fail('unterminated string');
    at++;
    return { kind: 'string', raw: expression.slice(start, at) };
  }

  /** Reads up to the next top-level ',' or ')', stepping over brackets and quotes inside a path. */
  function pathOrLiteral(): string {
    const start = at;
    let depth = 0;
    while (at < expression.length) {
      const char = expression[at]!;
      if (char === "'" || char === '"') {
        const close = expression.indexOf(char, at + 1);
        if (close < 0) fail('unterminated quote in path');
        at = close + 1;
        continue;
      }
      if (char === '[' || char === '(') depth++;
      else if (char === ']' || (char === ')' && depth > 0)) depth--;
      else if ((char === ',' || char === ')') && depth === 0) break;
      at++;
    }
    return expression.slice(start, at).trimEnd();
  }

  skipSpace();
  const root = call();
  skipSpace();
  if (at !== expression.length) fail('unexpected text after the closing parenthesis');
  return root;
}

export function printIntrinsic(node: IntrinsicArg): string {
  switch (node.kind) {
    case 'call':
      return `${node.name}(${node.args.map(printIntrinsic).join(', ')})`;
    case 'string':
      return node.raw;
    case 'path':
      return node.path;
    case 'literal':
      return node.raw;
  }
}

/** Rebuilds a call bottom-up, letting `rewrite` replace any node (paths, strings, calls). */
export function transformIntrinsic(
  node: IntrinsicArg,
  rewrite: (node: IntrinsicArg) => IntrinsicArg,
): IntrinsicArg {
  if (node.kind !== 'call') return rewrite(node);
  return rewrite({ ...node, args: node.args.map((arg) => transformIntrinsic(arg, rewrite)) });
}

/** Every path argument, at any depth. */
export function intrinsicPaths(node: IntrinsicArg): string[] {
  if (node.kind === 'path') return [node.path];
  if (node.kind === 'call') return node.args.flatMap(intrinsicPaths);
  return [];
}
