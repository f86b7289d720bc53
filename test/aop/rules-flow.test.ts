import { describe, expect, it } from 'vitest';
import { DiagnosticCodes, LIMITS } from '../../shared/aop/index.ts';
import type { AslDefinition } from '../../shared/aop/lower.ts';
import { graphChecks, selfCheck } from '../../shared/aop/self-check.ts';
import { CANCEL, failing, passing } from './rules-support.ts';
import { AUTHENTICATE, compileOne, FILE, lines, procedure, where } from './support.ts';

/** Rules about the flow (AOP011–AOP016, AOP020), front matter, values and limits (AOP017–AOP019, AOP021). */
describe('validation rules: flow, front matter and limits', () => {
  describe('AOP011 unreachable step', () => {
    it('fails on a step no path reaches, pointing at the step', () => {
      const text = procedure(['1. Follow @authenticate.', '2. End.', '3. Tell the customer "Bye."'], {
        tools: [],
      });
      expect(failing(text, DiagnosticCodes.unreachableStep)).toEqual(['AOP011@11:1']);
    });
    it('fails on a bullet under a step that already ended, pointing at the bullet', () => {
      const text = procedure(
        [
          '1. Follow @authenticate.',
          '2. Ask for the order id.',
          '3. Look up the order with @get_order.',
          '4. Tell the customer "It is {order.status}." Then end.',
          '   - If the order was not found, say "Not found." Then end.',
        ],
        { tools: ['get_order'] },
      );
      expect(failing(text, DiagnosticCodes.unreachableStep)).toEqual(['AOP011@13:6']);
    });
    it('fails on an action after a jump in the same step, pointing at that action', () => {
      const text = procedure(
        [
          '1. Follow @authenticate.',
          '2. Ask for the order id.',
          '3. Go back to step 2 (at most 2 times), then say "Bye."',
          '4. End.',
        ],
        { tools: ['get_order'] },
      );
      expect(failing(text, DiagnosticCodes.unreachableStep)).toEqual(['AOP011@11:46', 'AOP011@12:1']);
    });
    it('passes when the ending comes last', () => {
      passing(
        procedure(['1. Follow @authenticate.', '2. Tell the customer "Bye."', '3. End.'], { tools: [] }),
      );
    });
  });

  describe('AOP012 path without end', () => {
    it('fails when the last step does not end, pointing at its last action', () => {
      const text = procedure(['1. Follow @authenticate.', '2. Tell the customer "Bye."'], { tools: [] });
      expect(failing(text, DiagnosticCodes.pathWithoutEnd)).toEqual(['AOP012@10:4']);
    });
    it('passes with an explicit end', () => {
      passing(
        procedure(['1. Follow @authenticate.', '2. Tell the customer "Bye." Then end.'], { tools: [] }),
      );
    });
  });

  describe('AOP013 unbounded loop', () => {
    const body = (limit: string) => [
      '1. Follow @authenticate.',
      '2. Ask for the order id.',
      '3. Look up the order with @get_order.',
      `   - If the order was not found, go back to step 2${limit}.`,
      '4. End.',
    ];
    it('fails on a jump back without a limit, pointing at the "go back" clause', () => {
      expect(failing(procedure(body('')), DiagnosticCodes.unboundedLoop)).toEqual(['AOP013@12:34']);
    });
    it('passes with "(at most N times)"', () => {
      passing(procedure(body(' (at most 2 times)')));
    });
    it('passes when a step is entered only by jumping back to it', () => {
      passing(
        procedure([
          '1. Follow @authenticate.',
          '2. Jump to step 4.',
          '3. {#ask-reason} Ask for the reason.',
          '4. {#check} If the reason was not found, go back to step 3 (at most 2 times).',
          '5. End.',
        ]),
      );
    });
  });

  describe('AOP014 duplicate step id', () => {
    it('fails on two explicit ids that are the same, pointing at the second step', () => {
      const text = procedure(['1. {#hello} Follow @authenticate.', '2. {#hello} End.'], { tools: [] });
      expect(failing(text, DiagnosticCodes.duplicateStepId)).toEqual(['AOP014@10:1']);
    });
    it('fails on two steps whose words slug to the same id', () => {
      const text = procedure(
        ['1. Follow @authenticate.', '2. Tell the customer "One."', '3. Tell the customer "Two."', '4. End.'],
        { tools: [] },
      );
      expect(failing(text, DiagnosticCodes.duplicateStepId)).toEqual(['AOP014@11:1']);
    });
    it('passes with distinct ids', () => {
      passing(
        procedure(
          [
            '1. Follow @authenticate.',
            '2. {#one} Tell the customer "One."',
            '3. {#two} Tell the customer "Two."',
            '4. End.',
          ],
          { tools: [] },
        ),
      );
    });
  });

  describe('AOP015 unknown sub-procedure', () => {
    it('fails when "Follow @x" names no procedure, pointing at @x', () => {
      const text = procedure(['1. Follow @authenticate-me.', '2. End.'], { tools: [] });
      expect(failing(text, DiagnosticCodes.unknownSubprocedure)).toEqual(['AOP015@9:11']);
    });
    it('passes when it names one', () => {
      passing(procedure(['1. Follow @authenticate.', '2. End.'], { tools: [] }));
    });
  });

  describe('AOP016 recursive sub-procedure', () => {
    const loopB = (step: string) => ({
      path: 'aops/test/loop-b.md',
      text: lines('---', 'id: loop-b', 'title: B', 'kind: subprocedure', 'tools: []', '---', '', step),
    });
    const text = procedure(['1. Follow @authenticate.', '2. Follow @loop-b.', '3. End.'], { tools: [] });
    it('fails when following a sub-procedure leads back to this one, pointing at @x', () => {
      expect(
        failing(text, DiagnosticCodes.recursiveSubprocedure, [AUTHENTICATE, loopB('1. Follow @sample.')]),
      ).toEqual(['AOP016@10:11']);
    });
    it('passes when the chain ends', () => {
      passing(text, [AUTHENTICATE, loopB('1. Say "In B."')]);
    });
  });

  describe('AOP017 over limits', () => {
    it('fails when a state name exceeds 80 characters, pointing at the front matter', () => {
      const text = procedure(['1. Follow @authenticate.', `2. {#${'x'.repeat(90)}} End.`], { tools: [] });
      const codes = failing(text, DiagnosticCodes.overLimits);
      expect(codes.length).toBeGreaterThan(0);
      expect(new Set(codes)).toEqual(new Set(['AOP017@1:1']));
    });
    it('passes with a short explicit id', () => {
      passing(procedure(['1. Follow @authenticate.', `2. {#${'x'.repeat(20)}} End.`], { tools: [] }));
    });
    it('fails on the generated ASL when it exceeds the state or size limits given to selfCheck', () => {
      const { asl, ir } = compileOne(procedure(CANCEL));
      expect(asl).not.toBeNull();
      const span = { ...ir.span };
      expect(where(selfCheck(asl!, span))).toEqual([]);
      expect(where(selfCheck(asl!, span, { states: 10 }))).toEqual(['AOP017@1:1']);
      expect(where(selfCheck(asl!, span, { definitionBytes: 1_000 }))).toEqual(['AOP017@1:1']);
    });
    it('fails on a generated procedure with more states than the platform allows', () => {
      const steps = Array.from(
        { length: LIMITS.states / 2 },
        (_, i) => `${i + 1}. {#s${i + 1}} Tell the customer "Line ${i + 1}."`,
      );
      const result = compileOne(procedure([...steps, `${steps.length + 1}. End.`], { tools: [] }));
      expect(where(result.diagnostics)).toEqual(['AOP017@1:1']);
      expect(result.asl).toBeNull();
    });
  });

  describe('AOP018 invalid front matter', () => {
    const cases: [string, string, string[]][] = [
      ['no front matter', lines('1. End.'), ['AOP018@1:1']],
      ['an unclosed front matter', lines('---', 'id: sample', '1. End.'), ['AOP018@1:1']],
      [
        'invalid YAML, pointing at the value that is not closed',
        lines('---', 'id: sample', 'title: [oops', 'when: W', '---', '1. End.'),
        ['AOP018@3:8'],
      ],
      [
        'step lines pasted into the front matter, once per line, where it starts',
        lines(
          '---',
          '   - If it fails, say "No." Then end.',
          '1. Follow @authenticate.',
          'when: W',
          '---',
          '1. End.',
        ),
        ['AOP018@2:4', 'AOP018@3:1'],
      ],
      ['a front matter that is not a map', lines('---', 'just text', '---', '1. End.'), ['AOP018@2:1']],
      [
        'an unknown field, pointing at its key',
        lines('---', 'id: sample', 'title: T', 'when: W', 'owner: me', '---', '1. End.'),
        ['AOP018@5:1'],
      ],
      [
        'an id that is not lowercase-with-dashes',
        lines('---', 'id: Sample_1', 'title: T', 'when: W', '---', '1. End.'),
        ['AOP018@2:5'],
      ],
      [
        'a missing "when", pointing at the front matter',
        lines('---', 'id: sample', 'title: T', '---', '1. End.'),
        ['AOP018@1:1'],
      ],
      [
        '"tools" that is not a list',
        lines('---', 'id: sample', 'title: T', 'when: W', 'tools: get_order', '---', '1. End.'),
        ['AOP018@5:8'],
      ],
      [
        'an unknown kind',
        lines('---', 'id: sample', 'title: T', 'when: W', 'kind: flow', '---', '1. End.'),
        ['AOP018@5:7'],
      ],
    ];
    for (const [name, text, expected] of cases) {
      it(`fails on ${name}`, () => {
        expect(new Set(failing(text, DiagnosticCodes.invalidFrontMatter))).toEqual(new Set(expected));
      });
    }
    describe('one malformed line is one AOP018 at that line, and nothing follows from it', () => {
      const body = [
        '1. Follow @authenticate.',
        '2. Ask for the order id.',
        '3. Look up the order with @get_order.',
        '4. Tell the customer "Your order is {order.status}." Then end.',
      ];
      const file = (when: string, channels: string, tools: string) =>
        lines('---', 'id: sample', 'title: Sample', when, channels, tools, '---', '', ...body);
      const good = ['when: The customer wants something.', 'channels: [chat]', 'tools: [get_order]'] as const;
      const broken: [string, string, string, string][] = [
        ['a field without its colon', 'when The customer wants something.', good[1], good[2]],
        ['an unclosed list', good[0], 'channels: [chat', good[2]],
        ['an unclosed tools list', good[0], good[1], 'tools: [get_order'],
        ['a tools line without its colon', good[0], good[1], 'tools [get_order]'],
      ];
      const at = ['AOP018@4:1', 'AOP018@5:11', 'AOP018@6:8', 'AOP018@6:1'];
      for (const [index, [name, when, channels, tools]] of broken.entries()) {
        it(`fails on ${name} with that one diagnostic`, () => {
          const result = compileOne(file(when, channels, tools));
          expect(where(result.diagnostics)).toEqual([at[index]]);
          expect(result.asl).toBeNull();
        });
      }
      it('passes once the line is mended', () => {
        passing(file(...good));
      });
    });
    it('passes with id, title, when, channels and tools; a sub-procedure needs no "when"', () => {
      passing(
        lines(
          '---',
          'id: sample',
          'title: T',
          'when: W',
          'channels: [chat, voice]',
          'tools: []',
          '---',
          '1. End.',
        ),
      );
      passing(lines('---', 'id: sample', 'title: T', 'kind: subprocedure', '---', '1. Say "hi".'));
    });
  });

  describe('AOP019 value not allowed', () => {
    it('fails when "It must be …" lists a value the parameter cannot take, pointing at that sentence', () => {
      const text = procedure([
        '1. Follow @authenticate.',
        '2. Ask for the reason. It must be "no longer needed" or "changed my mind".',
        '3. End.',
      ]);
      expect(failing(text, DiagnosticCodes.valueNotAllowed)).toEqual(['AOP019@10:24']);
    });
    it('fails when a condition compares a fact with a value outside its enum, pointing at the fact', () => {
      const text = procedure([
        '1. Follow @authenticate.',
        '2. Ask for the order id.',
        '3. Look up the order with @get_order.',
        '4. If the order status is "lost", end.',
        '5. If the order status is one of "pending" or "returned", end.',
        '6. End.',
      ]);
      expect(failing(text, DiagnosticCodes.valueNotAllowed)).toEqual(['AOP019@12:7', 'AOP019@13:7']);
    });
    it('passes with values from the enum', () => {
      passing(procedure(CANCEL));
      passing(
        procedure([
          '1. Follow @authenticate.',
          '2. Ask for the order id.',
          '3. Look up the order with @get_order.',
          '4. If the order status is one of "pending" or "shipped", end.',
          '5. End.',
        ]),
      );
    });
  });

  describe('AOP020 unknown step', () => {
    const body = (target: string) => [
      '1. {#ask} Ask for the order id.',
      '2. Follow @authenticate.',
      '3. Look up the order with @get_order.',
      `   - If the order was not found, go back to step ${target} (at most 2 times).`,
      '4. End.',
    ];
    it('fails when "go back to step N" names no step, pointing at the clause', () => {
      expect(failing(procedure(body('7')), DiagnosticCodes.unknownStep)).toEqual(['AOP020@12:34']);
      expect(failing(procedure(body('asking')), DiagnosticCodes.unknownStep)).toEqual(['AOP020@12:34']);
    });
    it('passes when it names a step by number or by id', () => {
      passing(procedure(body('1')));
      passing(procedure(body('ask')));
    });
  });

  describe('AOP021 invalid definition', () => {
    const span = { file: FILE, line: 1, col: 1, endLine: 7, endCol: 4 };
    const definition = (states: AslDefinition['States'], startAt = 'A'): AslDefinition => ({
      Comment: 'hand-written',
      StartAt: startAt,
      TimeoutSeconds: 10,
      States: states,
    });
    it('fails on a definition with a dangling Next, an unreachable state, a loop with no way out and a bad StartAt', () => {
      expect(where(graphChecks(definition({ A: { Type: 'Pass', Next: 'Nowhere' } }), span))).toEqual([
        'AOP021@1:1',
        'AOP021@1:1',
      ]);
      expect(
        where(graphChecks(definition({ A: { Type: 'Succeed' }, B: { Type: 'Succeed' } }), span)),
      ).toEqual(['AOP021@1:1']);
      expect(
        where(
          graphChecks(
            definition({
              A: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'B' }], Default: 'Z' },
              B: { Type: 'Pass', Next: 'A' },
              Z: { Type: 'Succeed' },
              Y: { Type: 'Pass', Next: 'Y' },
            }),
            span,
          ),
        ),
      ).toEqual(['AOP021@1:1', 'AOP021@1:1']);
      expect(where(graphChecks(definition({ A: { Type: 'Succeed' } }, 'Missing'), span))).toEqual([
        'AOP021@1:1',
        'AOP021@1:1',
      ]);
    });
    it('fails in selfCheck when asl-validator rejects the definition', () => {
      const broken = definition({ A: { Type: 'Choice', Default: 'B' }, B: { Type: 'Succeed' } });
      expect(where(selfCheck(broken, span)).every((at) => at === 'AOP021@1:1')).toBe(true);
      expect(selfCheck(broken, span).length).toBeGreaterThan(0);
    });
    it('passes on every definition the compiler emits', () => {
      const { asl } = compileOne(procedure(CANCEL));
      expect(where(graphChecks(asl!, span))).toEqual([]);
    });
  });

  it('reports every problem of a procedure at once, in source order', () => {
    const text = procedure([
      '1. Dance a little jig.',
      '2. Ask for the order id and the shoe size.',
      '3. Look up the order with @get_order.',
      '4. Go back to step 9.',
    ]);
    const codes = compileOne(text).diagnostics.map((d) => d.code);
    for (const code of ['AOP001', 'AOP004', 'AOP010', 'AOP020']) expect(codes).toContain(code);
  });
});
