import { readFileSync } from 'node:fs';
import type { ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import { z } from 'zod';
import type { CompiledAop } from '../../../shared/aop/compile.ts';
import { decideRoute } from '../../../shared/engine/routing.ts';
import {
  buildConverseInput,
  parseConverseOutput,
  type Route,
  type UnderstandRequest,
} from '../../../shared/model/understanding.ts';
import { answerConverse } from './converse.ts';

/**
 * Routing accuracy of the local engine on a corpus of first messages (test/fixtures/routing-corpus.json):
 * each message goes through the same path as a conversation's first turn — the routing request
 * (understanding.ts), the engine behind the local endpoint (converse.ts), the answer's checks, and the
 * routing decision (shared/engine/routing.ts) — and the outcome is compared with what is expected.
 */

export const RoutingCorpusSchema = z.object({
  description: z.string(),
  tenant: z.string(),
  messages: z
    .array(
      z.object({
        message: z.string().min(1),
        /** A procedure id, "clarify" (two procedures truly fit) or "none" (no procedure). */
        expect: z.string().min(1),
        /** Further requests of the same message, in order. */
        then: z.array(z.string()).optional(),
        /** For "clarify": the procedures the question should offer. */
        between: z.array(z.string()).optional(),
      }),
    )
    .min(1),
});
export type RoutingCorpus = z.infer<typeof RoutingCorpusSchema>;
export type CorpusMessage = RoutingCorpus['messages'][number];

export const ROUTING_CORPUS_PATH = new URL('../../../test/fixtures/routing-corpus.json', import.meta.url);
/**
 * A second set in the same format, written before the router was tuned on the corpus above and never
 * tuned on: its figure is the honest one for text nobody looked at while tuning.
 */
export const ROUTING_HELDOUT_PATH = new URL('../../../test/fixtures/routing-heldout.json', import.meta.url);

export function readRoutingCorpus(path: URL | string = ROUTING_CORPUS_PATH): RoutingCorpus {
  return RoutingCorpusSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

/** What routing did with one message: a procedure id, "clarify" or "none"; and the further requests. */
export interface RoutedOutcome {
  readonly outcome: string;
  readonly then: readonly string[];
  readonly choices: readonly string[];
}

const MODEL_ID = 'local.extraction-engine';

export function routeThroughEngine(
  message: string,
  routes: readonly Route[],
  fallbackAop: string,
): RoutedOutcome {
  const request: UnderstandRequest = { message, slots: [], routes: [...routes] };
  const input = buildConverseInput(request, MODEL_ID);
  const answer = answerConverse(MODEL_ID, JSON.stringify(input));
  if (answer.status !== 200)
    throw new Error(`the local endpoint refused the routing request: ${JSON.stringify(answer.body)}`);
  const { understanding } = parseConverseOutput(answer.body as ConverseCommandOutput, request, MODEL_ID);
  const decision = decideRoute(understanding, fallbackAop);
  if (decision.kind === 'route') return { outcome: decision.aopId, then: decision.then, choices: [] };
  if (decision.kind === 'clarify') return { outcome: 'clarify', then: [], choices: decision.choices };
  return { outcome: 'none', then: [], choices: [] };
}

export interface RoutingResult {
  readonly entry: CorpusMessage;
  readonly got: RoutedOutcome;
  /** The first request went where expected (a clarify counts when it offers the expected procedures). */
  readonly correct: boolean;
}

export interface RoutingReport {
  readonly total: number;
  readonly correct: number;
  readonly accuracy: number;
  /** Messages that got a clarifying question (rightly or not), and those that were expected to. */
  readonly clarified: number;
  /** Messages sent to a procedure other than the expected one (the harm a question avoids). */
  readonly wrongProcedure: number;
  /** Messages with several requests whose later requests were all announced, in order. */
  readonly multi: { readonly total: number; readonly followed: number };
  readonly results: readonly RoutingResult[];
}

export function measureRouting(
  corpus: RoutingCorpus,
  routes: readonly Route[],
  fallbackAop: string,
): RoutingReport {
  const results = corpus.messages.map((entry) => {
    const got = routeThroughEngine(entry.message, routes, fallbackAop);
    return { entry, got, correct: isCorrect(entry, got) };
  });
  const correct = results.filter((result) => result.correct).length;
  const multiple = results.filter((result) => (result.entry.then ?? []).length > 0);
  return {
    total: results.length,
    correct,
    accuracy: correct / results.length,
    clarified: results.filter((result) => result.got.outcome === 'clarify').length,
    wrongProcedure: results.filter(
      (result) => !result.correct && result.got.outcome !== 'clarify' && result.got.outcome !== 'none',
    ).length,
    multi: {
      total: multiple.length,
      followed: multiple.filter(
        (result) => result.correct && sameList(result.got.then, result.entry.then ?? []),
      ).length,
    },
    results,
  };
}

function isCorrect(entry: CorpusMessage, got: RoutedOutcome): boolean {
  if (entry.expect !== 'clarify') return got.outcome === entry.expect;
  if (got.outcome !== 'clarify') return false;
  // A question that offers at least two of the procedures that truly fit is the right question.
  const expected = new Set(entry.between ?? []);
  return got.choices.filter((choice) => expected.has(choice)).length >= Math.min(2, expected.size);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

/** The routes of a compiled project, as the conversation service offers them: procedures only. */
export function routesOfProject(results: readonly CompiledAop[]): Route[] {
  return results
    .filter((result) => result.ir.kind === 'procedure' && result.ir.when !== '')
    .map((result) => ({
      id: result.ir.id,
      when: result.ir.when,
      ...(result.ir.examples ? { examples: result.ir.examples.map((example) => example.text) } : {}),
    }));
}

/** One line per figure, for the bench and the test. */
export function describeReport(report: RoutingReport): string[] {
  const percent = (part: number, whole: number) => `${((100 * part) / Math.max(1, whole)).toFixed(1)}%`;
  const expectedClarify = report.results.filter((result) => result.entry.expect === 'clarify').length;
  return [
    `routing accuracy: ${report.correct}/${report.total} = ${percent(report.correct, report.total)}`,
    `clarifying question instead of a procedure: ${report.clarified}/${report.total} = ${percent(report.clarified, report.total)} (${expectedClarify} expected)`,
    `sent to a wrong procedure: ${report.wrongProcedure}/${report.total} = ${percent(report.wrongProcedure, report.total)}`,
    `several requests, later ones announced in order: ${report.multi.followed}/${report.multi.total}`,
  ];
}
