import { describe, expect, it } from 'vitest';
import { DiagnosticCodes } from '../../shared/aop/index.ts';
import { CANCEL, failing, passing } from './rules-support.ts';
import { AUTHENTICATE, compileOne, procedure, retailCatalogue, retailSources, where } from './support.ts';

/** Rules about sentences, tools, facts, arguments and guards (AOP001–AOP010). Flow and limits: rules-flow.test.ts. */
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

  describe('quoted arguments are literal text', () => {
    const body = (binding: string) => [
      '1. Follow @authenticate.',
      '2. {#ask} Ask for the order id.',
      '3. {#find} Look up the order with @get_order.',
      `4. {#note} Add a note with @add_note(${binding}).`,
      '5. End.',
    ];
    const tools = ['get_order', 'add_note'];
    const noteOf = (text: string) => {
      const call = compileOne(text).ir.steps.find((step) => step.id === 'note')!.actions[0]!;
      return call.kind === 'call' ? call.args.note : undefined;
    };
    it('fails when a quoted value is not closed, pointing at its opening quote (not an unknown fact)', () => {
      const text = procedure(body('note: "late, and damaged'), { tools });
      expect(failing(text, DiagnosticCodes.mistypedArgument)).toEqual(['AOP007@12:44']);
      expect(failing(text, DiagnosticCodes.unknownFact)).toEqual([]);
    });
    it('passes with a comma, "and", "or" and parentheses inside the quotes, kept exactly', () => {
      for (const note of ['late, and damaged (box)', 'late or damaged', 'see (a), (b) and (c)']) {
        const text = procedure(body(`note: "${note}"`), { tools });
        passing(text);
        expect(noteOf(text)).toEqual({ source: 'literal', value: note });
      }
      const two = procedure(body('note: "late, or lost (box)", quantity: 2'), { tools });
      passing(two);
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
    describe('several actions in one step run in order', () => {
      const step = (actions: string) =>
        procedure([
          '1. Follow @authenticate.',
          `2. ${actions}`,
          '3. Tell the customer "Your order is {order.status}." Then end.',
        ]);
      it('fails when the call comes before the ask in the step, pointing at the @tool', () => {
        const text = step('Look up the order with @get_order. Ask for the order id.');
        expect(failing(text, DiagnosticCodes.factUsedBeforeKnown)).toEqual(['AOP008@10:27']);
      });
      it('passes when an ask is followed by a call, after a quoted sentence that ends the sentence before', () => {
        passing(step('Say "I can help with that." Ask for the order id. Look up the order with @get_order.'));
        passing(
          step('Say "Which order is it?" Ask for the order id, then look up the order with @get_order.'),
        );
      });
      it('passes when the ask and the call are one clause ("ask for X to look it up with @tool")', () => {
        passing(step('Ask for the order id to look up the order with @get_order.'));
        passing(step('Ask for the order id so that you can look it up with @get_order.'));
        const result = compileOne(step('Ask for the order id to look up the order with @get_order.'));
        const kinds = result.ir.steps[1]!.actions.map((action) => action.kind);
        expect(kinds).toEqual(['ask', 'call']);
      });
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

  describe('AOP023 choices that cannot be shown', () => {
    const body = (line: string) => [
      '1. Follow @authenticate.',
      '2. Look up the profile with @get_profile.',
      line,
      '4. Look it up with @get_order.',
      '5. Tell the customer "Order {order.order_id} is {order.status}." Then end.',
    ];
    const ask = '3. Ask for the order id, choosing from the profile orders.';
    it('fails on a list of bare ids that no allowed read tool describes, pointing at the list', () => {
      const text = procedure(body(ask), { tools: ['get_profile', 'cancel_order'] });
      const column = ask.indexOf('the profile orders') + 1;
      expect(failing(text, DiagnosticCodes.choicesCannotBeShown)).toEqual([`AOP023@11:${column}`]);
    });
    it('passes when a read tool that takes the id is allowed: each id is described with it', () => {
      const text = procedure(body(ask), { tools: ['get_profile', 'get_order'] });
      passing(text);
      const result = compileOne(text, { others: [AUTHENTICATE] });
      const slots = result.ir.steps.flatMap((step) =>
        step.actions.flatMap((action) => (action.kind === 'ask' ? action.slots : [])),
      );
      expect(slots.map((slot) => [slot.name, slot.describedBy])).toEqual([['order_id', 'get_order']]);
    });
  });

  describe('AOP025 variants that cannot be shown', () => {
    const authenticate = retailSources().filter((source) => source.path.endsWith('authenticate-customer.md'));
    const body = (newItems: string) => [
      '1. Follow @authenticate-customer.',
      '2. {#ask-order} Ask for the order id.',
      '3. {#find-order} Look up the order with @get_order_details.',
      '   - If the order was not found, say "I could not find it." Then end.',
      '4. {#ask-items} Ask for the item ids, choosing from the order items.',
      newItems,
      '6. {#ask-payment} Ask for the payment method id.',
      '7. {#confirm} Confirm with the customer: "Shall I exchange {item_ids} for {new_item_ids}?"',
      '   - If they do not confirm, say "Nothing was changed." Then end.',
      '8. {#exchange} Request it with @exchange_delivered_order_items.',
      '9. {#done} Tell the customer: "Done." Then end.',
    ];
    const ask =
      "5. {#ask-new-items} Ask for the new item ids, choosing from the available variants of the chosen items' products.";
    const column = ask.indexOf('the available') + 1;
    const compile = (lines: string[], tools: string[]) =>
      compileOne(procedure(lines, { tools }), { catalogue: retailCatalogue, others: authenticate });
    const codes = (lines: string[], tools: string[]) =>
      where(
        compile(lines, tools).diagnostics.filter((d) => d.code === DiagnosticCodes.variantsCannotBeShown),
      );
    it("fails when no allowed read tool looks up the chosen items' products, pointing at the phrase", () => {
      expect(codes(body(ask), ['get_order_details', 'exchange_delivered_order_items'])).toEqual([
        `AOP025@14:${column}`,
      ]);
    });
    it('fails when no earlier question chose the items', () => {
      const lines = body(ask).filter((line) => !line.includes('#ask-items'));
      expect(
        codes(lines, ['get_order_details', 'get_product_details', 'exchange_delivered_order_items']),
      ).toEqual([`AOP025@13:${column}`]);
    });
    it("passes when the product look-up is allowed: each chosen item gets its product's variants", () => {
      const result = compile(body(ask), [
        'get_order_details',
        'get_product_details',
        'exchange_delivered_order_items',
      ]);
      expect(where(result.diagnostics)).toEqual([]);
      expect(result.asl).not.toBeNull();
      const slot = result.ir.steps
        .flatMap((step) => step.actions.flatMap((action) => (action.kind === 'ask' ? action.slots : [])))
        .find((candidate) => candidate.name === 'new_item_ids');
      expect(slot?.variants).toMatchObject({
        per: 'item_ids',
        key: 'product_id',
        tool: 'get_product_details',
        list: 'variants',
        value: 'item_id',
        available: 'available',
        price: 'price',
      });
      expect(slot?.variants?.others).toBe(false);
    });
    it.each([
      "the other available variants of the chosen items' products",
      "the available other variants of the chosen items' products",
    ])('reads "other" (%s): the chosen item\'s own variant is not offered', (phrase) => {
      const result = compile(body(`5. {#ask-new-items} Ask for the new item ids, choosing from ${phrase}.`), [
        'get_order_details',
        'get_product_details',
        'exchange_delivered_order_items',
      ]);
      expect(where(result.diagnostics)).toEqual([]);
      const slot = result.ir.steps
        .flatMap((step) => step.actions.flatMap((action) => (action.kind === 'ask' ? action.slots : [])))
        .find((candidate) => candidate.name === 'new_item_ids');
      expect(slot?.variants).toMatchObject({ per: 'item_ids', others: true, onlyAvailable: true });
    });
  });

  describe('AOP023 offered records that cannot answer the question', () => {
    const authenticate = retailSources().filter((source) => source.path.endsWith('authenticate-customer.md'));
    const body = (offering: string) => [
      '1. Follow @authenticate-customer.',
      "2. {#profile} Look up the customer's profile with @get_user_details.",
      "3. {#orders} Look up each of the user's orders with @get_order_details (at most 10).",
      `4. {#ask-address} Ask for the address line 1, address line 2, city, state, country and zip code, offering ${offering}.`,
      '5. {#confirm} Confirm with the customer: "Shall I make {address1}, {city} your address?"',
      '   - If they do not confirm, say "Nothing was changed." Then end.',
      '6. {#change} Change it with @modify_user_address.',
      '7. {#done} Tell the customer: "Done." Then end.',
    ];
    const compile = (offering: string) =>
      compileOne(
        procedure(body(offering), {
          tools: ['get_user_details', 'get_order_details', 'modify_user_address'],
        }),
        { catalogue: retailCatalogue, others: authenticate },
      );
    const offersOf = (offering: string) =>
      compile(offering)
        .ir.steps.flatMap((step) =>
          step.actions.flatMap((action) => (action.kind === 'ask' ? action.slots : [])),
        )
        .find((slot) => slot.name === 'address1')?.offers;
    it('fails on a record without the facts asked, pointing at the phrase', () => {
      const line = body('the user name')[3]!;
      const result = compile('the user name');
      expect(
        where(result.diagnostics.filter((d) => d.code === DiagnosticCodes.choicesCannotBeShown)),
      ).toEqual([`AOP023@12:${line.indexOf('the user name') + 1}`]);
      expect(result.diagnostics.find((d) => d.code === 'AOP023')?.message).toContain('address1');
    });
    it('passes on the profile address and the addresses of the orders, and lowers them into the ask', () => {
      const offering = 'the user address as "your default address" and the addresses of the orders';
      const result = compile(offering);
      expect(where(result.diagnostics)).toEqual([]);
      expect(offersOf(offering)).toMatchObject([
        { ref: { fact: 'user', path: ['address'] }, label: 'your default address', list: null },
        { ref: { fact: 'orders', path: ['address'] }, list: [], field: ['address'], id: 'order_id' },
      ]);
      const asked = Object.values(result.asl!.States).find(
        (state) => (state as { Parameters?: { say?: { known?: unknown } } }).Parameters?.say?.known,
      ) as { Parameters: { say: { known: unknown } } };
      expect(asked.Parameters.say.known).toMatchObject({
        name: 'known_address',
        facts: ['address1', 'address2', 'city', 'state', 'country', 'zip'],
        sources: [
          { path: '$.facts.user', list: false, field: ['address'], label: 'your default address' },
          { path: '$.facts.orders', list: true, field: ['address'], id: 'order_id', label: null },
        ],
      });
    });
    it('passes on a list of records that holds one: the orders', () => {
      expect(where(compile('the orders').diagnostics)).toEqual([]);
      expect(offersOf('the orders')).toMatchObject([{ list: [], field: ['address'], id: 'order_id' }]);
    });
  });
});
