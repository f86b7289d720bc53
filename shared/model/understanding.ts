import type { ConverseCommandInput, ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import { z } from 'zod';
import { ModelError } from './errors.ts';
import { conformsTo, type JsonSchema } from './json-schema-check.ts';

/**
 * What the platform asks the model on each customer turn, and what it accepts back. The model only
 * *reads* the message: it fills typed slots, reads a yes/no, and picks a procedure. Everything it
 * proposes is checked against the slot's schema before the turn engine sees it (DESIGN.md decision 3:
 * the model can propose; only code acts).
 *
 * The Converse request is the contract shared with the local model endpoint, which reads it the same
 * way Claude does: the customer's words inside `<customer_message>`, one forced tool whose input schema
 * has a property per slot, `confirmed` when a question was asked, and `route` whose description lists
 * each procedure as a `- id: when` line.
 */

/**
 * Said of a slot the customer was not asked for yet (`volunteered`): the model fills it only from an
 * outright statement. The local engine reads the same words and is stricter for such slots.
 */
export const VOLUNTEERED_NOTE =
  'Not asked yet: fill only when the message states it outright (e.g. a reason or an address given with the request); otherwise leave out.';

/**
 * The schema keyword marking a free-text slot ("Ask the customer to describe the damage"): its value is
 * the customer's answer in their own words, verbatim. Its description says the same to a model.
 */
export const FREE_TEXT = 'x-free-text';

/** The one tool the model is made to call; its input is the understanding. */
export const UNDERSTANDING_TOOL = 'record_understanding';

/** Property names the tool reserves for itself; a slot may not use them. */
export const RESERVED_PROPERTIES = [
  'consent',
  'route',
  'route_choices',
  'more_routes',
  'could_be',
  'act',
  'faq',
  'language',
] as const;

/**
 * How a reply to a confirmation question reads, as a whole (DESIGN.md decision 8). Only `agree` lets a
 * write run: a question, a condition or anything unclear is answered and the question asked again.
 */
export const CONSENT_KINDS = ['agree', 'decline', 'question', 'conditional', 'unclear'] as const;
export type Consent = (typeof CONSENT_KINDS)[number];

/**
 * What a message does besides giving information: the conversation repair patterns the runtime
 * handles for every procedure (docs/aop-language.md, "Conversation repair"). `none`: it answers, or
 * asks for something a procedure does.
 */
export const DIALOGUE_ACTS = [
  'none',
  'greeting',
  'thanks',
  'human',
  'cancel',
  'repeat',
  'question',
  'correction',
  'other_person',
  'other_language',
] as const;
export type DialogueAct = (typeof DIALOGUE_ACTS)[number];

const ACT_DESCRIPTIONS: Record<DialogueAct, string> = {
  none: 'the message gives information or asks for something the store does (an order, a return, ...)',
  greeting: 'only a greeting or small talk ("hi", "how are you?"), nothing else',
  thanks: 'only thanks or a goodbye ("thanks, that is all")',
  human: 'asks to talk to a person, an agent, a human, a supervisor',
  cancel: 'wants to stop the current request ("never mind", "forget it"), not to cancel an order',
  repeat: 'did not understand the last message or asks to hear it again ("what?", "sorry?")',
  question: 'asks a question (how long a refund takes, where the money goes) instead of answering',
  correction:
    'corrects something they said before ("actually it is the other order", "sorry, my zip is ...")',
  other_person:
    "asks about or for another person's account, orders or subscription (a husband's, a mother's, a friend's)",
  other_language: 'is written in a language other than English',
};

export const JsonSchemaObjectSchema = z.record(z.string(), z.unknown());

export const SlotOptionSchema = z.object({
  /** What is recorded when this option is chosen, e.g. an item id. */
  value: z.string().min(1),
  /** How the customer knows it, e.g. "Mechanical Keyboard (clicky, RGB)". */
  label: z.string().min(1),
});
export type SlotOption = z.infer<typeof SlotOptionSchema>;

export const SlotRequestSchema = z.object({
  /** Becomes a tool input property: Bedrock allows letters, digits, `_`, `.` and `-`, at most 64. */
  name: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a slot name must be 1-64 letters, digits, "_", "." or "-"'),
  description: z.string().min(1),
  /** A JSON-schema object for the value, e.g. from `z.toJSONSchema` (type, pattern, enum, items, format). */
  schema: JsonSchemaObjectSchema,
  /** The values the customer may choose from; the answer must be one of them (each of them, for arrays). */
  options: z.array(SlotOptionSchema).min(1).optional(),
  /**
   * The options are the customer's own records offered in words (their orders), not the only values:
   * an id the customer types that is not listed is taken too, and the procedure's look-up checks it
   * ("I could not find that order on your account" rather than "I did not catch that").
   */
  optionsOpen: z.boolean().optional(),
  /**
   * The value the customer gave earlier, when the slot is already filled: the model fills it again only
   * when the message corrects it (act `correction`).
   */
  current: z.unknown().optional(),
  /**
   * Not the question being answered: a fact the procedure will need later, read now so that what the
   * customer says early is not asked again. Filled only when the message states it outright.
   */
  volunteered: z.boolean().optional(),
});
export type SlotRequest = z.infer<typeof SlotRequestSchema>;

export const RouteSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a route id must be letters, digits, ".", "_" or "-"'),
  /** The procedure's `when` front matter: in which situation it applies. */
  when: z.string().min(1),
  /** The procedure's `examples` front matter: a few ways customers ask for it. */
  examples: z.array(z.string().min(1)).optional(),
});
export type Route = z.infer<typeof RouteSchema>;

