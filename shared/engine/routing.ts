import type { Understanding } from '../model/understanding.ts';

/**
 * What a first message leads to, from the routing call's understanding: one procedure (and the further
 * requests of the same message, taken one after the other), a short question when two procedures fit
 * and the message does not say which, or no procedure. The conversation service acts on it, replay
 * decides it again from the recorded understanding, and the routing corpus measures it.
 */
export type RoutingDecision =
  | { readonly kind: 'route'; readonly aopId: string; readonly then: readonly string[] }
  | { readonly kind: 'clarify'; readonly choices: readonly string[] }
  | { readonly kind: 'unrouted' };

export function decideRoute(understanding: Understanding, fallbackAop: string): RoutingDecision {
  // A request for a person wins over whatever else the message asks for.
  if (understanding.act === 'human') return { kind: 'route', aopId: fallbackAop, then: [] };
  if (understanding.route) {
    const then = (understanding.moreRoutes ?? []).filter(
      (id, index, all) => id !== understanding.route && all.indexOf(id) === index,
    );
    return { kind: 'route', aopId: understanding.route, then };
  }
  const choices = [...new Set(understanding.routeChoices ?? [])];
  if (choices.length >= 2) return { kind: 'clarify', choices };
  return { kind: 'unrouted' };
}
