import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runReplay } from '../../cli/replay.ts';
import type { SourceFile } from '../../shared/aop/index.ts';
import { describeEvent, type ProcedureVersion, whatIf, withReplacedFile } from '../../shared/audit/index.ts';
import { type Golden, goldenResolver, loadGoldens, retailReplay, versionOf } from './support.ts';

/**
 * What-if replay: the recorded customer turns against a planted change of the procedure. The report
 * must name the first turn and step where the two versions part, what each did there, and what the
 * new version would have done after (calls shown, never made).
 */

const goldens = loadGoldens();
const golden = (name: string): Golden => goldens.find((candidate) => candidate.name === name)!;

/** The golden's version with its procedure file edited as `edit` says (the edit must apply). */
function planted(
  of: Golden,
  edit: (text: string) => string,
): { version: ProcedureVersion; file: SourceFile } {
  const base = versionOf(of);
  const original = base.files[0]!;
  const text = edit(original.text);
  expect(text, 'the planted edit applies').not.toBe(original.text);
  const file = { path: `what-if/${original.path.split('/').pop()}`, text };
  return { version: withReplacedFile(base, file, of.version.aopId), file };
}

async function runWhatIf(of: Golden, edit: (text: string) => string) {
  const { version, file } = planted(of, edit);
  const report = await whatIf(of.events, {
    ...retailReplay,
    procedure: version,
    resolve: goldenResolver(of),
  });
  return { report, file };
}

function lineOf(text: string, fragment: string): number {
  return text.split('\n').findIndex((line) => line.includes(fragment)) + 1;
}