/** One entry of the tenant's policy FAQ, offered so a question mid-procedure can be answered. */
export const FaqEntrySchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a FAQ id must be letters, digits, ".", "_" or "-"'),
  /** The question the entry answers, in the customer's words. */
  question: z.string().min(1),
});
export type FaqEntry = z.infer<typeof FaqEntrySchema>;

export const UnderstandRequestSchema = z
  .object({
    /** The customer's message, verbatim. */
    message: z.string(),
    slots: z.array(SlotRequestSchema),
    /** Present when the last reply asked the customer to confirm an action. */
    confirm: z.object({ question: z.string().min(1) }).optional(),
    /** Present on a first message: the procedures to choose from. */
    routes: z.array(RouteSchema).optional(),
    /**
     * Present when the last reply asked which of these procedures (ids of `routes`, in the order
     * asked) the customer needs: "the first one" or a word of one answers it.
     */
    clarifying: z.array(z.string()).min(2).optional(),
    /** The tenant's policy FAQ: which entry, if any, answers a question the customer asks. */
    faq: z.array(FaqEntrySchema).optional(),
    /** What the conversation is about, to interpret the message by; never a source of values. */
    context: z.string().optional(),
  })
  .superRefine(function uniqueNames(request, ctx) {
    const seen = new Set<string>();
    request.slots.forEach((slot, index) => {
      if ((RESERVED_PROPERTIES as readonly string[]).includes(slot.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['slots', index, 'name'],
          message: `slot name "${slot.name}" is reserved by the ${UNDERSTANDING_TOOL} tool (${RESERVED_PROPERTIES.join(', ')}); rename the slot`,
        });
      }
      if (seen.has(slot.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['slots', index, 'name'],
          message: `slot "${slot.name}" is requested twice; each slot becomes one tool property`,
        });
      }
      seen.add(slot.name);
    });
    const routeIds = new Set<string>();
    request.routes?.forEach((route, index) => {
      if (routeIds.has(route.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['routes', index, 'id'],
          message: `route "${route.id}" is listed twice`,
        });
      }
      routeIds.add(route.id);
    });
  });
export type UnderstandRequest = z.infer<typeof UnderstandRequestSchema>;

