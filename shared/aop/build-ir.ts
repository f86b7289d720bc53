import { FREE_TEXT } from '../model/understanding.ts';
import type { ToolCatalogue } from '../tools/define-tool.ts';
import {
  COMPUTE_SENTENCE,
  computedName,
  ExpressionProblem,
  expressionDiagnostic,
  LET_SENTENCE,
  parseComputation,
} from './computations.ts';
import { type ConditionContext, parseCondition, parseValue, parseValueList } from './conditions.ts';
import { type Diagnostic, DiagnosticCodes, error, type Span } from './diagnostics.ts';
import { factListSentence } from './fact-list.ts';
import {
  buildFactEnvironment,
  elementOf,
  type FactEnvironment,
  type JsonSchema,
  propertiesOf,
  resolveFact,
  schemaAt,
  toolParameters,
} from './facts.ts';
import { walkActions } from './graph.ts';
import type { Action, Aop, Argument, FactRef, Offer, Slot, Step, Variants } from './ir.ts';
import {
  firstQuote,
  indexOutside,
  slugify,
  splitClauses,
  splitOutside,
  splitSentences,
} from './sentences.ts';
import { type Located, type ParsedSource, type RawStep, slice, spanOf, trim } from './source.ts';
import { checkTable, parseTable } from './tables.ts';

/**
 * Step 2 of the pipeline: the sentences of each step, read against the tool catalogue, become IR.
 * Nothing here rejects a procedure: what is not understood becomes an `unknown` action or an
 * unresolved fact, and the validation rules report it with its span.
 */

export interface BuildContext {
  readonly catalogue: ToolCatalogue;
  /** Ids of every AOP in the project, so `@authenticate-customer` is read as a sub-procedure. */
  readonly aopIds: ReadonlySet<string>;
  /** Tools a sub-procedure may contribute facts from (its own front matter `tools`). */
  readonly subprocedureTools?: ReadonlyMap<string, readonly string[]>;
}

export interface BuildResult {
  readonly aop: Aop;
  readonly diagnostics: Diagnostic[];
}

/** Calls one "for each" makes when the procedure states no bound, and the most it may state. */
export const DEFAULT_EACH = 10;
export const MAX_EACH = 25;

const FRONT_MATTER_KEYS = ['id', 'title', 'when', 'examples', 'channels', 'tools', 'kind'];

export function buildIr(parsed: ParsedSource, context: BuildContext): BuildResult {
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  const frontMatterBroken = parsed.diagnostics.some((d) => d.code === DiagnosticCodes.invalidFrontMatter);
  const field = (key: string) => parsed.frontMatter.get(key);
  const kind = field('kind')?.value === 'subprocedure' ? 'subprocedure' : 'procedure';
  const id = stringField('id', /^[a-z][a-z0-9-]*$/, 'a lowercase id with dashes, e.g. cancel-pending-order');
  const title = stringField('title', null, 'a short title');
  const when =
    kind === 'subprocedure'
      ? String(field('when')?.value ?? '')
      : stringField(
          'when',
          null,
          'one sentence saying when this procedure applies, used to route the first message',
        );
  const channels = listField('channels', ['chat']);
  // When "tools" is unreadable (a broken front matter, or not a list), the tools the steps name stand in
  // for it: the author has already been told about the front matter, and reading the steps against no
  // tools would add an error for every ask, call and argument that only follows from that one line.
  const listedTools = listField('tools', []);
  const toolsEntry = field('tools');
  const toolsUnreadable = toolsEntry ? !isNameList(toolsEntry.value) : frontMatterBroken;
  const tools = toolsUnreadable ? toolsNamedIn(parsed, context) : listedTools;
  const examples = examplesField();
  for (const key of parsed.frontMatter.keys()) {
    if (!FRONT_MATTER_KEYS.includes(key)) {
      diagnostics.push(
        error(
          DiagnosticCodes.invalidFrontMatter,
          field(key)!.keySpan,
          `Unknown front matter field "${key}".`,
          `Allowed fields: ${FRONT_MATTER_KEYS.join(', ')}.`,
        ),
      );
    }
  }
  if (field('kind') && !['procedure', 'subprocedure'].includes(String(field('kind')!.value))) {
    diagnostics.push(
      error(
        DiagnosticCodes.invalidFrontMatter,
        field('kind')!.span,
        `Unknown kind "${String(field('kind')!.value)}".`,
        'Use "procedure" (the default) or "subprocedure".',
      ),
    );
  }
  const toolSpans: Record<string, Span> = {};
  for (const [index, tool] of tools.entries())
    toolSpans[tool] = field('tools')?.itemSpans?.[index] ?? field('tools')?.span ?? parsed.frontMatterSpan;

  // Facts: the tools this AOP may call, plus what its sub-procedures establish.
  const factTools = new Set(tools);
  for (const subTools of context.subprocedureTools?.values() ?? [])
    for (const tool of subTools) factTools.add(tool);
  // Computed facts and free-text answers join the environment as their steps define them.
  const environment = new Map(buildFactEnvironment(context.catalogue, factTools));

  const stepIds = parsed.steps.map((step) => step.explicitId ?? slugify(step.text.text));
  const numbers = new Map<number, string>();
  for (const [index, step] of parsed.steps.entries()) numbers.set(step.number, stepIds[index]!);
  // Slots asked so far, in source order: a later ask may choose per record of an earlier choice.
  const asked = new Map<string, Slot>();
  const steps: Step[] = parsed.steps.map((raw, index) =>
    buildStep(raw, stepIds[index]!, {
      environment,
      catalogue: context.catalogue,
      aopIds: context.aopIds,
      numbers,
      stepIds: new Set(stepIds),
      diagnostics,
      asked,
      define: (name, schema, description) => {
        if (environment.has(name)) return;
        environment.set(name, { name, schema, slot: false, producedBy: [], consumedBy: [], description });
      },
    }),
  );

  dropUnprovidedOptionalArguments(steps, context);

  const aop: Aop = {
    kind,
    id: id ?? 'unnamed',
    title: title ?? '',
    when: when ?? '',
    ...(field('when') ? { whenSpan: field('when')!.span } : {}),
    ...(examples ? { examples } : {}),
    channels,
    tools,
    file: parsed.file,
    sourceHash: parsed.sourceHash,
    span: parsed.frontMatterSpan,
    toolSpans,
    steps,
  };
  return { aop, diagnostics };

  function stringField(key: string, pattern: RegExp | null, allowed: string): string | null {
    const entry = field(key);
    // A front matter that did not parse has already been reported; "missing id" would be noise (or false).
    if (!entry && frontMatterBroken) return null;
    if (
      !entry ||
      typeof entry.value !== 'string' ||
      entry.value.trim() === '' ||
      (pattern && !pattern.test(entry.value))
    ) {
      diagnostics.push(
        error(
          DiagnosticCodes.invalidFrontMatter,
          entry?.span ?? parsed.frontMatterSpan,
          entry
            ? `Front matter "${key}" is ${JSON.stringify(entry.value)}.`
            : `Front matter is missing "${key}".`,
          `Give "${key}" ${allowed}.`,
        ),
      );
      return typeof entry?.value === 'string' ? entry.value : null;
    }
    return entry.value.trim();
  }

  /** `examples`: a few ways customers ask for the procedure, each a non-empty sentence. */
  function examplesField(): { text: string; span: Span }[] | null {
    const entry = field('examples');
    if (!entry) return null;
    if (
      Array.isArray(entry.value) &&
      entry.value.length > 0 &&
      entry.value.every((item) => typeof item === 'string' && item.trim() !== '')
    ) {
      return (entry.value as string[]).map((text, index) => ({
        text: text.trim(),
        span: entry.itemSpans?.[index] ?? entry.span,
      }));
    }
    diagnostics.push(
      error(
        DiagnosticCodes.invalidFrontMatter,
        entry.span,
        `Front matter "examples" must be a list of phrasings; found ${JSON.stringify(entry.value)}.`,
        'Write one customer phrasing per line: examples: ["cancel my order", "i ordered it by mistake"].',
      ),
    );
    return null;
  }

  function listField(key: string, fallback: string[]): string[] {
    const entry = field(key);
    if (!entry) return fallback;
    if (Array.isArray(entry.value) && entry.value.every((item) => typeof item === 'string'))
      return entry.value as string[];
    diagnostics.push(
      error(
        DiagnosticCodes.invalidFrontMatter,
        entry.span,
        `Front matter "${key}" must be a list of names; found ${JSON.stringify(entry.value)}.`,
        `Write it as ${key}: [a, b].`,
      ),
    );
    return fallback;
  }
}

