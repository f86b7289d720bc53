import { describe, expect, it } from 'vitest';
import { DiagnosticCodes, LIMITS } from '../../shared/aop/index.ts';
import type { AslDefinition } from '../../shared/aop/lower.ts';
import { graphChecks, selfCheck } from '../../shared/aop/self-check.ts';
import { AUTHENTICATE, compileOne, FILE, lines, procedure, where } from './support.ts';

/**
 * One failing and one passing source per diagnostic code. Tests assert the code and where it points
 * (line:col), never the prose. Body lines of `procedure()` start on line 9 of the file.
 */

function failing(text: string, code: string, others = [AUTHENTICATE]) {
  const result = compileOne(text, { others });
  expect(result.asl).toBeNull();
  return where(result.diagnostics.filter((d) => d.code === code));
}

function passing(text: string, others = [AUTHENTICATE]) {
  const result = compileOne(text, { others });
  expect(where(result.diagnostics)).toEqual([]);
  expect(result.asl).not.toBeNull();
}

const CANCEL = [
  '1. Follow @authenticate.',
  '2. {#ask-order} Ask for the order id.',
  '3. {#find-order} Look up the order with @get_order.',
  '   - If the order was not found, say we could not find it, then go back to step 2 (at most 2 times).',
  '4. {#ask-reason} Ask for the reason. It must be "no longer needed" or "ordered by mistake".',
  '5. {#confirm} Explain that order {order.order_id} will be cancelled, and ask the customer to confirm.',
  '   - If they do not confirm, tell them nothing was changed, then end.',
  '6. {#cancel} Cancel it with @cancel_order.',
  '7. {#done} Tell the customer the order is cancelled, then end.',
];