export const UnderstandingSchema = z.object({
  /** Only the slots the message gave a valid value for. */
  slots: z.record(z.string(), z.unknown()),
  /** How the message answers a confirmation question, when one was asked; otherwise null. */
  consent: z.enum(CONSENT_KINDS).nullable(),
  /** The chosen route id when routes were offered and one fits, otherwise null. */
  route: z.string().nullable(),
  /**
   * When two or more procedures fit and the message does not say which (no `route` then): the ones it
   * could mean, so the customer is asked. Absent when there is nothing to choose between.
   */
  routeChoices: z.array(z.string()).optional(),
  /** Further requests of the same message, in the customer's order, after `route`. Absent when none. */
  moreRoutes: z.array(z.string()).optional(),
  /**
   * When the message describes one of the listed choices and several fit it equally ("the one with the
   * makeup kit", in two orders): those values, so the customer is asked only between them. Absent otherwise.
   */
  couldBe: z.array(z.string()).optional(),
  /** What the message does besides giving information (a repair pattern), `none` when nothing. */
  act: z.enum(DIALOGUE_ACTS),
  /** The FAQ entry that answers the customer's question, when entries were offered and one fits. */
  faq: z.string().nullable(),
  /** ISO 639-1 code of the message's language when it is not English, else null. */
  language: z.string().nullable(),
});
export type Understanding = z.infer<typeof UnderstandingSchema>;

/** An understanding in which nothing was read (every field empty). */
export const NOTHING_UNDERSTOOD: Understanding = Object.freeze({
  slots: {},
  consent: null,
  route: null,
  act: 'none',
  faq: null,
  language: null,
}) as Understanding;

/**
 * An understanding as recorded by any version: responses recorded before consent was a classification
 * carry `confirmed: true | false` (agree / decline) and no act.
 */
export function normaliseUnderstanding(recorded: unknown): Understanding {
  const value = (typeof recorded === 'object' && recorded !== null ? recorded : {}) as Record<
    string,
    unknown
  >;
  const legacy = value.confirmed === true ? 'agree' : value.confirmed === false ? 'decline' : null;
  const consent = (CONSENT_KINDS as readonly unknown[]).includes(value.consent)
    ? (value.consent as Consent)
    : legacy;
  const act = (DIALOGUE_ACTS as readonly unknown[]).includes(value.act) ? (value.act as DialogueAct) : 'none';
  const routeChoices = stringsOf(value.routeChoices);
  const moreRoutes = stringsOf(value.moreRoutes);
  const couldBe = stringsOf(value.couldBe);
  return {
    slots: (typeof value.slots === 'object' && value.slots !== null ? value.slots : {}) as Record<
      string,
      unknown
    >,
    consent,
    route: typeof value.route === 'string' ? value.route : null,
    ...(routeChoices ? { routeChoices } : {}),
    ...(moreRoutes ? { moreRoutes } : {}),
    ...(couldBe ? { couldBe } : {}),
    act,
    faq: typeof value.faq === 'string' ? value.faq : null,
    language: typeof value.language === 'string' ? value.language : null,
  };
}

function stringsOf(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const strings = value.filter((item): item is string => typeof item === 'string');
  return strings.length > 0 ? strings : undefined;
}

/** An understanding, plus what the model proposed that failed its schema and was dropped. */
export interface ParsedUnderstanding {
  readonly understanding: Understanding;
  /** Names of slots (or `confirmed` / `route`) whose proposed value was rejected. */
  readonly rejected: readonly string[];
}

export const SYSTEM_PROMPT = [
  'You are the understanding step of a customer-service agent for an online store.',
  `Read the customer's message and call the ${UNDERSTANDING_TOOL} tool exactly once.`,
  'Extract only what the customer said in this message; never invent values, never guess, never complete',
  'a partial value, and leave out every field the message does not state.',
  'Use the context only to interpret the message, never as a source of values.',
  'When the customer must choose from listed values, answer with the listed value, not the label.',
  'A property that says the customer already gave a value is filled only when this message corrects it.',
  'Always say what the message does (act). When the customer was asked to confirm an action, read their',
  'whole reply: it agrees only when it accepts the action as described with no question and no condition.',
  'When choosing a procedure, read negation ("not a refund, an exchange"), typos and several requests in',
  'one message; when two procedures fit and the message does not say which, list them instead of guessing.',
].join(' ');

const INFERENCE = { temperature: 0, maxTokens: 1024 } as const;

