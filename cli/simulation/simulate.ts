import { compileProject } from '../../shared/aop/compile.ts';
import { conversationPolicy } from '../../shared/engine/repair.ts';
import { importTenant } from '../../shared/tenant/load.ts';
import { DEFAULT_MAX_REPEATS } from '../conversation-tests/format.ts';
import { loadProjects } from '../project.ts';
import { random } from './customer.ts';
import { type ConversationRun, type DriveContext, drive, type Plan } from './drive.ts';
import { judge } from './judge.ts';
import {
  coveredBy,
  type ProcedureTargets,
  REPAIR_PATTERNS,
  type RepairPattern,
  type Target,
  targetsOf,
} from './targets.ts';
import { startWorld } from './world.ts';

/**
 * `aop simulate`: simulated customers driven by each procedure's compiled graph.
 *
 * 1. Explore. For each procedure, conversations in plain words walk its decision tree breadth first:
 *    every choice the agent offers at each question (up to three, and the "all of them" of a list), a
 *    value on nobody's file, another customer's record, yes and no at each confirmation; over several
 *    customers of the tenant's real data, until every branch, loop bound and guard of the graph is
 *    covered or the budget is spent. A conversation that covers something new becomes a scenario; its
 *    run is the scenario's reference (its branches, write calls, data change and final status).
 * 2. Vary. Each scenario is run again as impatient customers type it (fillers, case, typos, other
 *    phrasings, another opening), each variant with one repair pattern at a question or at the
 *    confirmation, and each variant `k` times. A run passes when the agent understood every answer as
 *    meant, kept the repair pattern, took the reference's branches, made the same write calls with the
 *    same input, changed the same data the same way, ended the same way, and its log verifies.
 *
 * Every conversation runs on the local platform (DynamoDB Local, local Step Functions, the local model,
 * the tenant's tools) and its data change is put back after it, so each starts from the same data.
 */

export interface SimulateOptions {
  readonly aopsDir: string;
  /** Procedure ids; default every routable procedure of the tenant. */
  readonly aopIds?: readonly string[];
  readonly seed: number;
  /** Varied runs per scenario (default 4). */
  readonly variants: number;
  /** Each variant runs k times; a variant passes^k when every run passes (default 3). */
  readonly k: number;
  /** Exploration conversations per procedure at most (default 40). */
  readonly budget: number;
  /** Conversations at once (never two for the same customer). Default 4. */
  readonly concurrency: number;
  readonly dynamodbEndpoint?: string;
  readonly onProgress?: (progress: { phase: 'explore' | 'vary'; done: number; total: number }) => void;
}

export interface Failure {
  readonly aopId: string;
  readonly scenario: number;
  /** -1 for the exploration run itself. */
  readonly variant: number;
  readonly attempt: number;
  readonly pattern: RepairPattern | null;
  readonly problems: readonly string[];
  readonly transcript: ConversationRun['transcript'];
  /** An `aop test` file that sends the same messages and expects the reference's outcome. */
  readonly yaml: string;
}

export interface ProcedureReport {
  readonly aopId: string;
  readonly scenarios: number;
  readonly conversations: number;
  readonly explored: number;
  /** Variant runs: first attempts passing / variants. */
  readonly pass1: { readonly passed: number; readonly of: number };
  /** Variants whose k attempts all passed / variants. */
  readonly passK: { readonly passed: number; readonly of: number };
  /** Variants whose k attempts did not all give the same transcript (the deterministic runtime's promise: 0). */
  readonly unstable: number;
  readonly coverage: Record<Target['kind'], { readonly covered: number; readonly of: number }>;
  readonly uncovered: readonly Target[];
}

export interface SimulationReport {
  readonly tenant: string;
  readonly seed: number;
  readonly k: number;
  readonly procedures: readonly ProcedureReport[];
  readonly failures: readonly Failure[];
  readonly conversations: number;
  readonly durationMs: number;
  readonly conversationsPerSecond: number;
}

interface Scenario {
  readonly reference: ConversationRun;
  readonly covered: readonly string[];
}