describe('validation rules', () => {
  it('compiles the reference procedure cleanly', () => {
    passing(procedure(CANCEL));
  });

  describe('AOP001 sentence not understood', () => {
    it('fails when a sentence is outside the language, pointing at the sentence', () => {
      const text = procedure(['1. Follow @authenticate.', '2. Dance a little jig.', '3. End.']);
      expect(failing(text, DiagnosticCodes.sentenceNotUnderstood)).toEqual(['AOP001@10:4']);
    });
    it('fails on a branch bullet that is not "If …" or "Otherwise …", pointing at the bullet', () => {
      const text = procedure([
        '1. Follow @authenticate.',
        '2. Say "hi".',
        '   - Whenever it rains, end.',
        '3. End.',
      ]);
      expect(failing(text, DiagnosticCodes.sentenceNotUnderstood)).toEqual(['AOP001@11:6']);
    });
    it('fails on "Otherwise" with no "If" before it, pointing at the bullet', () => {
      const text = procedure(['1. Follow @authenticate.', '2. Say "hi".', '   - Otherwise, end.', '3. End.']);
      expect(failing(text, DiagnosticCodes.sentenceNotUnderstood)).toEqual(['AOP001@11:6']);
    });
    it('passes when the sentence is rewritten in an understood form', () => {
      passing(procedure(['1. Follow @authenticate.', '2. Tell the customer "Hello!"', '3. End.']));
    });
  });

  describe('AOP002 unknown tool', () => {
    it('fails on a front matter tool missing from the catalogue, pointing at that list item', () => {
      const text = procedure(['1. End.'], { tools: ['get_order', 'get_ordr'] });
      expect(failing(text, DiagnosticCodes.unknownTool)).toEqual(['AOP002@6:20']);
    });
    it('fails on an @tool in a step that the catalogue does not declare, pointing at the @name', () => {
      const text = procedure(['1. Follow @authenticate.', '2. Look it up with @get_ordr.', '3. End.'], {
        tools: ['get_order'],
      });
      expect(failing(text, DiagnosticCodes.unknownTool)).toEqual(['AOP002@10:20']);
    });
    it('passes with declared tools', () => {
      passing(
        procedure(
          [
            '1. Follow @authenticate.',
            '2. Ask for the order id.',
            '3. Look it up with @get_order.',
            '4. End.',
          ],
          {
            tools: ['get_order'],
          },
        ),
      );
    });
  });

  describe('AOP003 tool not allowed', () => {
    const body = [
      '1. Follow @authenticate.',
      '2. Look up the profile with @get_profile.',
      '3. Tell the customer "Hello {profile.name}." Then end.',
    ];
    it('fails when a step uses a declared tool the front matter does not allow', () => {
      expect(failing(procedure(body, { tools: ['get_order'] }), DiagnosticCodes.toolNotAllowed)).toEqual([
        'AOP003@10:29',
      ]);
    });
    it('passes when the front matter allows it', () => {
      passing(procedure(body, { tools: ['get_profile'] }));
    });
  });

  describe('AOP004 unknown fact', () => {
    it('fails when an asked-for fact is not a parameter of any allowed tool, pointing at the phrase', () => {
      const text = procedure([
        '1. Follow @authenticate.',
        '2. Ask for the order id and the shoe size.',
        '3. Look up the order with @get_order.',
        '4. End.',
      ]);
      expect(failing(text, DiagnosticCodes.unknownFact)).toEqual(['AOP004@10:29']);
    });
    it('fails when a placeholder names no fact, pointing inside the braces', () => {
      const text = procedure([
        '1. Follow @authenticate.',
        '2. Ask for the order id.',
        '3. Look up the order with @get_order.',
        '4. Tell the customer "It ships by {order.carrier}." Then end.',
      ]);
      expect(failing(text, DiagnosticCodes.unknownFact)).toEqual(['AOP004@12:36']);
    });
    it('passes when every fact resolves', () => {
      passing(
        procedure([
          '1. Follow @authenticate.',
          '2. Ask for the order id.',
          '3. Look up the order with @get_order.',
          '4. Tell the customer "It is {order.status}." Then end.',
        ]),
      );
    });
  });

  describe('AOP005 ambiguous fact', () => {
    const body = (subject: string) => [
      '1. Follow @authenticate.',
      '2. Ask for the order id.',
      '3. Look up the order with @get_order.',
      '4. Look up the profile with @get_profile.',
      `5. If ${subject} is "pending", say "It is pending." Then end.`,
      '6. End.',
    ];
    it('fails when a bare property belongs to more than one fact, pointing at the phrase', () => {
      const text = procedure(body('the status'), { tools: ['get_order', 'get_profile'] });
      expect(failing(text, DiagnosticCodes.ambiguousFact)).toEqual(['AOP005@13:7']);
    });
    it('passes when the fact is named in full', () => {
      passing(procedure(body('the order status'), { tools: ['get_order', 'get_profile'] }));
    });
  });

  describe('AOP006 missing argument', () => {
    it('fails when a required parameter has no fact of its name, pointing at the @tool', () => {
      const text = procedure(
        ['1. Follow @authenticate.', '2. Look up the order with @get_order.', '3. End.'],
        {
          tools: ['get_profile'],
        },
      );
      const result = compileOne(text);
      expect(where(result.diagnostics.filter((d) => d.code === DiagnosticCodes.missingArgument))).toEqual([
        'AOP006@10:27',
      ]);
    });
    it('passes when the tool is allowed, so its parameters are facts, and the fact is asked for', () => {
      passing(
        procedure(
          [
            '1. Follow @authenticate.',
            '2. Ask for the order id.',
            '3. Look up the order with @get_order.',
            '4. End.',
          ],
          {
            tools: ['get_order'],
          },
        ),
      );
    });
  });

  describe('argument binding', () => {
    it('passes an optional parameter only when the procedure provides it', () => {
      const body = (ask: string) => [
        '1. Follow @authenticate.',
        `2. Ask for ${ask}.`,
        '3. {#note} Add it with @add_note.',
        '4. End.',
      ];
      const without = compileOne(procedure(body('the order id and the note'), { tools: ['add_note'] }));
      expect(where(without.diagnostics)).toEqual([]);
      const call = without.ir.steps.find((step) => step.id === 'note')!.actions[0]!;
      expect(call.kind === 'call' && Object.keys(call.args).sort()).toEqual(['note', 'order_id']);
      const withQuantity = compileOne(
        procedure(body('the order id, the note and the quantity'), { tools: ['add_note'] }),
      );
      expect(where(withQuantity.diagnostics)).toEqual([]);
      const call2 = withQuantity.ir.steps.find((step) => step.id === 'note')!.actions[0]!;
      expect(call2.kind === 'call' && Object.keys(call2.args).sort()).toEqual([
        'note',
        'order_id',
        'quantity',
      ]);
    });
  });

  describe('AOP007 mistyped argument', () => {
    const body = (binding: string) => [
      '1. Follow @authenticate.',
      '2. {#ask} Ask for the order id.',
      '3. {#find} Look up the order with @get_order.',
      `4. {#again} Look it up again with @get_order(${binding}).`,
      '5. End.',
    ];
    it('fails when an explicit binding has the wrong type, pointing at the bound fact', () => {
      expect(failing(procedure(body('order_id: order.items')), DiagnosticCodes.mistypedArgument)).toEqual([
        'AOP007@12:56',
      ]);
    });
    it('fails when a binding names a parameter the tool does not have, pointing at the @tool', () => {
      expect(failing(procedure(body('item: "x"')), DiagnosticCodes.mistypedArgument)).toEqual([
        'AOP007@12:35',
      ]);
    });
    it('passes with a binding of the right type', () => {
      passing(procedure(body('order_id: order.order_id')));
      passing(procedure(body('order_id: "#W0000001"')));
    });
  });

  describe('AOP008 fact used before known', () => {
    const body = (first: string, second: string) => [
      '1. Follow @authenticate.',
      `2. {#a} ${first}`,
      `3. {#b} ${second}`,
      '4. Look up the order with @get_order.',
      '5. End.',
    ];
    const say = 'Tell the customer "Your order is {order.status}."';
    const ask = 'Ask for the order id.';
    it('fails when a fact is read on a path where nothing provided it yet, pointing at the reference', () => {
      expect(failing(procedure(body(say, ask)), DiagnosticCodes.factUsedBeforeKnown)).toEqual([
        'AOP008@10:43',
      ]);
    });
    it('fails when a condition reads a fact only one branch provides', () => {
      const text = procedure([
        '1. Follow @authenticate.',
        '2. Ask for the order id.',
        '3. Say "Let me see."',
        '   - If the order id is "#W0000001", look up the order with @get_order.',
        '4. If the order status is "pending", end.',
        '5. End.',
      ]);
      expect(failing(text, DiagnosticCodes.factUsedBeforeKnown)).toEqual(['AOP008@13:7']);
    });
    it('passes when the fact is provided on every path first', () => {
      passing(
        procedure([
          '1. Follow @authenticate.',
          '2. Ask for the order id.',
          '3. Look up the order with @get_order.',
          '4. Tell the customer "Your order is {order.status}." Then end.',
        ]),
      );
    });
  });

  describe('AOP009 write without confirmation', () => {
    it('fails when a confirming write runs without a "yes" first, pointing at the @tool', () => {
      const text = procedure([
        '1. Follow @authenticate.',
        '2. Ask for the order id and the reason.',
        '3. Cancel it with @cancel_order.',
        '4. End.',
      ]);
      expect(failing(text, DiagnosticCodes.writeWithoutConfirmation)).toEqual(['AOP009@11:19']);
    });
    it('fails when the "no" branch does not leave, so a path reaches the write unconfirmed', () => {
      const text = procedure([
        '1. Follow @authenticate.',
        '2. Ask for the order id and the reason.',
        '3. Confirm with the customer: "Cancel it?"',
        '   - If they do not confirm, say "Fine."',
        '4. Cancel it with @cancel_order.',
        '5. End.',
      ]);
      expect(failing(text, DiagnosticCodes.writeWithoutConfirmation)).toEqual(['AOP009@13:19']);
    });
    it('passes when every path to it went through a confirmation', () => {
      passing(procedure(CANCEL));
    });
  });

  describe('AOP010 guard not satisfied', () => {
    const body = [
      '2. Ask for the order id.',
      '3. Look up the order with @get_order.',
      '4. Tell the customer "It is {order.status}." Then end.',
    ];
    it('fails when a tool that requires authentication is reached unauthenticated, pointing at the @tool', () => {
      expect(
        failing(
          procedure(['1. Say "Hello."', ...body], { tools: ['get_order'] }),
          DiagnosticCodes.guardNotSatisfied,
        ),
      ).toEqual(['AOP010@11:27']);
    });
    it('passes after the authenticating sub-procedure', () => {
      passing(procedure(['1. Follow @authenticate.', ...body], { tools: ['get_order'] }));
    });
  });

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
        'invalid YAML',
        lines('---', 'id: sample', 'title: [oops', 'when: W', '---', '1. End.'),
        ['AOP018@4:1'],
      ],
      [
        'invalid YAML after an indented line, on the line and column where it is',
        lines(
          '---',
          '   - If it fails, say "No." Then end.',
          '1. Follow @authenticate.',
          'when: W',
          '---',
          '1. End.',
        ),
        ['AOP018@3:1', 'AOP018@4:5', 'AOP018@4:7'],
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