/** The Converse input for one understanding request. Deterministic: equal requests give equal inputs. */
export function buildConverseInput(request: UnderstandRequest, modelId: string): ConverseCommandInput {
  return {
    modelId,
    system: [{ text: SYSTEM_PROMPT }],
    messages: [{ role: 'user', content: [{ text: userText(request) }] }],
    toolConfig: {
      tools: [
        {
          toolSpec: {
            name: UNDERSTANDING_TOOL,
            description:
              'Record what the customer said: the values they gave, their answer to a question, and which procedure fits.',
            inputSchema: { json: toolInputSchema(request) },
          },
        },
      ],
      toolChoice: { tool: { name: UNDERSTANDING_TOOL } },
    },
    inferenceConfig: { ...INFERENCE },
  };
}

function userText(request: UnderstandRequest): string {
  const parts: string[] = [];
  if (request.context !== undefined && request.context.trim() !== '') {
    parts.push(`<context>\n${request.context}\n</context>`);
  }
  parts.push(`<customer_message>\n${request.message}\n</customer_message>`);
  return parts.join('\n');
}

/** The JSON-schema object of the tool's input: one optional property per slot, then confirmed and route. */
export function toolInputSchema(request: UnderstandRequest): Record<string, JsonValue> {
  const properties: Record<string, JsonValue> = {};
  for (const slot of request.slots) properties[slot.name] = slotProperty(slot);
  if (request.confirm !== undefined) {
    properties.consent = {
      type: 'string',
      enum: [...CONSENT_KINDS],
      description: [
        `How the customer answers the question they were asked: "${oneLine(request.confirm.question)}".`,
        '- agree: accepts the action exactly as described, with no question and no condition ("yes", "go ahead").',
        '- decline: refuses or wants nothing done ("no", "leave it", "I changed my mind").',
        '- question: asks something, even alongside a yes ("yes, but when do I get the money?").',
        '- conditional: agrees only on a condition or with a change ("yes if it goes back to my visa").',
        '- unclear: anything else (hesitation, an unrelated answer).',
      ].join('\n'),
    };
  }
  properties.act = {
    type: 'string',
    enum: [...DIALOGUE_ACTS],
    description: [
      'What the message does besides giving information:',
      ...DIALOGUE_ACTS.map((act) => `- ${act}: ${ACT_DESCRIPTIONS[act]}`),
    ].join('\n'),
  };
  properties.language = {
    type: 'string',
    description:
      'The ISO 639-1 code of the language the message is written in (e.g. "es"), only when it is not English.',
  };
  if (request.faq !== undefined && request.faq.length > 0) {
    properties.faq = {
      type: 'string',
      enum: request.faq.map((entry) => entry.id),
      description: [
        'When the customer asks a question, which entry answers it. The entries, each as "- id: question":',
        ...request.faq.map((entry) => `- ${entry.id}: ${oneLine(entry.question)}`),
        'Leave out if none answers it.',
      ].join('\n'),
    };
  }
  if (request.routes !== undefined && request.routes.length > 0) {
    const ids = request.routes.map((route) => route.id);
    properties.route = {
      type: 'string',
      enum: ids,
      description: [
        'Which procedure fits what the customer wants (the first thing they ask for, when they ask for several).',
        'The procedures, each as "- id: when it applies", then a few ways customers ask for it:',
        ...request.routes.flatMap(routeLines),
        ...(request.clarifying ? [`${CLARIFYING_NOTE} ${request.clarifying.join(', ')}.`] : []),
        'Leave out if none clearly fits, or if two fit equally and the message does not say which.',
      ].join('\n'),
    };
    properties.route_choices = {
      type: 'array',
      items: { type: 'string', enum: ids },
      description:
        'Only when route is left out because two or more procedures fit equally and the message does not say which ("change my address": the account or an order?): those procedures, so the customer can be asked. Otherwise leave out.',
    };
    properties.more_routes = {
      type: 'array',
      items: { type: 'string', enum: ids },
      description:
        'Only when the message asks for several things: the procedures for the requests after the one in route, in the order the customer asked. Otherwise leave out.',
    };
  }
  const choices = choiceValues(request);
  if (choices.length > 2) {
    properties.could_be = {
      type: 'array',
      items: { type: 'string', enum: choices },
      description:
        'Only when the customer describes one of the listed choices and two or more fit the description equally (e.g. two orders both hold the item they name): those values, so they can be asked which. Otherwise leave out.',
    };
  }
  return { type: 'object', properties, additionalProperties: false };
}