export async function simulate(options: SimulateOptions): Promise<SimulationReport> {
  const started = performance.now();
  const { projects } = await loadProjects([options.aopsDir]);
  const project = projects[0];
  if (!project) throw new Error(`${options.aopsDir}: no tenant found (a folder with tenant.ts)`);
  const tenant = await importTenant(project.dir);
  const compiled = compileProject(project.sources, { catalogue: project.catalogue });
  const library = new Map(compiled.map((aop) => [aop.id, aop.ir]));
  const routable = compiled.filter((aop) => aop.ir.kind === 'procedure' && aop.manifest);
  const unknown = (options.aopIds ?? []).filter((id) => !routable.some((aop) => aop.id === id));
  if (unknown.length > 0)
    throw new Error(
      `no routable procedure ${unknown.join(', ')} (have: ${routable.map((aop) => aop.id).join(', ')})`,
    );
  const chosen = options.aopIds?.length
    ? routable.filter((aop) => options.aopIds!.includes(aop.id))
    : routable;
  const policy = tenant.conversation ?? conversationPolicy();
  const writeTools = new Set(
    [...project.catalogue].filter(([, tool]) => tool.effect === 'write').map(([name]) => name),
  );

  const world = await startWorld({
    aopsDir: project.dir,
    identityFact: tenant.identity.fact,
    ...(options.dynamodbEndpoint ? { dynamodbEndpoint: options.dynamodbEndpoint } : {}),
  });
  try {
    const rng = random(options.seed);
    const everyone = shuffled(world.customers, rng.next);
    // Customers named as someone else's (a record that is not yours) are not simulated themselves.
    const others = everyone.length > 40 ? everyone.slice(-20) : everyone.slice(-1);
    // The customers with the most records first: more orders and payment methods mean more choices,
    // and the branches their data decide (a second card, a gift card too small) are among them.
    const customers = everyone
      .slice(0, everyone.length - others.length)
      .map((customer, order) => ({ customer, order, records: recordsOf(customer) }))
      .sort((a, b) => b.records - a.records || a.order - b.order)
      .map((entry) => entry.customer);
    if (customers.length === 0)
      throw new Error(`no customers found in the table keyed by ${tenant.identity.fact}`);
    const context: DriveContext = { world, policy, writeTools, others };
    const pool = createPool(options.concurrency);
    const run = (plan: Plan) =>
      pool.run(String(plan.persona[tenant.identity.fact]), () => drive(plan, context));

    const procedures = chosen.map((aop) => ({
      aop,
      targets: targetsOf(aop.ir, library, project.catalogue, aop.manifest!.sourceMap),
      examples: (aop.ir.examples ?? []).map((example) => example.text),
    }));
    let explored = 0;
    const exploreTotal = procedures.length * options.budget;
    const explorations = await Promise.all(
      procedures.map(async ({ aop, targets, examples }, position) => {
        // Customers of its own per procedure (the pool runs one conversation per customer at a time).
        const mine = dealt(customers, position, procedures.length);
        // Each customer opens with another of the procedure's examples: what a first message says
        // (“something that was delivered”) can decide a choice before it is asked.
        const openings = examples.length > 0 ? examples : [aop.ir.when];
        const result = await explore(targets, mine, options.budget, (persona, decisions, which) =>
          run({
            aopId: aop.id,
            persona,
            opening: openings[which % openings.length]!,
            decisions,
            noisy: false,
            seed: options.seed,
            preference: which,
            maxRepeats: maxRepeatsOf(targets),
          }).finally(() => {
            explored++;
            options.onProgress?.({ phase: 'explore', done: explored, total: exploreTotal });
          }),
        );
        return { aop, targets, examples, ...result };
      }),
    );

    const variantTotal =
      explorations.reduce((sum, item) => sum + item.scenarios.length, 0) * options.variants * options.k;
    let varied = 0;
    // Every procedure's variants at once: the pool runs one conversation per customer at a time, and
    // each procedure explored with customers of its own, so this is what keeps it busy.
    const allRuns = await Promise.all(
      explorations.map((exploration) =>
        Promise.all(
          exploration.scenarios.flatMap((scenario, index) =>
            Array.from({ length: options.variants }, async (_, variant) => {
              const plan = variantPlan(scenario.reference, options.seed, index, variant);
              const attempts: ConversationRun[] = [];
              for (let attempt = 0; attempt < options.k; attempt++) {
                attempts.push(await run(plan));
                varied++;
                options.onProgress?.({ phase: 'vary', done: varied, total: variantTotal });
              }
              return { index, variant, plan, attempts };
            }),
          ),
        ),
      ),
    );
    const failures: Failure[] = [];
    const reports: ProcedureReport[] = [];
    for (const [position, exploration] of explorations.entries()) {
      const { aop, targets, scenarios } = exploration;
      const variantRuns = allRuns[position]!;
      const covered = new Set(exploration.covered);
      for (const failed of exploration.failed)
        failures.push(failureOf(aop.id, -1, -1, 0, failed, failed, writeTools));
      let pass1 = 0;
      let passK = 0;
      let unstable = 0;
      for (const { index, variant, plan, attempts } of variantRuns) {
        const reference = scenarios[index]!.reference;
        const verdicts = attempts.map((attempt) => judge(attempt, reference, targets.graph));
        if (verdicts[0]!.length === 0) pass1++;
        if (verdicts.every((problems) => problems.length === 0)) passK++;
        const words = attempts.map((attempt) => JSON.stringify(attempt.transcript));
        if (new Set(words).size > 1) unstable++;
        for (const [attempt, problems] of verdicts.entries()) {
          if (problems.length === 0) {
            for (const id of coveredBy(attempts[attempt]!.states, targets.graph)) covered.add(id);
            for (const refusal of attempts[attempt]!.refused) covered.add(`guard:${refusal}`);
            if (plan.repair && attempts[attempt]!.repaired) covered.add(`repair:${plan.repair.pattern}`);
            continue;
          }
          failures.push(
            failureOf(aop.id, index, variant, attempt, attempts[attempt]!, reference, writeTools, problems),
          );
          break;
        }
      }
      reports.push(
        reportOf(targets, scenarios.length, exploration.runs, variantRuns.length, options.k, covered, {
          pass1,
          passK,
          unstable,
        }),
      );
    }
    const conversations = reports.reduce((sum, report) => sum + report.conversations, 0);
    const durationMs = performance.now() - started;
    return {
      tenant: project.name,
      seed: options.seed,
      k: options.k,
      procedures: reports,
      failures,
      conversations,
      durationMs,
      conversationsPerSecond: conversations / (pool.busyMs() / 1000 || 1),
    };
  } finally {
    await world.stop();
  }
}