describe('what-if replay', () => {
  it('finds no divergence when the procedure is unchanged', async () => {
    const of = golden('cancel-happy-path');
    const report = await whatIf(of.events, {
      ...retailReplay,
      procedure: versionOf(of),
      resolve: goldenResolver(of),
    });
    expect(report.divergence).toBeUndefined();
    expect(report.stopped).toBeUndefined();
    expect(report.turns).toHaveLength(4);
    for (const turn of report.turns)
      expect(turn.produced.map((e) => e.type)).toEqual(turn.recorded.map((e) => e.type));
  });

  it('a status check for "processed" instead of "pending" parts at check-status in the turn the order is looked up', async () => {
    const of = golden('cancel-happy-path');
    const { report, file } = await runWhatIf(of, (text) =>
      text.replace('is not "pending"', 'is not "processed"'),
    );
    const lookedUp = of.events.find(
      (e) => e.type === 'tool.requested' && e.data.tool === 'get_order_details',
    )!;
    expect(report.divergence).toMatchObject({ turn: lookedUp.turn, step: 'check-status' });
    const { recorded, new: changed } = report.divergence!;
    expect(recorded?.event.type).toBe('message.sent');
    expect(describeEvent(recorded!.event)).toContain('Could you tell me your reason');
    expect(recorded?.source).toMatch(/cancel-pending-order\.md:20$/);
    expect(changed?.event.type).toBe('message.sent');
    expect(describeEvent(changed!.event)).toContain(
      'Only pending orders can be cancelled; order #W5918442 is pending.',
    );
    expect(changed?.source).toBe(`${file.path}:${lineOf(file.text, '{#check-status}')}`);
    // The new version ends the conversation there; the cancellation the recording made never comes.
    expect(report.stopped).toMatch(/ended the conversation \(resolved\) before turn 3/);
    const calls = report.turns.flatMap((turn) => turn.produced).filter((e) => e.type === 'tool.requested');
    expect(calls.map((e) => (e.type === 'tool.requested' ? e.data.tool : ''))).toEqual([
      'find_user_id_by_email',
      'get_user_details',
      'get_order_details',
    ]);
  });

  it('a decline that escalates instead of ending parts at the confirm step of the last turn', async () => {
    const of = golden('cancel-declined');
    const { report } = await runWhatIf(of, (text) =>
      text.replace(
        '"All right, I have not changed anything." Then end.',
        '"All right, I have not changed anything." Then escalate to a human.',
      ),
    );
    const declined = of.events.find((e) => e.type === 'confirmation.recorded')!;
    expect(report.divergence).toMatchObject({ turn: declined.turn, step: 'confirm' });
    expect(report.divergence?.recorded?.event.type).toBe('turn.completed');
    expect(report.divergence?.new?.event).toMatchObject({ type: 'handoff.requested', step: 'confirm' });
    const last = report.turns.at(-1)!;
    expect(last.produced.at(-1)).toMatchObject({ type: 'conversation.escalated' });
  });

  it('a call the recording never made is shown, not made, and stops the turn', async () => {
    const of = golden('new-default-address');
    const { report } = await runWhatIf(of, (text) =>
      text
        .replace(
          'tools: [get_user_details, get_order_details, modify_user_address]',
          'tools: [list_all_product_types, get_user_details, get_order_details, modify_user_address]',
        )
        .replace(
          '2. {#profile}',
          '2. {#catalogue} Look up the product types with @list_all_product_types.\n3. {#profile}',
        )
        .replace(/^3\. \{#orders\}/m, '4. {#orders}')
        .replace(/^4\. \{#ask-address\}/m, '5. {#ask-address}')
        .replace(/^5\. \{#confirm\}/m, '6. {#confirm}')
        .replace(/^6\. \{#change\}/m, '7. {#change}')
        .replace(/^7\. \{#done\}/m, '8. {#done}'),
    );
    const authenticated = of.events.find((e) => e.type === 'customer.authenticated')!;
    expect(report.divergence).toMatchObject({ turn: authenticated.turn, step: 'catalogue' });
    const turn = report.turns.find((t) => t.turn === authenticated.turn)!;
    expect(turn.wouldCall).toBe('call list_all_product_types({})');
    // Shown up to the request; no result was invented, and nothing after it ran.
    expect(turn.produced.at(-1)).toMatchObject({
      type: 'tool.requested',
      data: { tool: 'list_all_product_types' },
    });
    expect(report.stopped).toMatch(/would call list_all_product_types/);
    expect(report.turns.at(-1)).toBe(turn);
  });

  describe('aop replay (in process)', () => {
    function capture() {
      const out: string[] = [];
      const err: string[] = [];
      return { io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) }, out, err };
    }

    it('replays an export exactly (exit 0), and the corrupted one not (exit 1)', async () => {
      const ok = capture();
      expect(await runReplay(['--file', golden('cancel-happy-path').file], { io: ok.io })).toBe(0);
      expect(ok.out.join('')).toContain('OK: every turn reproduced exactly.');
      const bad = capture();
      expect(await runReplay(['--file', golden('cancel-happy-path.corrupted').file], { io: bad.io })).toBe(1);
      expect(bad.out.join('')).toMatch(/First difference: turn 4[\s\S]*data\.text differs/);
    });

    it('--aop-file runs the what-if on a procedure file', async () => {
      const of = golden('cancel-happy-path');
      const dir = mkdtempSync(join(tmpdir(), 'what-if-'));
      const path = join(dir, 'cancel-pending-order.md');
      writeFileSync(
        path,
        planted(of, (text) => text.replace('is not "pending"', 'is not "processed"')).file.text,
      );
      const run = capture();
      expect(await runReplay(['--file', of.file, '--aop-file', path], { io: run.io })).toBe(1);
      expect(run.out.join('')).toContain('First divergence: turn 2, step check-status');
    });

    it('--version N reads the version through the loader it is given', async () => {
      const of = golden('cancel-happy-path');
      const asked: [string, number][] = [];
      const { version } = planted(of, (text) => text.replace('is not "pending"', 'is not "processed"'));
      const run = capture();
      const code = await runReplay(['--file', of.file, '--version', '7'], {
        io: run.io,
        loadVersion: () => async (aopId, number) => {
          asked.push([aopId, number]);
          return version;
        },
      });
      expect(asked).toEqual([['cancel-pending-order', 7]]);
      expect(code).toBe(1);
      expect(run.out.join('')).toMatch(
        /What-if: cancel-pending-order from version 7[\s\S]*turn 2, step check-status/,
      );
    });
  });
});
