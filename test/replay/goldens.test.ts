import { describe, expect, it } from 'vitest';
import { replayConversation, verifyExport } from '../../shared/audit/index.ts';
import { contentHash } from '../../shared/registry/content.ts';
import { goldenResolver, loadGoldens, retailReplay } from './support.ts';

/**
 * Every checked-in recording replays exactly on the code as it is now and the version that made it:
 * a change to the engine, the compiler or the executor that would make an old conversation come out
 * differently fails here. The corrupted golden verifies (its chain was sealed again) but must not
 * replay: replay sees what a hash chain cannot, a recording the code never produced.
 */

const goldens = loadGoldens();
const recorded = goldens.filter((golden) => !golden.corrupted);
const corrupted = goldens.filter((golden) => golden.corrupted);

describe('replay goldens', () => {
  it('has recordings of several procedures, and one corrupted recording', () => {
    expect(new Set(recorded.map((golden) => golden.version.aopId)).size).toBeGreaterThanOrEqual(5);
    expect(corrupted).toHaveLength(1);
  });

  for (const golden of recorded) {
    it(`${golden.folder}/${golden.name} is filed under the version that made it, and verifies offline`, () => {
      expect(golden.folder).toBe(`${golden.version.aopId}@${golden.version.sourceHash.slice(0, 12)}`);
      expect(contentHash(golden.version.content)).toBe(golden.version.sourceHash);
      const turns = golden.events.filter((event) => event.type === 'turn.started' && event.aop);
      expect(turns.every((event) => event.aop?.version === golden.version.version)).toBe(true);
      expect(verifyExport(golden.jsonl, golden.manifest)).toMatchObject({
        ok: true,
        count: golden.events.length,
      });
    });

    it(`${golden.folder}/${golden.name} replays exactly`, async () => {
      const report = await replayConversation(golden.events, {
        ...retailReplay,
        resolve: goldenResolver(golden),
      });
      expect(report.first).toBeUndefined();
      expect(report.ok).toBe(true);
      // Every recorded turn was run again, and each reproduced every event it wrote.
      expect(report.turns).toHaveLength(
        golden.events.filter((event) => event.type === 'turn.started').length,
      );
      expect(report.turns.every((turn) => turn.status === 'ok' && turn.events > 0)).toBe(true);
    });
  }

  for (const golden of corrupted) {
    it(`${golden.folder}/${golden.name} verifies (the chain was sealed again) but fails replay at the altered reply`, async () => {
      expect(verifyExport(golden.jsonl, golden.manifest).ok).toBe(true);
      const report = await replayConversation(golden.events, {
        ...retailReplay,
        resolve: goldenResolver(golden),
      });
      expect(report.ok).toBe(false);
      const altered = golden.events.findLast((event) => event.type === 'message.sent')!;
      expect(report.first?.turn).toBe(altered.turn);
      expect(report.first?.difference).toMatchObject({
        seq: altered.seq,
        kind: 'changed',
        path: 'data.text',
      });
      expect(report.first?.difference?.recordedValue).toContain('is refunded');
      expect(report.first?.difference?.replayedValue).toContain('is cancelled');
      expect(report.first?.source).toMatch(/cancel-pending-order\.md:\d+$/);
      // The turns before it still reproduce.
      expect(
        report.turns.filter((turn) => turn.turn < altered.turn!).every((turn) => turn.status === 'ok'),
      ).toBe(true);
    });
  }

  it('replays decrypted events on what they say: their stored hashes cover ciphertext, not these values', async () => {
    const golden = recorded.find((candidate) => candidate.name === 'cancel-happy-path')!;
    // As a store that encrypts customer data returns them: the chain fields are those of the ciphertext.
    const opened = golden.events.map((event) => ({
      ...event,
      prevHash: event.prevHash.replace(/^./, 'f'),
      hash: event.hash.replace(/^./, 'f'),
    }));
    const integrity = verifyExport(golden.jsonl, golden.manifest);
    const options = { ...retailReplay, resolve: goldenResolver(golden), integrity };
    expect((await replayConversation(opened, { ...options, decrypted: true })).ok).toBe(true);
    const strict = await replayConversation(opened, options);
    expect(strict.ok).toBe(false);
    expect(strict.first?.difference?.path).toBe('hash');
  });
});