/**
 * A question the procedure itself asks again ("go back to step 1, at most 3 times") is not the agent
 * repeating itself: the limit is one more than the largest loop bound, and at least `aop test`'s.
 */
function maxRepeatsOf(targets: ProcedureTargets): number {
  let bound = 0;
  for (const node of targets.graph.nodes.values())
    if (node.action?.kind === 'goto' && node.action.max !== null) bound = Math.max(bound, node.action.max);
  return Math.max(DEFAULT_MAX_REPEATS, bound + 1);
}

/**
 * Over the procedure's decisions, customer after customer, until all is covered or the budget is spent.
 * Each customer's tree is walked last in, first out (the alternatives of the latest questions first: a
 * confirmation's "no", the other orders, which decide more branches than how to sign in), but an
 * alternative some earlier conversation already took at that question (an unknown id, "no", the second
 * card) waits behind every one not yet taken; a customer with nothing new left to try makes way for the
 * next after two conversations.
 */
async function explore(
  targets: ProcedureTargets,
  customers: readonly Readonly<Record<string, unknown>>[],
  budget: number,
  run: (
    persona: Readonly<Record<string, unknown>>,
    decisions: readonly number[],
    which: number,
  ) => Promise<ConversationRun>,
): Promise<{ scenarios: Scenario[]; covered: Set<string>; runs: number; failed: ConversationRun[] }> {
  const wanted = new Set(
    targets.targets
      .filter((target) => target.kind !== 'repair' && target.kind !== 'tool-failure')
      .map((target) => target.id),
  );
  const covered = new Set<string>();
  const scenarios: Scenario[] = [];
  const failed: ConversationRun[] = [];
  // About four conversations per customer: enough to go down a customer's tree a few choices deep;
  // customers enough for the branches their data decide (an order's status, a second card).
  const perPersona = Math.max(1, Math.floor(budget / Math.max(1, Math.min(8, Math.ceil(budget / 4)))));
  const personas = Math.min(customers.length, 2 * Math.ceil(budget / perPersona));
  /** `<question>|<kind of answer>` of every answer some conversation gave. */
  const taken = new Set<string>();
  let runs = 0;
  for (let p = 0; p < personas && runs < budget; p++) {
    const persona = customers[p]!;
    const queue: Candidate[] = [{ decisions: [], answer: '' }];
    const tried = new Set<string>();
    let mine = 0;
    // A few at a time: the tree grows from what each conversation was asked.
    while (
      queue.length > 0 &&
      mine < perPersona &&
      runs < budget &&
      // At least one conversation: a procedure without branches (a hand-over) still has its path.
      (runs === 0 || [...wanted].some((id) => !covered.has(id)))
    ) {
      const fresh = queue.filter((candidate) => !taken.has(candidate.answer));
      if (fresh.length === 0 && mine >= 2) break;
      // The untaken last (popped first), each group in the order found.
      queue.sort((a, b) => Number(!taken.has(a.answer)) - Number(!taken.has(b.answer)));
      const batch = queue.splice(-Math.min(3, perPersona - mine, budget - runs)).reverse();
      for (const candidate of batch) taken.add(candidate.answer);
      const results = await Promise.all(batch.map((candidate) => run(persona, candidate.decisions, p)));
      runs += batch.length;
      mine += batch.length;
      for (const [position, result] of results.entries()) {
        const prefix = batch[position]!.decisions;
        if (process.env.AOP_SIMULATE_TRACE) process.stderr.write(traceOf(targets.aopId, p, result));
        for (const decision of result.decisions)
          taken.add(answerOf(decision.action, decision.options[decision.chosen] ?? ''));
        if (result.problems.length > 0 || result.routedTo !== targets.aopId) {
          failed.push(
            result.routedTo === targets.aopId
              ? result
              : {
                  ...result,
                  problems: [
                    `routed to ${result.routedTo ?? 'no procedure'}, not ${targets.aopId}`,
                    ...result.problems,
                  ],
                },
          );
          continue;
        }
        const took = [
          ...coveredBy(result.states, targets.graph),
          ...result.refused.map((refusal) => `guard:${refusal}`),
        ].filter((id) => wanted.has(id));
        const fresh = took.filter((id) => !covered.has(id));
        if (fresh.length > 0 || scenarios.length === 0) scenarios.push({ reference: result, covered: took });
        for (const id of took) covered.add(id);
        const chosen = result.decisions.map((decision) => decision.chosen);
        tried.add(chosen.join(','));
        for (let at = prefix.length; at < result.decisions.length; at++) {
          const decision = result.decisions[at]!;
          for (let alternative = 0; alternative < decision.options.length; alternative++) {
            if (alternative === decision.chosen) continue;
            const option = decision.options[alternative]!;
            const answer = answerOf(decision.action, option);
            const next = [...chosen.slice(0, at), alternative];
            // A value not on file, again and again: the question's loop bound ("at most 3 times").
            const wrong = /^(unknown|another customer's) /.test(option);
            for (const candidate of wrong
              ? [[...next, alternative, alternative, alternative], next]
              : [next]) {
              const key = candidate.join(',');
              if (!tried.has(key)) {
                tried.add(key);
                queue.push({
                  decisions: candidate,
                  answer: `${answer}${candidate.length > next.length ? '|again' : ''}`,
                });
              }
            }
          }
        }
      }
    }
  }
  return { scenarios, covered, runs, failed };
}

interface Candidate {
  readonly decisions: readonly number[];
  /** The answer it tries that its parent did not (`answerOf`). */
  readonly answer: string;
}

/**
 * A kind of answer to a question: the probes by kind (`unknown`, `another customer's`), a listed
 * choice by the kind of record it is where the records say (`option 2 (gift_card)`: a gift card is
 * tried early whoever holds it) or else by its place (`option 2`), any other by its label up to its
 * value (`yes`, `email`).
 */
function answerOf(action: string, label: string): string {
  const listed = /^option (\d+)(?: \(([^)]+)\))?: /.exec(label);
  const kind = /^unknown /.test(label)
    ? 'unknown'
    : /^another customer's /.test(label)
      ? 'another'
      : listed
        ? (listed[2] ?? `option ${listed[1]}`)
        : label.replace(/:.*$/, '');
  return `${action}|${kind}`;
}

