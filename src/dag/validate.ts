import { DagDefinitionError } from '../core/errors';

/**
 * Orders tasks so that each comes after its upstream tasks (Kahn's algorithm, ties in declaration
 * order). Throws naming the DAG and task for an unknown dependency or a cycle.
 */
export function topologicalOrder(dagId: string, upstreamOf: ReadonlyMap<string, readonly string[]>): string[] {
  const ids = [...upstreamOf.keys()];
  const position = new Map(ids.map((id, i) => [id, i]));
  const pending = new Map<string, number>();
  const downstream = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const [id, ups] of upstreamOf) {
    for (const up of ups) {
      if (!upstreamOf.has(up)) throw new DagDefinitionError(`dag ${dagId}, task ${id}: depends on unknown task '${up}'`, { context: { dagId, taskId: id } });
      if (up === id) throw new DagDefinitionError(`dag ${dagId}, task ${id}: depends on itself`, { context: { dagId, taskId: id } });
      downstream.get(up)!.push(id);
    }
    pending.set(id, ups.length);
  }
  const ready = ids.filter((id) => pending.get(id) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => position.get(a)! - position.get(b)!);
    const id = ready.shift()!;
    order.push(id);
    for (const d of downstream.get(id)!) {
      const left = pending.get(d)! - 1;
      pending.set(d, left);
      if (left === 0) ready.push(d);
    }
  }
  if (order.length < ids.length) {
    const cycle = findCycle(upstreamOf, new Set(order));
    throw new DagDefinitionError(`dag ${dagId}, task ${cycle[0]}: cycle ${cycle.join(' -> ')}`, { context: { dagId, taskId: cycle[0] } });
  }
  return order;
}

function findCycle(upstreamOf: ReadonlyMap<string, readonly string[]>, done: Set<string>): string[] {
  const start = [...upstreamOf.keys()].find((id) => !done.has(id))!;
  const path: string[] = [];
  const onPath = new Set<string>();
  let current = start;
  // Every unplaced task has an unplaced upstream: walk upstream until a task repeats.
  while (!onPath.has(current)) {
    path.push(current);
    onPath.add(current);
    current = upstreamOf.get(current)!.find((u) => !done.has(u))!;
  }
  const cycle = path.slice(path.indexOf(current));
  return [...cycle.reverse(), cycle[0]!];
}