interface StepContext {
  readonly environment: FactEnvironment;
  readonly catalogue: ToolCatalogue;
  readonly aopIds: ReadonlySet<string>;
  readonly numbers: ReadonlyMap<number, string>;
  readonly stepIds: ReadonlySet<string>;
  /** Problems found while reading a step that no rule could see in the IR (an unclosed quoted argument). */
  readonly diagnostics: Diagnostic[];
  /** Slots asked by the steps before this one (and this one's earlier asks), by name. */
  readonly asked: Map<string, Slot>;
  /** Adds a fact the procedure itself defines (a computed fact, a free-text answer). */
  define(name: string, schema: JsonSchema, description: string): void;
}

function buildStep(raw: RawStep, stepId: string, context: StepContext): Step {
  let counter = 0;
  const nextId = (prefix: string) => `${prefix}.${++counter}`;
  let confirmation: string | null = null;
  let lastAsk: Extract<Action, { kind: 'ask' }> | null = null;
  /** Whether a "Work out … from this table" read the table written under the step. */
  let tableUsed = false;

  const ref = (phrase: Located, slotsOnly = false): FactRef => {
    const resolution = resolveFact(phrase.text, context.environment, { slotsOnly });
    return { phrase: phrase.text, span: spanOf(phrase), ...resolution };
  };
  const conditionContext = (): ConditionContext => ({
    ref: (phrase) => ref(phrase),
    confirmation,
    producedBy: (tool) => context.catalogue.get(tool)?.produces ?? null,
    refForFact: (fact, at) => ({
      phrase: at.text,
      span: spanOf(at),
      fact,
      path: [],
      candidates: [],
      problem: context.environment.has(fact) ? null : 'unknown',
    }),
  });

  const sentencesToActions = (sentences: Located[], prefix: string): Action[] => {
    const actions: Action[] = [];
    for (const sentence of sentences) {
      const constraint =
        /^(?:it|the (?:answer|value|reason)|this) (?:must|has to|should|can only) be (?:one of )?(.+)$/i.exec(
          sentence.text,
        );
      if (constraint && lastAsk && lastAsk.slots.length > 0) {
        const values = parseValueList(constraint[1]!);
        const slot = lastAsk.slots[lastAsk.slots.length - 1]!;
        if (values) {
          slot.allowed = values;
          slot.allowedSpan = spanOf(sentence);
          continue;
        }
      }
      const clauses = splitClauses(sentence).flatMap(splitAskFromCall);
      for (const [index, clause] of clauses.entries()) {
        const action = clauseToAction(clause, nextId(prefix));
        // "Explain X, and ask the customer to confirm": the explanation is what gets confirmed.
        const previous = actions[actions.length - 1];
        if (action.kind === 'confirm' && index > 0 && previous?.kind === 'say' && !firstQuote(clause.text)) {
          actions.pop();
          actions.push({
            ...action,
            text: previous.text,
            exact: previous.exact,
            refs: previous.refs,
            span: mergeSpans(previous.span, action.span),
          });
          confirmation = action.id;
          continue;
        }
        actions.push(action);
      }
    }
    return actions;
  };

  /**
   * "Ask for the order id to look it up with @get_order" is an ask, then a call: read whole, the
   * `@tool` made it a call and the ask was lost. Split only where the words before the joining word
   * are an ask that names facts, so "Request the exchange with @tool" stays one call.
   */
  const splitAskFromCall = (clause: Located): Located[] => {
    const text = clause.text;
    if (
      !/^(?:(?:then|and|also|next|finally|please|politely)\s+)?(?:ask|collect|request|get|find out|obtain)\b/i.test(
        text,
      )
    )
      return [clause];
    const tool = indexOutside(text, /@[a-z]/i);
    if (!tool) return [clause];
    const join = indexOutside(text.slice(0, tool.index), /\s+(?:so(?: that)?|in order to|to)\s+/i);
    if (!join) return [clause];
    const ask = trim(slice(clause, 0, join.index), /[.,;:\s]/);
    const rest = trim(slice(clause, join.index + join.length));
    const body = ask.text.replace(/^(?:then|and|also|next|finally|please|politely)\s+/i, '');
    const probe = buildAsk(slice(ask, ask.text.length - body.length), 'probe', spanOf(ask));
    const namesFacts = probe?.slots.every((slot) => slot.ref.fact !== null && slot.ref.problem === null);
    return namesFacts ? [ask, rest] : [clause];
  };

  const clauseToAction = (clause: Located, id: string): Action => {
    const text = clause.text.replace(/^(?:then|and|also|next|finally|please|politely)\s+/i, '');
    const offset = clause.text.length - text.length;
    const body = slice(clause, offset);
    const lower = text.toLowerCase();
    const span = spanOf(clause);

    const goto =
      /^(?:go|loop|jump|return|start again|repeat)(?:\s+back)?\s+(?:to|from)?\s*step\s+(?<target>\d+|[a-z0-9-]+)(?:\s*\(?\s*(?:at most|no more than|up to|max(?:imum)?)\s+(?<max>\d+)\s+times?\s*\)?)?/i.exec(
        text,
      );
    if (goto) {
      const targetText = goto.groups!.target!;
      const target = /^\d+$/.test(targetText)
        ? (context.numbers.get(Number(targetText)) ?? `#${targetText}`)
        : targetText;
      return {
        kind: 'goto',
        id,
        span,
        target,
        targetText,
        max: goto.groups?.max ? Number(goto.groups.max) : null,
      };
    }
    // A dashed name is always a procedure; a one-word name only when a procedure has that id.
    const follow = [...text.matchAll(/@([a-z0-9]+(?:-[a-z0-9]+)*)\b/g)].find(
      (match) => context.aopIds.has(match[1]!) || match[1]!.includes('-'),
    );
    if (follow) {
      const start = offset + follow.index;
      return {
        kind: 'follow',
        id,
        span,
        aop: follow[1]!,
        aopSpan: spanOf(clause, start, start + follow[0].length),
      };
    }
    const call = /@([a-z][a-z0-9_]*)/.exec(text);
    if (call) {
      const start = offset + call.index;
      const action = buildCall(
        call[1]!,
        argumentsText(text.slice(call.index + call[0].length)),
        span,
        spanOf(clause, start, start + 1 + call[1]!.length),
        id,
        slice(clause, start),
      );
      const each =
        /^(?:look up|get|fetch|check|find|load)\s+each\s+of\s+(?<list>.+?)\s+(?:with|using|through|via)\s+@/i.exec(
          text,
        );
      return each && action.kind === 'call' ? eachCall(action, body, each.groups!.list!, text) : action;
    }
    if (
      /^(?:escalate|transfer|hand(?:\s+(?:it|this|the conversation|the customer|them))?\s+(?:over|off)|handoff|pass (?:it|the conversation) to)\b/i.test(
        text,
      )
    ) {
      const quote = firstQuote(text);
      const because = /\bbecause\s+(.+)$/i.exec(text);
      return {
        kind: 'escalate',
        id,
        span,
        reason: quote?.value ?? because?.[1] ?? 'The procedure hands this case to a human.',
      };
    }
    if (
      /^(?:end|stop|finish|close)(?:\s+(?:the conversation|here|the procedure|this procedure))?$/i.test(text)
    ) {
      return { kind: 'end', id, span };
    }
    if (
      /^(?:confirm\b|get (?:explicit )?confirmation|ask (?:the customer |them |the user )?(?:to (?:explicitly )?confirm|for (?:explicit |their )?confirmation|whether (?:they want )?to proceed|if (?:they want|we should) (?:to )?proceed))/i.test(
        lower,
      )
    ) {
      confirmation = id;
      const quote = firstQuote(text);
      const rest =
        /^(?:confirm|ask[^,]*?confirm)(?:\s+with the customer)?(?:\s+that)?[:\s]*(.*)$/i.exec(text)?.[1] ??
        '';
      return { kind: 'confirm', id, span, ...sayText(body, quote, rest) };
    }
    const compute = COMPUTE_SENTENCE.exec(text) ?? LET_SENTENCE.exec(text);
    if (compute) return buildCompute(body, compute, id, span);
    const freeText = buildFreeText(body, id, span);
    if (freeText) return freeText;
    if (/^(?:ask|collect|request|get|find out|obtain)\b/i.test(text)) {
      const action = buildAsk(body, id, span);
      if (action) {
        lastAsk = action;
        return action;
      }
    }
    if (
      /^(?:tell|say|inform|explain|let|reply|respond|answer|show|give|share|apologi[sz]e|list|describe|summari[sz]e|remind|offer|thank|greet)\b/i.test(
        text,
      )
    ) {
      const quote = firstQuote(text);
      const rest =
        /^(?:tell|say|inform|explain|let|reply|respond|answer|show|give|share|list|describe|summari[sz]e|remind|offer)\s*(?:to\s+)?(?:the customer|them|the user|him|her)?\s*(?:know\s+)?(?:that\s+)?[:,]?\s*(.*)$/i.exec(
          text,
        )?.[1] ?? text;
      return { kind: 'say', id, span, ...sayText(body, quote, rest) };
    }
    return { kind: 'unknown', id, span, text: clause.text };
  };

  /**
   * `Look up each of the user's orders with @get_order_details (at most 10)`: the read tool is called
   * once per id of the list, passed as the tool's one required parameter; the results are the list
   * fact named after what the tool produces, in the plural (`orders`). AOP032 when the list is not a
   * list of ids, the tool is not a read taking one id, or the bound is over MAX_EACH.
   */
  const eachCall = (
    action: Extract<Action, { kind: 'call' }>,
    clause: Located,
    listText: string,
    text: string,
  ): Action => {
    const at = clause.text.indexOf(listText);
    const list = ref(slice(clause, at, at + listText.length));
    const declaration = context.catalogue.get(action.tool);
    const required = declaration ? toolParameters(declaration).filter((parameter) => parameter.required) : [];
    const arg = declaration?.effect === 'read' && required.length === 1 ? required[0]!.name : null;
    const bound = /\bat most\s+(\d+)/i.exec(text.slice(text.indexOf('@')));
    const max = bound ? Number(bound[1]) : DEFAULT_EACH;
    const into = action.produces
      ? action.produces.endsWith('s')
        ? `${action.produces}_list`
        : `${action.produces}s`
      : 'results';
    const listSchema = list.fact
      ? schemaAt(context.environment.get(list.fact)?.schema ?? {}, list.path)
      : undefined;
    const items = listSchema?.type === 'array' ? (listSchema.items as JsonSchema | undefined) : undefined;
    const problem =
      list.problem !== null
        ? null // AOP004/AOP005 report the phrase
        : items?.type !== 'string'
          ? `"${listText}" is not a list of ids (it is ${listSchema?.type ?? 'unknown'}).`
          : arg === null
            ? `@${action.tool} is not a look-up that takes one id, so it cannot be called for each of them.`
            : max > MAX_EACH || max < 1
              ? `At most ${MAX_EACH} calls may be made for one list; this step asks for ${max}.`
              : null;
    if (problem) {
      context.diagnostics.push(
        error(
          DiagnosticCodes.unboundedForEach,
          bound
            ? spanOf(clause, clause.text.indexOf(bound[0]), clause.text.indexOf(bound[0]) + bound[0].length)
            : list.span,
          problem,
          `Look up each of a list of ids with a read tool that takes one of them, at most ${MAX_EACH} times: "Look up each of the user's orders with @get_order_details (at most 10)."`,
        ),
      );
    }
    const output = action.produces ? context.environment.get(action.produces)?.schema : undefined;
    context.define(into, { type: 'array', items: output ?? {} }, `each of ${listText}, looked up`);
    const args = { ...action.args };
    if (arg) delete args[arg];
    return { ...action, args, each: { list, arg, max, stated: bound !== null, into } };
  };

  /**
   * Free text: "Ask the customer to describe the damage", "Ask for the reason in their own words". The
   * answer is the customer's message as written (encrypted like all customer text), a fact named
   * `damage_description` / `reason_text` that replies and tool arguments may use; conditions may not
   * test it (AOP028): what the customer typed is not a value the procedure can decide on.
   */
  const buildFreeText = (
    clause: Located,
    id: string,
    span: Span,
  ): Extract<Action, { kind: 'ask' }> | null => {
    const match =
      /^ask\s+(?:the customer|them|the user)\s+to\s+(?<verb>describe|explain)\s+(?<thing>.+?)(?:\s+in\s+(?:their|his|her)\s+own\s+words)?$/i.exec(
        clause.text,
      ) ??
      /^ask\s+(?:the customer\s+|them\s+|the user\s+)?for\s+(?<thing>.+?)\s+in\s+(?:their|his|her|the customer's)\s+own\s+words$/i.exec(
        clause.text,
      );
    if (!match) return null;
    const thing = match.groups!.thing!;
    const verb = match.groups?.verb?.toLowerCase();
    const base = computedName(thing);
    const taken = context.environment.has(base) && context.environment.get(base)!.description !== thing;
    const name =
      verb === 'describe'
        ? `${base}_description`
        : verb === 'explain'
          ? `${base}_explanation`
          : taken
            ? `${base}_text`
            : base;
    const at = clause.text.indexOf(thing);
    const description = `${verb ? `The customer's ${verb === 'describe' ? 'description' : 'explanation'} of ${thing}` : capitalise(thing)}, in their own words: copy the message verbatim, do not summarise.`;
    const schema = { type: 'string', minLength: 1, [FREE_TEXT]: true, description };
    context.define(name, schema, description);
    const slot: Slot = {
      name,
      ref: {
        phrase: thing,
        span: spanOf(clause, at, at + thing.length),
        fact: name,
        path: [],
        candidates: [],
        problem: null,
      },
      description,
      schema,
      options: null,
      describedBy: null,
      allowed: null,
      allowedSpan: null,
    };
    context.asked.set(name, slot);
    const action: Extract<Action, { kind: 'ask' }> = {
      kind: 'ask',
      id,
      span,
      slots: [slot],
      groups: [[name]],
    };
    lastAsk = action;
    return action;
  };

  /**
   * A computed fact's own words must name it: "the current payment method" reads as `payment_method_id`
   * ("current" is a filler word), so a later "{current_payment_method}" would work but "the current
   * payment method" in a condition would silently test another fact.
   */
  const unreachableName = (phrase: string, name: string, span: Span) => {
    const resolved = resolveFact(phrase, context.environment);
    if (resolved.fact === name && resolved.path.length === 0) return;
    context.diagnostics.push(
      error(
        DiagnosticCodes.invalidComputation,
        span,
        `"${phrase}" would be read as ${resolved.fact ? `${[resolved.fact, ...resolved.path].join('.')}` : 'another fact'}, not as the computed fact ${name}.`,
        'Name it with words no other fact takes and without filler words (the, current, my, of …): e.g. "the method paid with", "the total refund".',
      ),
    );
  };

  /**
   * `Work out <name>: <expression>` (computations.ts) or `Work out <name> from this table:` with a
   * decision table under the step (tables.ts). The name becomes a fact of this procedure.
   */
  const buildCompute = (
    clause: Located,
    match: RegExpExecArray,
    id: string,
    span: Span,
  ): Extract<Action, { kind: 'compute' }> => {
    const phrase = match.groups!.name!.trim();
    const name = computedName(phrase);
    const exprText = match.groups!.expr ?? '';
    const nameAt = clause.text.indexOf(match.groups!.name!);
    const nameSpan = spanOf(clause, nameAt, nameAt + phrase.length);
    const base = { kind: 'compute' as const, id, span, name, phrase };
    const existing = context.environment.get(name);
    if (existing && existing.producedBy.length + existing.consumedBy.length > 0) {
      context.diagnostics.push(
        error(
          DiagnosticCodes.invalidComputation,
          nameSpan,
          `"${phrase}" is already a fact of the tools (${name}); a computed fact needs a name of its own.`,
          `Name it after what it means, e.g. "the total refund" or "the ${name.replaceAll('_', ' ')} due".`,
        ),
      );
    }
    if (exprText.trim() === '' && raw.table) {
      tableUsed = true;
      const parsed = parseTable(raw.table, conditionContext(), name);
      context.diagnostics.push(...parsed.diagnostics);
      if (parsed.diagnostics.length === 0) {
        context.diagnostics.push(
          ...checkTable(
            parsed.table,
            (column) =>
              column.fact
                ? schemaAt(context.environment.get(column.fact)?.schema ?? {}, column.path)
                : undefined,
            spanOf(raw.table[0]!),
          ),
        );
      }
      context.define(name, parsed.schema, phrase);
      unreachableName(phrase, name, nameSpan);
      return { ...base, expr: parsed.expr, schema: parsed.schema, table: parsed.table };
    }
    try {
      const exprAt = trim(slice(clause, clause.text.length - exprText.length));
      const computed = parseComputation(exprAt, {
        ref: (at) => ref(at),
        schemaOf: (reference) =>
          reference.fact
            ? schemaAt(context.environment.get(reference.fact)?.schema ?? {}, reference.path)
            : undefined,
        asked: context.asked,
      });
      context.define(name, computed.schema, phrase);
      unreachableName(phrase, name, nameSpan);
      return { ...base, expr: computed.expr, schema: computed.schema };
    } catch (problem) {
      if (!(problem instanceof ExpressionProblem)) throw problem;
      context.diagnostics.push(expressionDiagnostic(problem));
      context.define(name, {}, phrase);
      return { ...base, expr: null, schema: {} };
    }
  };

  const sayText = (clause: Located, quote: ReturnType<typeof firstQuote>, rest: string) => {
    // "Tell the customer the status, the items and the tracking number of the order": a sentence per fact.
    const listed = quote ? null : factListSentence(rest, context.environment);
    if (listed) {
      const at = Math.max(0, clause.text.indexOf(rest.trim()));
      const refs = listed.facts.map(
        (fact): FactRef => ({
          phrase: fact.phrase,
          span: spanOf(clause, at + fact.start, at + fact.end),
          ...fact.resolution,
        }),
      );
      // Said exactly as built: nothing rewords it.
      return { text: listed.text, exact: true, refs };
    }
    const text = quote ? quote.value : capitalise(rest.trim());
    const refs: FactRef[] = [];
    for (const placeholder of text.matchAll(/\{([^}]+)\}/g)) {
      const at = clause.text.indexOf(placeholder[0]);
      const located = at >= 0 ? slice(clause, at + 1, at + placeholder[0].length - 1) : clause;
      let reference = ref({ ...located, text: placeholder[1]! });
      if (reference.problem === 'unknown') {
        // `{order.fulfillments.tracking_id}`: a placeholder may read a field through a list (all of them).
        const through = resolveFact(placeholder[1]!, context.environment, { throughLists: true });
        if (through.problem === null) reference = { ...reference, ...through };
      }
      // `{new_item_ids.price_difference}`: what the chosen variants cost more or less, in words.
      const [base, derived, ...rest] = placeholder[1]!.split('.');
      const chosen = base ? context.asked.get(base) : undefined;
      if (derived === 'price_difference' && rest.length === 0 && chosen?.variants?.price) {
        refs.push({ ...reference, fact: chosen.name, path: [derived], candidates: [], problem: null });
        continue;
      }
      refs.push(reference);
    }
    return { text, exact: quote !== null, refs };
  };

  /**
   * A list of bare ids offered as choices is described by a read tool that takes one of them (the
   * slot) and is allowed here: the customer then chooses among descriptions, never among raw ids.
   */
  const describerOf = (slotName: string, options: FactRef): string | null => {
    const fact = options.fact ? context.environment.get(options.fact) : undefined;
    const list = fact ? schemaAt(fact.schema, options.path) : undefined;
    const items = list?.type === 'array' ? (list.items as Record<string, unknown> | undefined) : undefined;
    if (items?.type !== 'string') return null;
    for (const tool of context.environment.get(slotName)?.consumedBy ?? []) {
      const declaration = context.catalogue.get(tool);
      if (declaration?.effect !== 'read') continue;
      const required = toolParameters(declaration).filter((parameter) => parameter.required);
      if (required.length === 1 && required[0]!.name === slotName) return tool;
    }
    return null;
  };

  /**
   * `the available variants of the chosen items' products`: for each record chosen in an earlier ask
   * (the items), the variants of its product, looked up with the allowed read tool that takes the
   * record's `product_id`. What cannot be found is left null for AOP025 to report.
   */
  const variantsOf = (phrase: Located): Variants | null => {
    const match =
      /^(?:the\s+)?(other\s+)?(available\s+|in[- ]stock\s+)?(other\s+)?(?:variants|options|versions)\s+of\s+(?:the\s+|each\s+(?:of\s+the\s+)?)?(?:chosen|selected|picked)\s+([a-z][a-z ]*?)(?:'s|')?\s+([a-z]+)$/i.exec(
        phrase.text,
      );
    if (!match) return null;
    const singular = (word: string) => word.toLowerCase().trim().replace(/ /g, '_').replace(/s$/, '');
    const chosen = singular(match[4]!);
    const per =
      [...context.asked.values()].find(
        (slot) => slot.name === `${chosen}_ids` || slot.name === `${chosen}_id` || slot.name === `${chosen}s`,
      ) ?? null;
    const key = `${singular(match[5]!)}_id`;
    const value = (per?.name ?? `${chosen}_ids`).replace(/_ids$/, '_id').replace(/s$/, '');
    const recordFact = per?.options?.fact ? context.environment.get(per.options.fact) : undefined;
    const list = recordFact && per?.options ? schemaAt(recordFact.schema, per.options.path) : undefined;
    const record = list?.type === 'array' ? (list.items as JsonSchema | undefined) : undefined;
    const recordFields = record ? propertiesOf(record) : {};
    let tool: string | null = null;
    for (const candidate of context.environment.get(key)?.consumedBy ?? []) {
      const declaration = context.catalogue.get(candidate);
      if (declaration?.effect !== 'read') continue;
      const required = toolParameters(declaration).filter((parameter) => parameter.required);
      if (required.length === 1 && required[0]!.name === key) tool = candidate;
    }
    // The variants: a list (or a map) in the tool's result whose records carry the value field.
    const output = tool ? context.environment.get(context.catalogue.get(tool)?.produces ?? '') : undefined;
    let variantsList: string | null = null;
    let variantFields: Record<string, JsonSchema> = {};
    for (const [name, field] of Object.entries(output ? propertiesOf(output.schema) : {})) {
      const entry =
        field.type === 'array'
          ? (field.items as JsonSchema | undefined)
          : field.type === 'object' && typeof field.additionalProperties === 'object'
            ? (field.additionalProperties as JsonSchema)
            : undefined;
      const fields = entry ? propertiesOf(entry) : {};
      if (value in fields) {
        variantsList = name;
        variantFields = fields;
        break;
      }
    }
    const onlyAvailable = match[2] !== undefined;
    const others = match[1] !== undefined || match[3] !== undefined;
    const available =
      Object.entries(variantFields).find(
        ([name, field]) => field.type === 'boolean' && /avail|in_?stock/i.test(name),
      )?.[0] ?? null;
    const price =
      Object.entries(variantFields).find(
        ([name, field]) =>
          field.type === 'number' && /price/i.test(name) && recordFields[name]?.type === 'number',
      )?.[0] ?? null;
    return {
      per: per?.name ?? `${chosen}_ids`,
      records: per && key in recordFields ? per.options : null,
      key,
      tool,
      list: variantsList,
      value,
      available: onlyAvailable ? available : null,
      price,
      onlyAvailable,
      others,
      span: spanOf(phrase),
      phrase: phrase.text,
    };
  };

  /**
   * One record offered by `offering …`: a record (`the user address`, optionally `as "your default
   * address"`) or a list of records holding one (`the addresses of the orders`, `the orders`), each
   * resolved through lists. What it cannot find is left null for AOP023 to report.
   */
  const offerOf = (phrase: Located, asked: readonly string[]): Offer => {
    const named = /^(.*?)\s+as\s+["“]([^"”]+)["”]$/i.exec(phrase.text);
    const words = named ? trim(slice(phrase, 0, named[1]!.length)) : phrase;
    const resolution = resolveFact(words.text, context.environment, { throughLists: true });
    const ref: FactRef = { phrase: words.text, span: spanOf(words), ...resolution };
    const label = named ? named[2]!.trim() : null;
    const fact = resolution.fact ? context.environment.get(resolution.fact) : undefined;
    if (!fact || resolution.problem) return { ref, label, list: null, field: [], id: null, fields: null };
    const isList = (schema: JsonSchema) => schema.type === 'array' && typeof schema.items === 'object';
    let list: string[] | null = isList(fact.schema) ? [] : null;
    let current: JsonSchema | undefined = elementOf(fact.schema);
    // The path up to the list (if it goes through one), then the field inside each of its records.
    const field: string[] = [];
    for (const [index, key] of resolution.path.entries()) {
      current = current ? propertiesOf(current)[key] : undefined;
      if (!current) break;
      if (list === null && isList(current)) {
        list = resolution.path.slice(0, index + 1);
        field.length = 0;
      } else field.push(key);
      current = elementOf(current);
    }
    // `the orders`: the one field of each record that holds every asked fact (`address`).
    const holds = (schema: JsonSchema) => asked.every((name) => name in propertiesOf(schema));
    if (current && !holds(current)) {
      const inner = Object.entries(propertiesOf(current)).filter(([, sub]) => holds(elementOf(sub)));
      if (inner.length === 1) {
        field.push(inner[0]![0]);
        current = elementOf(inner[0]![1]);
      }
    }
    const fields = current
      ? Object.entries(propertiesOf(current))
          .filter(([, sub]) => sub.type === 'string')
          .map(([name]) => name)
      : [];
    let id: string | null = null;
    if (list !== null) {
      const element = elementOf(schemaAt(fact.schema, list) ?? fact.schema);
      const names = Object.keys(propertiesOf(element));
      const noun = (list.at(-1) ?? resolution.fact!).replace(/s$/, '');
      id =
        [`${noun}_id`, 'id'].find((name) => names.includes(name)) ??
        names.find((name) => name.endsWith('_id')) ??
        null;
    }
    return { ref, label, list, field, id, fields };
  };

  const buildAsk = (whole: Located, id: string, span: Span): Extract<Action, { kind: 'ask' }> | null => {
    // `Ask for the payment method id, choosing from …: "Which card should settle {x}?"`: the author's
    // own question, said instead of the one made from the facts (its placeholders are checked as a
    // Tell's are). Only a quote after a colon at the end: `offering … as "your default address"` is not one.
    const asked = /:\s*"([^"]*)"\s*\.?\s*$/.exec(whole.text);
    let question: { text: string; refs: FactRef[] } | undefined;
    let clause = whole;
    if (asked && asked[1]!.trim() !== '') {
      const at = asked.index + asked[0].indexOf('"') + 1;
      const said = sayText(whole, { value: asked[1]!, start: at, end: at + asked[1]!.length }, '');
      question = { text: said.text, refs: said.refs };
      clause = slice(whole, 0, asked.index);
    }
    let body = clause.text.replace(
      /^(?:ask|collect|request|get|find out|obtain)\s+(?:the customer|them|the user|for)?\s*(?:for\s+)?(?:which|what|whether)?\s*/i,
      '',
    );
    const offset = clause.text.length - body.length;
    let options: FactRef | null = null;
    let variants: Variants | null = null;
    let offered: Located[] = [];
    const offering = indexOutside(body, /,?\s+offering\s+/i);
    if (offering) {
      const offeredAt = trim(slice(clause, offset + offering.index + offering.length), /[.\s]/);
      offered = splitOutside(offeredAt, /\s*,\s*(?:and\s+)?|\s+and\s+/i);
      body = body.slice(0, offering.index);
    }
    const choosing = indexOutside(body, /,?\s+(?:choosing|chosen|picked|selected)?\s*(?:from|among)\s+/i);
    if (choosing) {
      const optionsStart = offset + choosing.index + choosing.length;
      const phrase = trim(slice(clause, optionsStart), /[.\s]/);
      variants = variantsOf(phrase);
      if (!variants) options = ref(phrase);
      body = body.slice(0, choosing.index);
    }
    const cut = /\s+(?:they|the customer|he|she|that|to|who|which|so|because|if)\s/i.exec(body);
    if (cut) body = body.slice(0, cut.index);
    const located = trim(slice(clause, offset, offset + body.length));
    const alternatives = splitOutside(located, /,?\s+or\s+(?:for\s+)?/i);
    const slots: Slot[] = [];
    const groups: string[][] = [];
    for (const alternative of alternatives) {
      const phrases = splitOutside(alternative, /\s*,\s*(?:and\s+)?|\s+and\s+/i);
      const group: string[] = [];
      for (const phrase of phrases) {
        const reference = ref(phrase, true);
        const fact = reference.fact ? context.environment.get(reference.fact) : undefined;
        const name = reference.fact ?? phrase.text;
        group.push(name);
        if (slots.some((slot) => slot.name === name)) continue;
        slots.push({
          name,
          ref: reference,
          description: fact?.description ?? phrase.text,
          schema: fact?.schema ?? {},
          options,
          describedBy: options ? describerOf(name, options) : null,
          ...(variants ? { variants } : {}),
          allowed: null,
          allowedSpan: null,
        });
      }
      if (group.length > 0) groups.push(group);
    }
    if (slots.length === 0) return null;
    if (offered.length > 0) {
      const offers = offered.map((phrase) =>
        offerOf(
          phrase,
          slots.map((slot) => slot.name),
        ),
      );
      for (const slot of slots) slot.offers = offers;
    }
    for (const slot of slots) context.asked.set(slot.name, slot);
    return { kind: 'ask', id, span, slots, groups, ...(question ? { question } : {}) };
  };

  const buildCall = (
    tool: string,
    argsText: string | null,
    span: Span,
    toolSpan: Span,
    id: string,
    at: Located,
  ): Action => {
    const declaration = context.catalogue.get(tool);
    const args: Record<string, Argument> = {};
    const explicit = new Map<string, Argument>();
    if (argsText !== null) {
      const open = at.text.indexOf('(');
      const inner = slice(at, open + 1, open + 1 + argsText.length);
      for (const part of splitOutside(inner, /,/)) {
        const binding = /^([a-z_][a-z0-9_]*)\s*[:=]\s*(.+)$/i.exec(part.text);
        if (!binding) continue;
        const valueText = binding[2]!.trim();
        const valueStart = part.text.indexOf(valueText);
        // Quoted text is literal, whatever it holds (commas, "and", "or", parentheses).
        const quoted = /^"([^"]*)"$|^“([^”]*)”$/.exec(valueText);
        if (/^["“]/.test(valueText) && !quoted) {
          context.diagnostics.push(
            error(
              DiagnosticCodes.mistypedArgument,
              spanOf(part, valueStart, valueStart + 1),
              `The quoted value of "${binding[1]}" is not closed where the value ends: ${valueText}`,
              `Quoted text is taken literally; close it with a matching quote before the next "," or ")", e.g. ${binding[1]}: "late, and damaged (box)".`,
            ),
          );
          explicit.set(binding[1]!, { source: 'literal', value: valueText.replace(/^["“]|["”]$/g, '') });
          continue;
        }
        const literal = quoted
          ? (quoted[1] ?? quoted[2] ?? '')
          : /^-?\d/.test(valueText)
            ? parseValue(valueText)
            : undefined;
        if (literal !== undefined) explicit.set(binding[1]!, { source: 'literal', value: literal });
        else {
          explicit.set(binding[1]!, {
            source: 'fact',
            ref: ref(slice(part, valueStart, valueStart + valueText.length)),
            explicit: true,
          });
        }
      }
    }
    if (declaration) {
      for (const parameter of toolParameters(declaration)) {
        const given = explicit.get(parameter.name);
        if (given) args[parameter.name] = given;
        else if (context.environment.has(parameter.name)) {
          args[parameter.name] = {
            source: 'fact',
            ref: {
              phrase: parameter.name,
              span: toolSpan,
              fact: parameter.name,
              path: [],
              candidates: [],
              problem: null,
            },
            explicit: false,
          };
        } else if (parameter.required) args[parameter.name] = { source: 'missing' };
      }
    }
    for (const [name, value] of explicit) if (!(name in args)) args[name] = value;
    return {
      kind: 'call',
      id,
      span,
      tool,
      toolSpan,
      args,
      produces: declaration?.produces ?? null,
      effect: declaration?.effect ?? null,
    };
  };

  // A step that opens with "If …" is a conditional step: the whole step is the branch body.
  const sentences = splitSentences(raw.text);
  const first = sentences[0];
  let actions: Action[];
  if (first && /^if\s/i.test(first.text)) {
    const branch = conditionalBranch(first, sentences.slice(1), stepId);
    actions = [
      { kind: 'if', id: `${stepId}.if`, span: raw.span, branches: branch ? [branch] : [], otherwise: null },
    ];
    if (!branch) actions = [{ kind: 'unknown', id: `${stepId}.1`, span: spanOf(first), text: first.text }];
  } else {
    actions = sentencesToActions(sentences, stepId);
  }

  // Bullets are branches: "If …, …" (first match wins) and "Otherwise, …".
  if (raw.branches.length > 0) {
    const existing = actions.length === 1 && actions[0]!.kind === 'if' ? actions[0] : null;
    const target: Extract<Action, { kind: 'if' }> = existing ?? {
      kind: 'if',
      id: `${stepId}.branches`,
      span: raw.branches[0]!.span,
      branches: [],
      otherwise: null,
    };
    for (const [index, bullet] of raw.branches.entries()) {
      const bulletSentences = splitSentences(bullet.text);
      const head = bulletSentences[0];
      if (!head) continue;
      const otherwise = /^(?:otherwise|else|if not)\b[,:]?\s*/i.exec(head.text);
      if (otherwise) {
        const rest = trim(slice(head, otherwise[0].length));
        target.otherwise = sentencesToActions(
          rest.text ? [rest, ...bulletSentences.slice(1)] : bulletSentences.slice(1),
          `${stepId}.else`,
        );
        continue;
      }
      const branch = /^if\s/i.test(head.text)
        ? conditionalBranch(head, bulletSentences.slice(1), `${stepId}.b${index + 1}`)
        : null;
      if (branch) target.branches.push(branch);
      else
        target.branches.push({
          when: { kind: 'and', items: [] },
          then: [
            { kind: 'unknown', id: `${stepId}.b${index + 1}.1`, span: bullet.span, text: bullet.text.text },
          ],
          span: bullet.span,
        });
    }
    if (target.branches.length === 0 && target.otherwise) {
      // "Otherwise" with no "If" before it has nothing to be the otherwise of.
      const bullet = raw.branches.find((b) => /^(?:otherwise|else|if not)\b/i.test(b.text.text))!;
      target.branches.push({
        when: { kind: 'and', items: [] },
        then: [{ kind: 'unknown', id: `${stepId}.else.1`, span: bullet.span, text: bullet.text.text }],
        span: bullet.span,
      });
      target.otherwise = null;
    }
    if (!existing) actions.push(target);
  }
  if (raw.table && !tableUsed) {
    context.diagnostics.push(
      error(
        DiagnosticCodes.invalidComputation,
        spanOf(raw.table[0]!),
        'This table is not read: no "Work out … from this table" in its step.',
        'Start the step with "Work out <the fact> from this table:" and put the table right under it.',
      ),
    );
  }
  return {
    id: stepId,
    explicitId: raw.explicitId !== null,
    number: raw.number,
    text: raw.text.text,
    span: raw.span,
    actions,
  };

  function conditionalBranch(head: Located, rest: Located[], prefix: string) {
    const body = trim(slice(head, head.text.search(/\s/) + 1));
    // The condition ends at the first ", " / " then " / ": " after which actions follow.
    const mask = body.text;
    for (const separator of [/,\s*then\s+/i, /:\s+/, /,\s+/, /\s+then\s+/i]) {
      let from = 0;
      for (;;) {
        const found = indexOutside(mask, separator, from);
        if (!found) break;
        from = found.index + 1;
        const conditionText = trim(slice(body, 0, found.index));
        const actionText = trim(slice(body, found.index + found.length));
        const firstWord = /^[a-z@]+/i.exec(actionText.text)?.[0]?.toLowerCase() ?? '';
        if (!firstWord) continue;
        const condition = parseCondition(conditionText, conditionContext());
        if (!condition) continue;
        const then = sentencesToActions([actionText, ...rest], prefix);
        if (then.every((action) => action.kind === 'unknown')) continue;
        return { when: condition, then, span: spanOf(head) };
      }
    }
    return null;
  }
}