/**
 * How much a customer's records offer: the kinds among its records of a map (a card, PayPal and a gift
 * card: three kinds, by their `source`, `type`, `kind` or `status`) weigh more than their number, then
 * the entries of its lists and maps (orders, cards).
 */
function recordsOf(customer: Readonly<Record<string, unknown>>): number {
  let count = 0;
  const kinds = new Set<string>();
  for (const [field, value] of Object.entries(customer)) {
    if (Array.isArray(value)) count += value.length;
    else if (value && typeof value === 'object') {
      const records = Object.values(value).filter(
        (entry): entry is Record<string, unknown> => entry !== null && typeof entry === 'object',
      );
      count += records.length;
      for (const record of records)
        for (const key of ['source', 'type', 'kind', 'status'])
          if (typeof record[key] === 'string') kinds.add(`${field}.${key}=${record[key]}`);
    }
  }
  return kinds.size * 100 + count;
}

/** The procedure's share of the customers (every `of`-th from its position), then everyone else. */
function dealt<T>(customers: readonly T[], position: number, of: number): T[] {
  const share = customers.filter((_, index) => index % of === position);
  return [...share, ...customers.filter((_, index) => index % of !== position)];
}

/** `AOP_SIMULATE_TRACE=1` (a line a conversation), `words` (with its transcript) or `states` (with its states). */
function traceOf(aopId: string, customer: number, run: ConversationRun): string {
  const mode = process.env.AOP_SIMULATE_TRACE;
  const decisions = run.decisions.map((d) => `${d.action}:${d.chosen}/${d.options.length}`).join(' ');
  const last = run.transcript.at(-1)?.reply.slice(0, 90).replaceAll('\n', ' ');
  const words = run.transcript.map(
    (turn) => `  C: ${turn.customer}\n  A: ${turn.reply.slice(0, 160).replaceAll('\n', ' / ')}\n`,
  );
  return [
    ...(mode === 'states' ? [`${run.states.join(' ')}\n`] : []),
    ...(mode === 'words' ? words : []),
    `${aopId} customer ${customer} [${decisions}] → ${run.status}: ${last}\n`,
  ].join('');
}

