import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CHAT_URL, runChat } from './chat.ts';

/** `aop chat [--url URL]`: the terminal chat, with the running local platform's operator token for /events. */
export function chatCommand({ url }: { readonly url?: string | undefined }): Promise<number> {
  return runChat({ url: url ?? DEFAULT_CHAT_URL, ...localOperatorToken(url) });
}

/** The running local platform's operator token (for `/events`), when the chat talks to it. */
function localOperatorToken(url: string | undefined): { operatorToken?: string } {
  if (process.env.AOP_OPERATOR_TOKEN) return { operatorToken: process.env.AOP_OPERATOR_TOKEN };
  try {
    const file = join(import.meta.dirname, '../.cache/platform.json');
    const platform = JSON.parse(readFileSync(file, 'utf8')) as { url?: string; operatorToken?: string };
    if (!platform.operatorToken) return {};
    const same = url === undefined || new URL(url).origin === new URL(platform.url ?? '').origin;
    return same ? { operatorToken: platform.operatorToken } : {};
  } catch {
    return {};
  }
}
