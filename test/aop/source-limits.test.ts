import { describe, expect, it } from 'vitest';
import { catalogue } from '../../aops/retail/tenant.ts';
import { compileProject } from '../../shared/aop/index.ts';
import { SOURCE_LIMITS } from '../../shared/aop/limits.ts';

/** Hostile or broken sources get AOP026 with the line, fast, and never crash the compiler. */

const FRONT = [
  '---',
  'id: limits',
  'title: Limits',
  'when: The customer asks about an order.',
  'channels: [chat]',
  'tools: [get_order_details]',
  '---',
  '',
].join('\n');
const FRONT_LINES = FRONT.split('\n').length - 1;

function compile(body: string) {
  const started = performance.now();
  const [result] = compileProject([{ path: 'aops/x/limits.md', text: `${FRONT}${body}` }], { catalogue });
  return { result: result!, ms: performance.now() - started };
}

const codes = (body: string) =>
  compile(body).result.diagnostics.map((d) => `${d.code}@${d.span.line}:${d.span.col}`);

describe('source limits (AOP026)', () => {
  it('passes a procedure within the limits', () => {
    const { result } = compile('1. Tell the customer: "Hello." Then end.\n');
    expect(result.diagnostics.filter((d) => d.code === 'AOP026')).toEqual([]);
    expect(result.asl).not.toBeNull();
  });

  it('refuses a 1 MB line at its line instead of overflowing the parser', () => {
    const { result, ms } = compile(`1. Tell the customer: "${'a'.repeat(1_000_000)}". Then end.\n`);
    expect(result.diagnostics.map((d) => `${d.code}@${d.span.line}:${d.span.col}`)).toEqual([
      'AOP026@1:1',
      `AOP026@${FRONT_LINES + 1}:1`,
    ]);
    expect(result.diagnostics[1]!.message).toContain(`at most ${SOURCE_LIMITS.maxLineChars}`);
    expect(result.diagnostics[1]!.hint).toBeDefined();
    expect(result.asl).toBeNull();
    expect(ms).toBeLessThan(5_000);
  });

  it('refuses a line just over the limit, and takes one at the limit', () => {
    const line = (n: number) => `1. Tell the customer: "${'a'.repeat(n)}". Then end.\n`;
    const overhead = line(0).length - 1;
    expect(codes(line(SOURCE_LIMITS.maxLineChars - overhead))).not.toContain(`AOP026@${FRONT_LINES + 1}:1`);
    expect(codes(line(SOURCE_LIMITS.maxLineChars - overhead + 1))).toContain(`AOP026@${FRONT_LINES + 1}:1`);
  });

  it('refuses bullets nested deeper than the limit, at the first such line', () => {
    const bullets = Array.from(
      { length: 1000 },
      (_, depth) => `${'  '.repeat(depth + 1)}- If the order status is "pending", tell the customer: "x".`,
    );
    const body = `1. Look up the order with @get_order_details.\n${bullets.join('\n')}\n2. Tell the customer: "b". Then end.\n`;
    const deep = FRONT_LINES + 2 + SOURCE_LIMITS.maxDepth;
    expect(codes(body)).toContain(`AOP026@${deep}:1`);
  });

  it('refuses more steps than the limit, fast', () => {
    const steps = Array.from({ length: 10_000 }, (_, i) => `${i + 1}. Tell the customer: "s${i}".`);
    const { result, ms } = compile(`${steps.join('\n')}\n`);
    expect(result.diagnostics.some((d) => d.code === 'AOP026' && d.message.includes('10000 steps'))).toBe(
      true,
    );
    expect(ms).toBeLessThan(5_000);
  });
});