/** The scenario as an impatient customer types it, with one repair pattern where it applies. */
function variantPlan(reference: ConversationRun, seed: number, scenario: number, variant: number): Plan {
  const rng = random(seed * 7919 + scenario * 104729 + variant * 1299709 + 1);
  const asks = reference.decisions.flatMap((decision, index) => (decision.kind === 'confirm' ? [] : [index]));
  const confirms = reference.decisions.flatMap((decision, index) =>
    decision.kind === 'confirm' ? [index] : [],
  );
  const patterns = (Object.keys(REPAIR_PATTERNS) as RepairPattern[]).filter((pattern) =>
    REPAIR_PATTERNS[pattern] === 'ask' ? asks.length > 0 : confirms.length > 0,
  );
  // Round robin from a per-scenario start: over a scenario's variants, different patterns.
  const pattern = patterns.length > 0 ? patterns[(scenario + variant) % patterns.length]! : undefined;
  const at = pattern ? rng.pick(REPAIR_PATTERNS[pattern] === 'ask' ? asks : confirms) : undefined;
  return {
    ...reference.plan,
    decisions: reference.decisions.map((decision) => decision.chosen),
    meant: {
      decisions: reference.decisions.map(({ action, chosen, intended }) => ({ action, chosen, intended })),
      facts: reference.facts,
    },
    noisy: true,
    seed: Math.floor(rng.next() * 2 ** 31),
    ...(pattern !== undefined && at !== undefined ? { repair: { pattern, at } } : {}),
  };
}

function reportOf(
  targets: ProcedureTargets,
  scenarios: number,
  explored: number,
  variants: number,
  k: number,
  covered: ReadonlySet<string>,
  counts: { pass1: number; passK: number; unstable: number },
): ProcedureReport {
  const kinds = ['branch', 'loop-bound', 'guard', 'repair', 'tool-failure'] as const;
  const coverage = Object.fromEntries(
    kinds.map((kind) => {
      const of = targets.targets.filter((target) => target.kind === kind);
      return [kind, { covered: of.filter((target) => covered.has(target.id)).length, of: of.length }];
    }),
  ) as ProcedureReport['coverage'];
  return {
    aopId: targets.aopId,
    scenarios,
    conversations: explored + variants * k,
    explored,
    pass1: { passed: counts.pass1, of: variants },
    passK: { passed: counts.passK, of: variants },
    unstable: counts.unstable,
    coverage,
    uncovered: targets.targets.filter((target) => !covered.has(target.id)),
  };
}

