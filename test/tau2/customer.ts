import { z } from 'zod';
import type { Script } from './scripts.ts';

/**
 * Plays a scripted customer against the chat API: one conversation, one request per turn, in order.
 * Every turn waits for the agent's reply, as a person would. The transcript keeps what the agent said,
 * so a test can check that an id the customer quotes "from the agent" was really shown to them.
 */

const StartedSchema = z.object({
  conversationId: z.string(),
  sessionToken: z.string(),
  reply: z.object({ text: z.string() }),
  status: z.enum(['active', 'resolved', 'escalated']),
});
const ContinuedSchema = StartedSchema.omit({ conversationId: true, sessionToken: true });

export interface Exchange {
  readonly customer: string;
  readonly agent: string;
  readonly status: 'active' | 'resolved' | 'escalated';
}

export interface Conversation {
  readonly conversationId: string;
  readonly exchanges: readonly Exchange[];
}

export class ChatRequestError extends Error {
  override readonly name = 'ChatRequestError';
  constructor(
    readonly status: number,
    readonly body: string,
    readonly turn: number,
  ) {
    super(`Turn ${turn}: the chat API answered HTTP ${status}: ${body.slice(0, 500)}`);
  }
}

/** Ids the customer says they read from the agent and that no earlier reply contained. */
export function unseenReads(script: Script, conversation: Conversation): string[] {
  const missing: string[] = [];
  script.turns.forEach((turn, index) => {
    const shown = conversation.exchanges
      .slice(0, index)
      .map((exchange) => exchange.agent)
      .join('\n');
    for (const id of turn.read ?? []) if (!shown.includes(id)) missing.push(`turn ${index + 1}: ${id}`);
  });
  return missing;
}

export async function playScript(baseUrl: string, script: Script): Promise<Conversation> {
  const exchanges: Exchange[] = [];
  let conversationId: string | undefined;
  let sessionToken = '';
  for (const [index, turn] of script.turns.entries()) {
    const last = exchanges.at(-1)?.agent ?? '';
    if (alreadyTaken(turn.say, last) || (turn.onlyIf !== undefined && !turn.onlyIf.test(last))) {
      // The agent took this from the customer's first words ("From what you said: …"): a person
      // does not answer a question that was not asked.
      exchanges.push({ customer: `(skipped) ${turn.say}`, agent: last, status: exchanges.at(-1)!.status });
      continue;
    }
    const path =
      conversationId === undefined
        ? '/v1/chat/conversations'
        : `/v1/chat/conversations/${encodeURIComponent(conversationId)}/messages`;
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(conversationId === undefined ? {} : { 'x-session-token': sessionToken }),
      },
      body: JSON.stringify({ message: turn.say }),
    });
    const text = await response.text();
    if (!response.ok) throw new ChatRequestError(response.status, text, index + 1);
    const body: unknown = JSON.parse(text);
    if (conversationId === undefined) {
      const started = StartedSchema.parse(body);
      conversationId = started.conversationId;
      sessionToken = started.sessionToken;
      exchanges.push({ customer: turn.say, agent: started.reply.text, status: started.status });
    } else {
      const continued = ContinuedSchema.parse(body);
      exchanges.push({ customer: turn.say, agent: continued.reply.text, status: continued.status });
    }
  }
  if (conversationId === undefined) throw new Error('A script needs at least one turn');
  return { conversationId, exchanges };
}

const FILLER = new Set(
  'the a an one with my of and in it its that this please pls just only both them from order item'.split(' '),
);
const wordsOf = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9#\s-]/g, ' ')
    .split(/\s+/)
    .map((word) => word.replace(/s$/, ''))
    .filter((word) => word !== '' && !FILLER.has(word));

/**
 * Does the agent's last reply say it already took what this turn would answer? Its "From what you
 * said: …" lines name what the customer's first words chose (items, a product, a payment method); a
 * turn whose every content word is in them ("the keyboard and the thermostat") answers nothing new.
 */
export function alreadyTaken(say: string, agent: string): boolean {
  // An order ("#W…: desk lamp and kettle") is not its items: saying "the desk lamp" after the order
  // was taken answers the item question. Orders are answered by turns marked `onlyIf`.
  const taken = [...agent.matchAll(/From what you said: (.*?)\.(?:\n|$)/g)]
    .map((match) => match[1]!)
    .filter((label) => !label.startsWith('#'));
  if (taken.length === 0) return false;
  const words = wordsOf(say);
  if (words.length === 0) return false;
  const known = new Set(taken.flatMap(wordsOf));
  return words.every((word) => known.has(word));
}

/** The conversation as text, for a failing test's message. */
export function transcript(conversation: Conversation): string {
  return conversation.exchanges
    .map((exchange) => `customer: ${exchange.customer}\nagent [${exchange.status}]: ${exchange.agent}`)
    .join('\n');
}
