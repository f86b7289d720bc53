import { pythonFloatRepr, pythonRound2 } from './python-compat.ts';

/**
 * τ²'s `calculate` runs Python's `eval` on an expression limited to digits, `+-*()/.` and spaces,
 * then returns `str(round(float(result), 2))`. This is a parser for exactly that subset of Python's
 * grammar (so `**` and `//` work, as they do in τ²), evaluated with Python's number semantics:
 * integers are exact (BigInt) and only become floats where Python converts them. Nothing is ever
 * passed to a JavaScript `eval`.
 */

/** A refusal with Python's exception text (τ² shows the agent `Error: <text>`). */
export class CalculationError extends Error {
  override readonly name = 'CalculationError';
}

const ALLOWED = /^[0-9+\-*/(). ]*$/;

export function calculate(expression: string): string {
  if (!ALLOWED.test(expression)) throw new CalculationError('Invalid characters in expression');
  const tree = parse(tokenize(expression));
  const result = toFloat(evaluate(tree));
  return pythonFloatRepr(pythonRound2(result));
}

type Token =
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'op'; readonly text: string };

type Node =
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'unary'; readonly op: '+' | '-'; readonly operand: Node }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Node; readonly right: Node };

type BinaryOp = '+' | '-' | '*' | '/' | '//' | '**';

type Value =
  | { readonly kind: 'int'; readonly value: bigint }
  | { readonly kind: 'float'; readonly value: number };

function syntaxError(message = 'invalid syntax'): CalculationError {
  return new CalculationError(`${message} (<string>, line 1)`);
}

const NUMBER = /\d+\.\d*|\.\d+|\d+/y;
const OPERATORS = ['**', '//', '+', '-', '*', '/', '(', ')', '.'] as const;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    if (source[at] === ' ') {
      at++;
      continue;
    }
    NUMBER.lastIndex = at;
    const number = NUMBER.exec(source);
    if (number) {
      const text = number[0];
      if (/^0+[1-9]\d*$/.test(text)) {
        throw syntaxError(
          'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers',
        );
      }
      tokens.push({ kind: 'number', text });
      at += text.length;
      continue;
    }
    const op = OPERATORS.find((candidate) => source.startsWith(candidate, at));
    if (!op) throw syntaxError();
    tokens.push({ kind: 'op', text: op });
    at += op.length;
  }
  return tokens;
}

/** Python's grammar for this subset: sum > term > unary factor > power (right-associative) > atom. */
function parse(tokens: readonly Token[]): Node {
  let at = 0;
  const peek = (): Token | undefined => tokens[at];
  const isOp = (text: string): boolean => {
    const token = peek();
    return token?.kind === 'op' && token.text === text;
  };

  function sum(): Node {
    let node = term();
    for (
      let token = peek();
      token?.kind === 'op' && (token.text === '+' || token.text === '-');
      token = peek()
    ) {
      at++;
      node = { kind: 'binary', op: token.text, left: node, right: term() };
    }
    return node;
  }
  function term(): Node {
    let node = factor();
    for (
      let token = peek();
      token?.kind === 'op' && (token.text === '*' || token.text === '/' || token.text === '//');
      token = peek()
    ) {
      at++;
      node = { kind: 'binary', op: token.text, left: node, right: factor() };
    }
    return node;
  }
  function factor(): Node {
    const token = peek();
    if (token?.kind === 'op' && (token.text === '+' || token.text === '-')) {
      at++;
      return { kind: 'unary', op: token.text, operand: factor() };
    }
    return power();
  }
  function power(): Node {
    const base = atom();
    if (!isOp('**')) return base;
    at++;
    return { kind: 'binary', op: '**', left: base, right: factor() };
  }
  function atom(): Node {
    const token = peek();
    if (token?.kind === 'number') {
      at++;
      return { kind: 'number', text: token.text };
    }
    if (token?.kind === 'op' && token.text === '(') {
      at++;
      if (isOp(')'))
        throw new CalculationError("float() argument must be a string or a real number, not 'tuple'");
      const inner = sum();
      if (!isOp(')')) throw peek() === undefined ? syntaxError("'(' was never closed") : syntaxError();
      at++;
      return inner;
    }
    if (token?.kind === 'op' && token.text === ')') throw syntaxError("unmatched ')'");
    throw syntaxError();
  }

  const tree = sum();
  const rest = peek();
  if (rest !== undefined)
    throw rest.kind === 'op' && rest.text === ')' ? syntaxError("unmatched ')'") : syntaxError();
  return tree;
}