/** The values of the listed choices of the single-valued slots, for `could_be`. */
function choiceValues(request: UnderstandRequest): string[] {
  const values = request.slots
    .filter((slot) => slot.options !== undefined && slot.schema.type !== 'array')
    .flatMap((slot) => slot.options!.map((option) => option.value));
  return [...new Set(values)];
}

/** "- id: when" and, under it, one quoted line per example. */
function routeLines(route: Route): string[] {
  return [
    `- ${route.id}: ${oneLine(route.when)}`,
    ...(route.examples ?? []).map((example) => `  e.g. "${oneLine(example).replace(/"/g, "'")}"`),
  ];
}

/**
 * Said with the routes when the last reply asked which of some procedures the customer needs, then
 * their ids in the order asked: an answer to that question picks one ("the first one", "the exchange").
 */
export const CLARIFYING_NOTE =
  'The last reply asked the customer which of these they need; an answer to it ("the first one", a word of one) picks it. In the order asked:';

/**
 * For a list the customer already gave: a message that adds to it ("I also want to return the watch")
 * corrects it to the whole list, so the runtime replaces one list with another and never guesses.
 */
export const ADDS_NOTE =
  'If the message adds to them ("also the watch"), fill the whole list: what they gave and what they add.';

function slotProperty(slot: SlotRequest): JsonValue {
  const { $schema: _ignored, ...schema } = slot.schema as Record<string, JsonValue>;
  const already =
    slot.current === undefined
      ? ''
      : ` The customer already gave ${JSON.stringify(slot.current)}; fill this only if the message corrects it.${Array.isArray(slot.current) ? ` ${ADDS_NOTE}` : ''}`;
  const early = slot.volunteered ? ` ${VOLUNTEERED_NOTE}` : '';
  const property: Record<string, JsonValue> = {
    ...schema,
    description: `${slot.description}${already}${early}`,
  };
  if (slot.options !== undefined) {
    const oneOf = slot.options.map((option) => ({ const: option.value, title: option.label }));
    if (schema.type === 'array') {
      const items = isRecord(schema.items) ? schema.items : {};
      // One value listed twice (two identical items in an order) fits two entries, which oneOf
      // refuses: such a list is anyOf, and the value may be chosen once per entry.
      const repeated = new Set(oneOf.map((entry) => entry.const)).size < oneOf.length;
      property.items = repeated ? { ...items, anyOf: oneOf } : { ...items, oneOf };
    } else if (slot.optionsOpen) {
      // One of the listed values, or a value of the slot's own shape that the customer typed.
      const { description: _description, ...shape } = schema;
      property.anyOf = [
        ...oneOf,
        { ...shape, description: 'A value the customer typed that is not listed; the procedure checks it.' },
      ];
    } else {
      property.oneOf = oneOf;
    }
  }
  return property;
}

/**
 * Reads the understanding out of a Converse answer. Values that fail their slot's schema (or are not
 * among its options) are dropped and reported, never repaired: a wrong value is worse than asking again.
 */
