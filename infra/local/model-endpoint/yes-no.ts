import { normaliseApostrophes } from './text.ts';

/**
 * Reads an answer to a yes/no question. A write happens only on a clear yes, so any sign of a no or of
 * waiting wins over a yes ("yes, but wait" is a no), and hesitation ("maybe", "not sure") answers
 * nothing, so the agent asks again.
 */
export function readYesNo(message: string): boolean | null {
  let text = ` ${normaliseApostrophes(message).toLowerCase().replace(/\s+/g, ' ')} `;
  for (const idiom of POSITIVE_IDIOMS) text = text.replace(idiom, ' yes ');
  if (UNSURE.some((pattern) => pattern.test(text))) return null;
  if (NEGATIVE.some((pattern) => pattern.test(text))) return false;
  if (POSITIVE.some((pattern) => pattern.test(text))) return true;
  return null;
}

/** Phrases that contain a negative word but mean yes. */
const POSITIVE_IDIOMS: readonly RegExp[] = [
  /\bno problems?\b/g,
  /\bnot a problem\b/g,
  /\bno worries\b/g,
  /\bwhy not\b/g,
  /\b(?:i )?(?:don't|do not) mind\b/g,
  /\bno doubt\b/g,
  /\bdon't hesitate\b/g,
];

const UNSURE: readonly RegExp[] = [
  /\bmaybe\b/,
  /\bperhaps\b/,
  /\bnot (?:really )?sure\b/,
  /\bunsure\b/,
  /\b(?:i )?(?:don't|do not|dont) know\b/,
  /\bdunno\b/,
  /\bno idea\b/,
];

const NEGATIVE: readonly RegExp[] = [
  /\bno\b/,
  /\bnope\b/,
  /\bnah\b/,
  /\bnot\b/,
  /\bnever\b/,
  /\b(?:don't|dont|do not|doesn't|won't|wouldn't|shouldn't|can't|cannot)\b/,
  /\bwait\b/,
  /\bhold (?:on|off)\b/,
  /\bstop\b/,
  /\bnever ?mind\b/,
  /\bchanged? my mind\b/,
  /\bnegative\b/,
  /\brather not\b/,
  /\blet me think\b/,
  /\bthink about it\b/,
  /\blater\b/,
  /\bdecline\b/,
];

const POSITIVE: readonly RegExp[] = [
  /\by(?:es|eah|ea|ep|up|a)\b/,
  /\bsure\b/,
  /\bo\.?k(?:ay)?\b/,
  /\bconfirm(?:ed|s)?\b/,
  /\bcorrect\b/,
  /\bright\b/,
  /\bgo (?:ahead|for it)\b/,
  /\bdo it\b/,
  /\bplease do\b/,
  /\bproceed\b/,
  /\babsolutely\b/,
  /\bdefinitely\b/,
  /\bof course\b/,
  /\bsounds good\b/,
  /\baffirmative\b/,
  /\b(?:that's |that is )?fine\b/,
  /\ball ?right\b/,
  /\bagreed?\b/,
  /\bthat works\b/,
  /\bperfect\b/,
  /\bexactly\b/,
  /\bindeed\b/,
  /👍/u,
];
