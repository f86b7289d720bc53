import { describe, expect, it } from 'vitest';
import { DiagnosticCodes } from '../../shared/aop/index.ts';
import { AUTHENTICATE, compileOne, where } from './support.ts';

/** AOP024: two procedures' `when` or `examples` overlap enough to confuse routing. */

function withExamples(id: string, when: string, examples: readonly string[]): string {
  return [
    '---',
    `id: ${id}`,
    'title: Sample',
    `when: ${when}`,
    'examples:',
    ...examples.map((example) => `  - ${JSON.stringify(example)}`),
    'channels: [chat]',
    'tools: [get_order, cancel_order]',
    '---',
    '',
    '1. Follow @authenticate.',
    '2. End.',
    '',
  ].join('\n');
}

const RETURN = {
  path: 'aops/test/return.md',
  text: withExamples('return-items', 'The customer wants to send delivered items back for a refund.', [
    'I want my money back for the lamp',
    'Send the shoes back please',
  ]),
};

function overlapWarnings(text: string) {
  const result = compileOne(text, { others: [AUTHENTICATE, RETURN] });
  const found = result.diagnostics.filter((d) => d.code === DiagnosticCodes.routingOverlap);
  expect(found.every((d) => d.severity === 'warning')).toBe(true);
  // A warning: the procedure still compiles.
  expect(result.asl).not.toBeNull();
  return found;
}

describe('AOP024 routing overlap', () => {
  it("warns when an example shares most of its words with another procedure's example, pointing at it", () => {
    const text = withExamples('cancel-items', 'The customer wants to cancel an order that has not shipped.', [
      'Cancel it before it ships',
      'I want my money back for the lamp now',
    ]);
    const found = overlapWarnings(text);
    expect(where(found)).toEqual(['AOP024@7:5']);
    // Both phrasings are named, and the other procedure.
    expect(found[0]!.message).toContain('"I want my money back for the lamp now"');
    expect(found[0]!.message).toContain('"I want my money back for the lamp" (return-items)');
  });

  it('warns when two `when` lines say nearly the same thing, pointing at the `when` value', () => {
    const text = withExamples(
      'refund-items',
      'The customer wants to send delivered items back for a refund now.',
      ['Cancel it before it ships'],
    );
    expect(where(overlapWarnings(text))).toEqual(['AOP024@4:7']);
  });

  it('passes when the phrasings say what tells the procedures apart', () => {
    const text = withExamples('cancel-items', 'The customer wants to cancel an order that has not shipped.', [
      'Cancel it before it ships',
      'Stop my pending order, I ordered it by mistake',
    ]);
    expect(overlapWarnings(text)).toEqual([]);
  });

  it('passes for the retail procedures', async () => {
    const { compileProject } = await import('../../shared/aop/index.ts');
    const { catalogue } = await import('../../aops/retail/tenant.ts');
    const { retailSources } = await import('./support.ts');
    const results = compileProject(retailSources(), { catalogue });
    expect(
      where(results.flatMap((r) => r.diagnostics.filter((d) => d.code === DiagnosticCodes.routingOverlap))),
    ).toEqual([]);
  });
});

describe('examples front matter', () => {
  it('keeps each example with its span', () => {
    const result = compileOne(RETURN.text.replace('return-items', 'sample'), { others: [AUTHENTICATE] });
    expect(result.ir.examples?.map((example) => [example.text, example.span.line, example.span.col])).toEqual(
      [
        ['I want my money back for the lamp', 6, 5],
        ['Send the shoes back please', 7, 5],
      ],
    );
  });

  it('fails when examples is not a list of phrasings (AOP018)', () => {
    const text = withExamples('sample', 'The customer wants something.', []).replace(
      'examples:\n',
      'examples: 3\n',
    );
    const result = compileOne(text, { others: [AUTHENTICATE] });
    expect(where(result.diagnostics.filter((d) => d.code === DiagnosticCodes.invalidFrontMatter))).toEqual([
      'AOP018@5:11',
    ]);
  });
});
