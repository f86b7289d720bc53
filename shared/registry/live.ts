import { DescribeStateMachineAliasCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { RoutableAop } from '../engine/tenant.ts';
import { parseStateMachineArn, versionArnOf, versionOfArn } from './arns.ts';

/**
 * Which state machine a turn runs. A conversation stays on the version it was routed to: its turns
 * start that version's ARN (`…:NAME:N`), never the alias, so moving `live` does not disturb it. A new
 * conversation goes where `live` points now: the alias is read when the conversation is routed (one
 * DescribeStateMachineAlias), not from configuration captured at cold start.
 */

/** One entry per AOP for the router: the newest version's routing description. */
export function routingChoices(routable: readonly RoutableAop[]): RoutableAop[] {
  const newest = new Map<string, RoutableAop>();
  for (const route of routable) {
    const seen = newest.get(route.id);
    if (!seen || route.version > seen.version) newest.set(route.id, route);
  }
  return [...newest.values()];
}

/**
 * The route a new conversation takes: the version the route's alias names now, started on its version
 * ARN. A route whose ARN is not an alias (a test's plain machine) is taken as it is.
 */
export async function liveRoute(
  sfn: SFNClient,
  route: RoutableAop,
  routable: readonly RoutableAop[],
  random: () => number = Math.random,
): Promise<RoutableAop> {
  if (parseStateMachineArn(route.stateMachineArn)?.qualifier?.kind !== 'alias') return route;
  const { routingConfiguration = [] } = await sfn.send(
    new DescribeStateMachineAliasCommand({ stateMachineAliasArn: route.stateMachineArn }),
  );
  // Weighted like Step Functions routes an alias (a canary sends part of the traffic to a second version).
  let draw = random() * 100;
  let picked = routingConfiguration[0];
  for (const candidate of routingConfiguration) {
    draw -= candidate.weight ?? 0;
    if (draw < 0) {
      picked = candidate;
      break;
    }
  }
  const versionArn = picked?.stateMachineVersionArn;
  const version = versionOfArn(versionArn ?? '');
  if (versionArn === undefined || version === undefined)
    throw new Error(`Alias ${route.stateMachineArn} routes to no state machine version`);
  const described = routable.find((r) => r.id === route.id && r.version === version) ?? route;
  return { ...described, version, stateMachineArn: versionArn };
}

/** The ARN a pinned conversation's turn starts: its version's, whatever the route's alias says now. */
export function pinnedMachineArn(route: RoutableAop | undefined, version: number): string | undefined {
  if (!route) return undefined;
  return parseStateMachineArn(route.stateMachineArn)
    ? versionArnOf(route.stateMachineArn, version)
    : route.stateMachineArn;
}