export function parseConverseOutput(
  output: ConverseCommandOutput,
  request: UnderstandRequest,
  modelId: string,
): ParsedUnderstanding {
  const content = output.output?.message?.content ?? [];
  const toolUse = content.find((block) => block.toolUse?.name === UNDERSTANDING_TOOL)?.toolUse;
  if (toolUse === undefined) {
    throw new ModelError(
      `Model ${modelId} did not call the ${UNDERSTANDING_TOOL} tool (stopReason: ${String(output.stopReason)}); the tool is forced with toolChoice, so the model or endpoint ignored it`,
      { code: 'output_invalid', modelId },
    );
  }
  const input: unknown = toolUse.input;
  if (!isRecord(input)) {
    throw new ModelError(
      `Model ${modelId} called ${UNDERSTANDING_TOOL} with ${describe(input)} as input; an object is required`,
      { code: 'output_invalid', modelId },
    );
  }

  const rejected: string[] = [];
  const slots: Record<string, unknown> = {};
  for (const slot of request.slots) {
    const value = input[slot.name];
    if (value === undefined || value === null) continue;
    if (slotAccepts(slot, value)) slots[slot.name] = value;
    else rejected.push(slot.name);
  }

  let consent: Consent | null = null;
  if (request.confirm !== undefined && input.consent !== undefined && input.consent !== null) {
    if ((CONSENT_KINDS as readonly unknown[]).includes(input.consent)) consent = input.consent as Consent;
    else rejected.push('consent');
  }

  let act: DialogueAct = 'none';
  if (input.act !== undefined && input.act !== null) {
    if ((DIALOGUE_ACTS as readonly unknown[]).includes(input.act)) act = input.act as DialogueAct;
    else rejected.push('act');
  }

  let language: string | null = null;
  if (input.language !== undefined && input.language !== null) {
    if (typeof input.language === 'string' && /^[a-z]{2,3}$/i.test(input.language))
      language = input.language.toLowerCase();
    else rejected.push('language');
  }

  let faq: string | null = null;
  if (request.faq !== undefined && input.faq !== undefined && input.faq !== null) {
    const chosen = input.faq;
    if (typeof chosen === 'string' && request.faq.some((entry) => entry.id === chosen)) faq = chosen;
    else rejected.push('faq');
  }

  let route: string | null = null;
  let routeChoices: string[] = [];
  let moreRoutes: string[] = [];
  if (request.routes !== undefined) {
    const offered = new Set(request.routes.map((candidate) => candidate.id));
    if (input.route !== undefined && input.route !== null) {
      const chosen = input.route;
      if (typeof chosen === 'string' && offered.has(chosen)) route = chosen;
      else rejected.push('route');
    }
    const routeList = (name: 'route_choices' | 'more_routes'): string[] => {
      const value = input[name];
      if (value === undefined || value === null) return [];
      if (Array.isArray(value) && value.every((id) => typeof id === 'string' && offered.has(id)))
        return [...new Set(value as string[])];
      rejected.push(name);
      return [];
    };
    routeChoices = route === null ? routeList('route_choices') : [];
    moreRoutes = route === null ? [] : routeList('more_routes').filter((id) => id !== route);
  }

  let couldBe: string[] = [];
  if (input.could_be !== undefined && input.could_be !== null) {
    const listed = new Set(choiceValues(request));
    const value = input.could_be;
    if (Array.isArray(value) && value.every((item) => typeof item === 'string' && listed.has(item)))
      couldBe = [...new Set(value as string[])];
    else rejected.push('could_be');
  }

  // English is the default: a model that names it is saying the same as leaving it out.
  if (language === 'en') language = null;
  return {
    understanding: {
      slots,
      consent,
      route,
      ...(routeChoices.length >= 2 ? { routeChoices } : {}),
      ...(moreRoutes.length > 0 ? { moreRoutes } : {}),
      ...(couldBe.length >= 2 ? { couldBe } : {}),
      act,
      faq,
      language,
    },
    rejected,
  };
}

/**
 * The values of `slots` that `request` would take from a model: requested, of the slot's schema, and
 * one of its options when it offers some. What-if replay holds a recorded answer to it when the new
 * version asks something else (another list of allowed values), as the live client holds a model's.
 */
export function acceptedSlots(
  request: Pick<UnderstandRequest, 'slots'>,
  slots: Readonly<Record<string, unknown>>,
): { accepted: Record<string, unknown>; dropped: string[] } {
  const accepted: Record<string, unknown> = {};
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(slots)) {
    const slot = request.slots.find((candidate) => candidate.name === name);
    if (slot && (value === null || slotAccepts(slot, value))) accepted[name] = value;
    else dropped.push(name);
  }
  return { accepted, dropped };
}

function slotAccepts(slot: SlotRequest, value: unknown): boolean {
  if (!conformsTo(value, slot.schema as JsonSchema)) return false;
  if (slot.options === undefined || (slot.optionsOpen && !Array.isArray(value))) return true;
  const allowed = new Set(slot.options.map((option) => option.value));
  return Array.isArray(value)
    ? value.every((item) => typeof item === 'string' && allowed.has(item))
    : typeof value === 'string' && allowed.has(value);
}

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

function isRecord(value: unknown): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function describe(value: unknown): string {
  if (value === undefined) return 'no value';
  if (Array.isArray(value)) return 'an array';
  return `a ${value === null ? 'null' : typeof value}`;
}
