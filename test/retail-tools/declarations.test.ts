import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { retailCatalogue, retailTools } from '../../aops/retail/tools/declarations.ts';
import { loadRetailDb } from '../../aops/retail/tools/store.ts';
import { outcomes, tasks, toolSpecs } from './fixtures.ts';

const declarationOf = (name: string) => {
  const declaration = retailCatalogue.get(name);
  if (!declaration) throw new Error(`${name} is not declared`);
  return declaration;
};

interface JsonSchemaObject {
  properties?: Record<string, { type?: string; description?: string; items?: { type?: string } }>;
  required?: string[];
}

describe('retail tool declarations', () => {
  it('declares exactly the 16 tools of tools.json, with its descriptions', () => {
    expect([...retailCatalogue.keys()].sort()).toEqual(toolSpecs.map((spec) => spec.function.name).sort());
    expect(retailTools).toHaveLength(16);
    for (const spec of toolSpecs)
      expect(declarationOf(spec.function.name).description).toBe(spec.function.description);
  });

  it.each(toolSpecs.map((spec) => [spec.function.name, spec] as const))(
    '%s: parameter names, types, descriptions and required list match tools.json',
    (name, spec) => {
      const schema = z.toJSONSchema(declarationOf(name).input) as JsonSchemaObject;
      const declared = schema.properties ?? {};
      const expected = spec.function.parameters.properties;
      expect(Object.keys(declared).sort()).toEqual(Object.keys(expected).sort());
      for (const [parameter, property] of Object.entries(expected)) {
        expect(declared[parameter]?.type, parameter).toBe(property.type);
        expect(declared[parameter]?.description, parameter).toBe(property.description);
        if (property.items) expect(declared[parameter]?.items?.type, parameter).toBe(property.items.type);
      }
      expect([...(schema.required ?? [])].sort()).toEqual(
        [...(spec.function.parameters.required ?? [])].sort(),
      );
    },
  );

  it('declares writes exactly where τ² mutates state', () => {
    for (const spec of toolSpecs) {
      expect(declarationOf(spec.function.name).effect, spec.function.name).toBe(
        spec.x_tau2.mutates_state ? 'write' : 'read',
      );
    }
  });

  it('guards every tool that reads or changes a customer’s data, and nothing else', () => {
    const open = [
      'find_user_id_by_email',
      'find_user_id_by_name_zip',
      'list_all_product_types',
      'get_product_details',
      'get_item_details',
      'calculate',
      'transfer_to_human_agents',
    ];
    const ownsUser = ['get_user_details', 'modify_user_address'];
    for (const declaration of retailTools) {
      const { guards, name, effect } = declaration;
      if (open.includes(name)) {
        expect(guards, name).toEqual({ confirm: false });
        continue;
      }
      expect(guards.requires, name).toEqual(['authenticated']);
      expect(guards.owns, name).toEqual(
        ownsUser.includes(name)
          ? { arg: 'user_id', resource: 'user' }
          : { arg: 'order_id', resource: 'order' },
      );
      expect(guards.confirm, name).toBe(effect === 'write');
    }
  });

  it('names the facts tools produce and what lookups establish', () => {
    expect(Object.fromEntries(retailTools.map((tool) => [tool.name, tool.produces]))).toEqual({
      calculate: 'result',
      cancel_pending_order: 'order',
      exchange_delivered_order_items: 'order',
      find_user_id_by_name_zip: 'user_id',
      find_user_id_by_email: 'user_id',
      get_order_details: 'order',
      get_product_details: 'product',
      get_item_details: 'item',
      get_user_details: 'user',
      list_all_product_types: 'product_types',
      modify_pending_order_address: 'order',
      modify_pending_order_items: 'order',
      modify_pending_order_payment: 'order',
      modify_user_address: 'user',
      return_delivered_order_items: 'order',
      transfer_to_human_agents: 'handoff',
    });
    const establishing = retailTools.filter((tool) => tool.establishes?.includes('authenticated'));
    expect(establishing.map((tool) => tool.name).sort()).toEqual([
      'find_user_id_by_email',
      'find_user_id_by_name_zip',
    ]);
    const compensated = retailTools.filter((tool) => tool.compensation !== undefined);
    expect(Object.fromEntries(compensated.map((tool) => [tool.name, tool.compensation]))).toEqual({
      modify_pending_order_address: 'modify_pending_order_address',
      modify_user_address: 'modify_user_address',
    });
  });

  it('accepts the arguments of every reference call of the 114 tasks', () => {
    let calls = 0;
    for (const task of tasks) {
      for (const action of task.evaluation_criteria.actions) {
        const parsed = declarationOf(action.name).input.safeParse(action.arguments);
        expect(parsed.error, `task ${task.id} ${action.action_id} ${action.name}`).toBeUndefined();
        calls++;
      }
    }
    expect(calls).toBe(550);
  });

  it('describes every recorded successful output with its output schema, unchanged', () => {
    for (const outcome of outcomes.values()) {
      for (const gold of outcome.gold_action_results.filter((result) => !result.error)) {
        const parsed = declarationOf(gold.name).output.safeParse(gold.output);
        expect(parsed.error, `${gold.action_id} ${gold.name}`).toBeUndefined();
        expect(parsed.data, `${gold.action_id} ${gold.name}`).toEqual(gold.output);
      }
    }
  });

  it('accepts every id in db.json, which all have the exact shapes the patterns document', () => {
    const db = loadRetailDb(); // parses every record with the same id schemas the tools use
    expect(Object.keys(db.orders).every((id) => /^#W\d{7}$/.test(id))).toBe(true);
    expect(Object.keys(db.users).every((id) => /^[a-z]+_[a-z]+_\d{4}$/.test(id))).toBe(true);
    const input = (name: string) => declarationOf(name).input;
    for (const user of Object.values(db.users)) {
      expect(input('find_user_id_by_email').safeParse({ email: user.email }).success, user.email).toBe(true);
      const byName = {
        first_name: user.name.first_name,
        last_name: user.name.last_name,
        zip: user.address.zip,
      };
      expect(input('find_user_id_by_name_zip').safeParse(byName).success, user.user_id).toBe(true);
    }
  });
});