function failureOf(
  aopId: string,
  scenario: number,
  variant: number,
  attempt: number,
  run: ConversationRun,
  reference: ConversationRun,
  writeTools: ReadonlySet<string>,
  problems: readonly string[] = run.problems,
): Failure {
  const pattern = run.plan.repair?.pattern ?? null;
  return {
    aopId,
    scenario,
    variant,
    attempt,
    pattern,
    problems,
    transcript: run.transcript,
    yaml: reproduction(aopId, scenario, variant, run, reference, writeTools, problems),
  };
}

/** The failing conversation as an `aop test` file: the same messages, the reference's outcome expected. */
function reproduction(
  aopId: string,
  scenario: number,
  variant: number,
  run: ConversationRun,
  reference: ConversationRun,
  writeTools: ReadonlySet<string>,
  problems: readonly string[],
): string {
  const q = (value: unknown) => JSON.stringify(value);
  const pattern = run.plan.repair?.pattern;
  const stops = pattern === 'cancel' || pattern === 'human-please';
  const lines = [
    `# aop simulate --seed ${run.plan.seed}: ${aopId}, scenario ${scenario + 1}${variant >= 0 ? `, variant ${variant + 1}` : ' (exploration)'}`,
    `# first problem: ${problems[0]?.replaceAll('\n', ' ') ?? 'none'}`,
    'tests:',
    `  - name: ${q(`simulated ${aopId} s${scenario + 1}${variant >= 0 ? ` v${variant + 1}` : ''}${pattern ? ` ${pattern}` : ''}`)}`,
    `    patterns: ${q(['simulated', ...(pattern ? [pattern] : [])])}`,
    '    turns:',
    ...run.transcript.map((turn) => `      - customer: ${q(turn.customer)}`),
  ];
  if (stops) {
    const tools = [...writeTools].filter((tool) => !reference.writes.some((call) => call.tool === tool));
    if (tools.length > 0) lines.push(`    no_tools: ${q(tools)}`);
    if (pattern === 'human-please') lines.push('    status: escalated');
  } else if (variant >= 0) {
    const calls = reference.writes.filter((call) => call.outcome === 'succeeded');
    if (calls.length > 0)
      lines.push('    tools:', ...calls.map((call) => `      - ${q({ [call.tool]: call.input })}`));
    if (reference.changes.length === 0) lines.push('    no_changes: true');
    else {
      const byTable = new Map<string, Record<string, unknown>>();
      for (const change of reference.changes)
        byTable.set(change.table, {
          ...(byTable.get(change.table) ?? {}),
          [change.key]: change.after ?? null,
        });
      lines.push(`    changes: ${q(Object.fromEntries(byTable))}`);
    }
    lines.push(`    status: ${reference.status}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Runs tasks at most `size` at a time, one at a time per key (a customer's data is theirs for the conversation). */
function createPool(size: number) {
  let active = 0;
  let busySince = 0;
  let busy = 0;
  const waiting: (() => void)[] = [];
  const keys = new Map<string, Promise<unknown>>();
  const slot = async () => {
    if (active >= size) await new Promise<void>((resolve) => waiting.push(resolve));
    if (active === 0) busySince = performance.now();
    active++;
  };
  const release = () => {
    active--;
    if (active === 0) busy += performance.now() - busySince;
    waiting.shift()?.();
  };
  return {
    async run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const before = keys.get(key) ?? Promise.resolve();
      const mine = before
        .catch(() => {})
        .then(async () => {
          await slot();
          try {
            return await task();
          } finally {
            release();
          }
        });
      keys.set(key, mine);
      return mine;
    },
    /** Wall time during which at least one conversation ran (the platform's start excluded). */
    busyMs: () => busy + (active > 0 ? performance.now() - busySince : 0),
  };
}

function shuffled<T>(items: readonly T[], next: () => number): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(next() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}
