import type { ToolSealer } from '../tools/define-tool.ts';
import { isCiphertext, openField, sealField } from './cipher.ts';
import type { DataKeyStore } from './key-store.ts';

/**
 * What a tool keeps about a call in its own store, sealed with the conversation's data key (the one
 * its events are sealed with): `aop erase` destroys that key, and the tool's records of the
 * conversation can no longer be read either (issue: erasure reaches every store).
 */
export function toolSealerFor(keys: DataKeyStore, conversationId: string): ToolSealer {
  const associated = `${conversationId}\u0000tool-call`;
  return {
    async seal(text) {
      const key = await keys.keyOf(conversationId, { create: true });
      if (key.state !== 'active')
        throw new Error(`conversation ${conversationId} has no data key to seal with (${key.state})`);
      return sealField(key.key, associated, text);
    },
    async open(sealed) {
      if (!isCiphertext(sealed)) return sealed;
      const key = await keys.keyOf(conversationId);
      if (key.state !== 'active') return undefined;
      return openField(key.key, associated, sealed) as string;
    },
  };
}
