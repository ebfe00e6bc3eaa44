/**
 * Finds a route over the public channel graph: the fewest hops among open
 * channels whose capacity can carry the amount (breadth-first search). Like
 * Lightning's gossip, the graph shows capacities, not balances: a hop whose
 * balance turns out too small refuses its lock and the payment is cancelled.
 */
import { NoRouteError } from "./errors";
import type { ChannelEdge } from "./network";

export function findRoute(edges: ChannelEdge[], from: string, to: string, amount: bigint): string[] {
  const neighbours = new Map<string, string[]>();
  for (const edge of edges) {
    if (edge.capacity < amount) continue;
    neighbours.set(edge.a, [...(neighbours.get(edge.a) ?? []), edge.b]);
    neighbours.set(edge.b, [...(neighbours.get(edge.b) ?? []), edge.a]);
  }
  const previous = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  while (queue.length > 0) {
    const here = queue.shift()!;
    if (here === to) break;
    for (const next of (neighbours.get(here) ?? []).sort()) {
      if (previous.has(next)) continue;
      previous.set(next, here);
      queue.push(next);
    }
  }
  if (from === to || !previous.has(to)) throw new NoRouteError(from, to, amount);
  const route = [to];
  for (let at = previous.get(to); at != null; at = previous.get(at)) route.unshift(at);
  return route;
}