/**
 * An optional parameter bound by name is kept only when something in the procedure (an ask, a tool
 * result, a sub-procedure's tools) provides that fact; otherwise it is left out of the call instead of
 * being read from a fact nothing ever sets (a false "used before known", and a failing path at run time).
 */
function dropUnprovidedOptionalArguments(steps: readonly Step[], context: BuildContext) {
  const provided = new Set<string>();
  for (const tools of context.subprocedureTools?.values() ?? [])
    for (const tool of tools) {
      const declaration = context.catalogue.get(tool);
      if (declaration) provided.add(declaration.produces);
    }
  const calls: Extract<Action, { kind: 'call' }>[] = [];
  for (const step of steps)
    for (const action of walkActions(step.actions)) {
      if (action.kind === 'ask') for (const slot of action.slots) provided.add(slot.name);
      if (action.kind === 'call') {
        calls.push(action);
        if (action.produces) provided.add(action.produces);
      }
    }
  for (const call of calls) {
    const declaration = context.catalogue.get(call.tool);
    if (!declaration) continue;
    for (const parameter of toolParameters(declaration)) {
      const argument = call.args[parameter.name];
      if (
        !parameter.required &&
        argument?.source === 'fact' &&
        !argument.explicit &&
        !provided.has(parameter.name)
      )
        delete call.args[parameter.name];
    }
  }
}

