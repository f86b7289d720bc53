import { describe, expect, it } from 'vitest';
import { optionsFrom } from '../../shared/engine/options.ts';
import { conversationPolicy, reask } from '../../shared/engine/repair.ts';

/**
 * Lists are shown by the label a tenant declares (docs/tenants.md), not by guessing from an `id` field:
 * here a subscription business whose records carry no `id` and no `name`.
 */
const subscriptions = [
  { subscription_id: 'sub_0001', plan: 'premium', billing_period: 'monthly', status: 'active' },
  { subscription_id: 'sub_0002', plan: 'basic', billing_period: 'annual', status: 'paused' },
];
const labels = {
  subscription_id: (record: Readonly<Record<string, unknown>>) =>
    `${String(record.plan)} (${String(record.billing_period)}), ${String(record.status)}`,
};

describe('choices shown by a declared label', () => {
  it('offers each record by its declared field, said as the tenant says it, the id kept for typing', () => {
    expect(optionsFrom(subscriptions, 'subscription_id', labels)).toEqual([
      { value: 'sub_0001', label: 'premium (monthly), active (sub_0001)' },
      { value: 'sub_0002', label: 'basic (annual), paused (sub_0002)' },
    ]);
  });

  it('finds the declared field even when the slot is named otherwise (a list offered as `id`)', () => {
    expect(optionsFrom(subscriptions, 'id', labels).map((option) => option.value)).toEqual([
      'sub_0001',
      'sub_0002',
    ]);
  });

  it('without a declaration, falls back to the described record', () => {
    const [first] = optionsFrom(subscriptions, 'subscription_id');
    expect(first?.value).toBe('sub_0001');
    expect(first?.label).not.toBe('premium (monthly), active (sub_0001)');
  });

  it('a re-asked question lists the choices with the declared labels', () => {
    const policy = conversationPolicy({ labels });
    const text = reask(
      {
        kind: 'slots',
        slots: [
          {
            name: 'subscription_id',
            description: 'The subscription',
            schema: { type: 'string' },
            options: '$.facts.customer.subscriptions',
          },
        ],
        groups: [],
      } as unknown as Parameters<typeof reask>[0],
      { customer: { subscriptions } },
      policy.labels,
    );
    expect(text).toContain('premium (monthly), active (sub_0001)');
  });
});