/** Python refuses to build integers it could never turn back into a float; so do we, earlier. */
const MAX_INT_BITS = 100_000;

function evaluate(node: Node): Value {
  switch (node.kind) {
    case 'number':
      return /[.]/.test(node.text)
        ? { kind: 'float', value: Number(node.text) }
        : { kind: 'int', value: BigInt(node.text) };
    case 'unary': {
      const operand = evaluate(node.operand);
      if (node.op === '+') return operand;
      return operand.kind === 'int'
        ? { kind: 'int', value: -operand.value }
        : { kind: 'float', value: -operand.value };
    }
    case 'binary':
      return applyBinary(node.op, evaluate(node.left), evaluate(node.right));
  }
}

function toFloat(value: Value): number {
  if (value.kind === 'float') return value.value;
  const converted = Number(value.value);
  if (!Number.isFinite(converted)) throw new CalculationError('int too large to convert to float');
  return converted;
}

function applyBinary(op: BinaryOp, left: Value, right: Value): Value {
  if (left.kind === 'int' && right.kind === 'int') return applyIntegers(op, left.value, right.value);
  const a = toFloat(left);
  const b = toFloat(right);
  switch (op) {
    case '+':
      return { kind: 'float', value: a + b };
    case '-':
      return { kind: 'float', value: a - b };
    case '*':
      return { kind: 'float', value: a * b };
    case '/':
      if (b === 0) throw new CalculationError('float division by zero');
      return { kind: 'float', value: a / b };
    case '//':
      if (b === 0) throw new CalculationError('float floor division by zero');
      return { kind: 'float', value: floatFloorDivide(a, b) };
    case '**':
      return { kind: 'float', value: floatPower(a, b) };
  }
}

function applyIntegers(op: BinaryOp, a: bigint, b: bigint): Value {
  switch (op) {
    case '+':
      return { kind: 'int', value: a + b };
    case '-':
      return { kind: 'int', value: a - b };
    case '*':
      return { kind: 'int', value: a * b };
    case '/':
      if (b === 0n) throw new CalculationError('division by zero');
      return {
        kind: 'float',
        value: toFloat({ kind: 'int', value: a }) / toFloat({ kind: 'int', value: b }),
      };
    case '//': {
      if (b === 0n) throw new CalculationError('integer division or modulo by zero');
      const quotient = a / b;
      return { kind: 'int', value: a % b !== 0n && a < 0n !== b < 0n ? quotient - 1n : quotient };
    }
    case '**': {
      if (b < 0n) return { kind: 'float', value: floatPower(toFloat({ kind: 'int', value: a }), Number(b)) };
      const bits = a === 0n || a === 1n || a === -1n ? 1 : a.toString(2).length * Number(b);
      if (bits > MAX_INT_BITS) throw new CalculationError('int too large to convert to float');
      return { kind: 'int', value: a ** b };
    }
  }
}

/** CPython's float floor division (Objects/floatobject.c), which `Math.floor(a / b)` does not match. */
function floatFloorDivide(a: number, b: number): number {
  let mod = a % b;
  let div = (a - mod) / b;
  if (mod) {
    if (b < 0 !== mod < 0) {
      mod += b;
      div -= 1;
    }
  }
  if (div) {
    let floor = Math.floor(div);
    if (div - floor > 0.5) floor += 1;
    return floor;
  }
  return Object.is(a / b, -0) || a / b < 0 ? -0 : 0;
}

function floatPower(a: number, b: number): number {
  if (b === 0 || a === 1) return 1;
  if (a === 0 && b < 0) throw new CalculationError('0.0 cannot be raised to a negative power');
  if (a < 0 && Number.isFinite(b) && !Number.isInteger(b)) {
    // Python returns a complex number here, which float() then rejects.
    throw new CalculationError("float() argument must be a string or a real number, not 'complex'");
  }
  const result = a ** b;
  if (!Number.isFinite(result) && Number.isFinite(a) && Number.isFinite(b)) {
    throw new CalculationError("(34, 'Numerical result out of range')");
  }
  return result;
}