/**
 * The text between `@tool(` and its `)`, or null when no `(` follows the name. The closing parenthesis
 * is the first one outside quotes and nested parentheses, so `note: "late (box)"` is one argument; with
 * a quote left open, the last `)` of the clause.
 */
function argumentsText(afterName: string): string | null {
  if (!afterName.startsWith('(')) return null;
  const inner = afterName.slice(1);
  const close = indexOutside(inner, /\)/);
  if (close) return inner.slice(0, close.index);
  const last = inner.lastIndexOf(')');
  return last >= 0 ? inner.slice(0, last) : null;
}

function isNameList(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** The catalogue's tools that the steps and bullets name with `@tool`, in order of first use. */
function toolsNamedIn(parsed: ParsedSource, context: BuildContext): string[] {
  const named = new Set<string>();
  for (const step of parsed.steps)
    for (const text of [step.text, ...step.branches.map((branch) => branch.text)])
      for (const match of text.text.matchAll(/@([a-z][a-z0-9_]*)/g))
        if (context.catalogue.has(match[1]!)) named.add(match[1]!);
  return [...named];
}

function capitalise(text: string): string {
  return text.length > 0 ? text[0]!.toUpperCase() + text.slice(1) : text;
}

function mergeSpans(a: Span, b: Span): Span {
  return { file: a.file, line: a.line, col: a.col, endLine: b.endLine, endCol: b.endCol };
}
