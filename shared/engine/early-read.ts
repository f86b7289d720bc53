import type { NewEvent } from '../events/catalogue.ts';
import type { SlotOption, UnderstandRequest } from '../model/understanding.ts';
import { render } from './render.ts';
import { modelCalled, pendingOf, record, type StepEvent } from './step-record.ts';
import type { StepDependencies } from './steps.ts';
import type { ReplyInputSchema, TurnState } from './turn-state.ts';

/**
 * Nothing the customer says is dropped: the words a customer opened a request with are read again when
 * a question they may already answer comes up, since what the question offers (the customer's orders,
 * payment methods, addresses) was not known when that message came (the customer was not signed in).
 * Only the first time the question comes up in a request: a question asked again (after "not found, go
 * back") is asked. One model call each, recorded like every other (replay answers it from the
 * recording). A value taken fills its facts and sets `taken` (the `.asked` Choice of the compiled ask
 * goes on without asking).
 */

type ReplyRequest = ReturnType<typeof ReplyInputSchema.parse>['say'];
type ChoiceSlot = NonNullable<ReplyRequest['choice']>;
type AnswerSlot = NonNullable<ReplyRequest['answers']>[number];

/**
 * The request's opening message, if this question has not come up since the procedure was chosen
 * (nor, for a choice, been answered: `filledMeansAsked`).
 */
async function openingMessage(
  deps: StepDependencies,
  state: TurnState,
  say: ReplyRequest,
  filledMeansAsked: readonly string[],
): Promise<string | undefined> {
  const log: NewEvent[] = [
    ...(await deps.events.read(state.ctx.conversationId, { toSeq: state.ctx.seq })),
    ...pendingOf(state),
  ];
  const selected = log.findLastIndex((event) => event.type === 'aop.selected');
  if (selected < 0) return undefined;
  const opening = log.slice(0, selected).findLast((event) => event.type === 'message.received');
  if (opening?.type !== 'message.received') return undefined;
  const askedBefore = log
    .slice(selected)
    .some(
      (event) =>
        (event.type === 'slot.filled' &&
          filledMeansAsked.includes(event.data.name) &&
          event.data.value !== null) ||
        (event.type === 'message.sent' && event.data.stepId === say.action),
    );
  return askedBefore ? undefined : opening.data.text;
}

/**
 * Takes what the opening words said: fills the facts, tells the customer (`said`, unless what comes
 * next names it anyway), skips the question.
 */
async function taken(
  deps: StepDependencies,
  state: TurnState,
  say: ReplyRequest,
  events: StepEvent[],
  values: Record<string, unknown>,
  said: string | undefined,
): Promise<{ state: TurnState; recorded: TurnState }> {
  for (const [name, value] of Object.entries(values))
    events.push({
      type: 'slot.filled',
      actor: 'customer',
      step: say.step,
      data: { name, value: value as never, source: 'model' },
    });
  const text = said === undefined ? undefined : `From what you said: ${said}.`;
  if (text !== undefined)
    events.push({ type: 'message.sent', actor: 'agent', step: say.step, data: { text, stepId: say.action } });
  const next = await record(deps, state, `${say.action}-early`, events);
  return {
    state: {
      ...next,
      facts: { ...next.facts, ...values },
      replies: text === undefined ? state.replies : [...state.replies, text],
      taken: say.action,
    },
    recorded: next,
  };
}

/**
 * Before a choice is asked ("which order?", "which payment method?"): "cancel my most recent order",
 * "pay with my visa instead" take the choice, and the customer is told what was taken. A description
 * that fits several options narrows the question to those.
 */
export async function earlyChoice(
  deps: StepDependencies,
  state: TurnState,
  say: ReplyRequest,
  choice: ChoiceSlot,
  options: SlotOption[],
  open: boolean,
): Promise<{ state?: TurnState; recorded: TurnState; narrowed?: SlotOption[] }> {
  const known = state.facts[choice.name];
  if (known !== undefined && known !== null) return { recorded: state };
  const message = await openingMessage(deps, state, say, [choice.name]);
  if (message === undefined) return { recorded: state };
  const request: UnderstandRequest = {
    message,
    slots: [
      {
        name: choice.name,
        description: choice.description,
        schema: choice.schema,
        options,
        ...(open ? { optionsOpen: true } : {}),
        volunteered: true,
      },
    ],
    context: [
      `Procedure: ${state.ctx.aop.id}, about to ask: ${render(say.text, state.facts)}`,
      'The message is what the customer said when they made this request, before this question. Fill',
      `${choice.name} only if these words pick one of the options; leave it out otherwise.`,
    ].join('\n'),
  };
  const { understanding, record: call } = await deps.model.understand(request);
  const events: StepEvent[] = [modelCalled(call, say.step)];
  const value = understanding.slots[choice.name];
  const values = Array.isArray(value) ? value : [value];
  const picked = values.map((one) => options.find((option) => option.value === one));
  if (values.length > 0 && picked.every((option) => option !== undefined)) {
    const chosen = Array.isArray(value) ? picked.map((option) => option!.value) : picked[0]!.value;
    const said = picked.map((option) => option!.label).join('; ');
    return taken(deps, state, say, events, { [choice.name]: chosen }, said);
  }
  const recorded = await record(deps, state, `${say.action}-early`, events);
  const fitting = options.filter((option) => understanding.couldBe?.includes(option.value));
  return { recorded, ...(fitting.length >= 2 ? { narrowed: fitting } : {}) };
}

/**
 * Before a question for a new value the agent also offers known ones for (a new address, or one of the
 * customer's own): "change the address on my order to 12 Oak St apt 4, Austin TX 78701" gives it
 * whole, and it is taken. Only a value the opening words give whole, as new: a record they seem to
 * point at ("my pending order") is never read as the pick of that record's address, and part of an
 * address is asked for in full (the confirmation that follows names every part).
 */
export async function earlyAnswers(
  deps: StepDependencies,
  state: TurnState,
  say: ReplyRequest,
  answers: readonly AnswerSlot[],
): Promise<{ state?: TurnState; recorded: TurnState }> {
  const message = await openingMessage(deps, state, say, []);
  if (message === undefined) return { recorded: state };
  const request: UnderstandRequest = {
    message,
    slots: answers.map((slot) => ({ ...slot, volunteered: true })),
    context: [
      `Procedure: ${state.ctx.aop.id}, about to ask: ${render(say.text, state.facts)}`,
      'The message is what the customer said when they made this request, before this question. Fill',
      'these facts only with a new value the words give outright; leave them out otherwise.',
    ].join('\n'),
  };
  const { understanding, record: call } = await deps.model.understand(request);
  const events: StepEvent[] = [modelCalled(call, say.step)];
  const values = Object.fromEntries(
    answers.map((slot) => [slot.name, understanding.slots[slot.name]] as const),
  );
  const whole = Object.values(values).every((value) => value !== undefined && value !== null);
  // Not said back on its own: the value is for an action, and the confirmation every write needs
  // (AOP009) says it back before anything is done with it.
  if (whole) return taken(deps, state, say, events, values, undefined);
  return { recorded: await record(deps, state, `${say.action}-early`, events) };
}
