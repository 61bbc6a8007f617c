// Causality pass: replays Yjs's integration order (integrateStructs + Item.getMissing)
// on the decoded structs without touching the document, to prove that applying the update
// would integrate every struct and leave nothing in `doc.store.pendingStructs`. On the way it
// resolves each item's effective parent the way Yjs does: items with an origin carry no
// parent on the wire and inherit parent and key from the origin (or right origin) item,
// which lives either earlier in this update or in the room's document.
import * as Y from 'yjs';
import type { WireBlock, WireId, WireItem, WireStruct, WireUpdate } from './decode-update.js';
import { reject } from './refusal.js';
import type { RootNames } from './root-names.js';

/** Where an item sits: a root and map key, or nowhere (it lands next to a GC struct). */
interface Placement {
  gc: boolean;
  root: string | null;
  sub: string | null;
}

const GC_PLACEMENT: Placement = { gc: true, root: null, sub: null };

export interface Resolution {
  /** per client: the state after this update is applied (document state or update end) */
  endState: Map<number, number>;
  /** items whose content takes effect (not skipped, not turned into GC) */
  items: WireItem[];
}

function findInBlock(block: WireBlock, clock: number): WireStruct | undefined {
  const structs = block.structs;
  let lo = 0;
  let hi = structs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = structs[mid]!;
    if (clock < s.clock) hi = mid - 1;
    else if (clock >= s.clock + s.length) lo = mid + 1;
    else return s;
  }
  return undefined;
}

/** Placement of a struct the document already has. */
function docPlacement(doc: Y.Doc, roots: RootNames, id: WireId): Placement {
  const structs = doc.store.clients.get(id.client);
  if (structs === undefined) return reject('unknown origin');
  const struct = structs[Y.findIndexSS(structs, id.clock)];
  if (struct === undefined || struct instanceof Y.GC) return GC_PLACEMENT;
  const parent = struct.parent;
  if (!(parent instanceof Y.AbstractType)) return GC_PLACEMENT;
  return { gc: false, root: roots.nameOf(parent), sub: struct.parentSub };
}

export function resolveStructs(update: WireUpdate, doc: Y.Doc, roots: RootNames): Resolution {
  const store = doc.store;
  const docState = new Map<number, number>();
  const stateOf = (client: number): number => {
    let s = docState.get(client);
    if (s === undefined) docState.set(client, (s = Y.getState(store, client)));
    return s;
  };
  const byClient = new Map<number, WireBlock>();
  for (const block of update.blocks) byClient.set(block.client, block);
  // Progress of the simulated integration: next struct index and the state reached.
  const cursor = new Map<number, number>();
  const endState = new Map<number, number>();
  const known = (client: number): number => endState.get(client) ?? stateOf(client);

  const placementOf = (id: WireId): Placement => {
    if (id.clock < stateOf(id.client)) return docPlacement(doc, roots, id);
    const block = byClient.get(id.client);
    const struct = block === undefined ? undefined : findInBlock(block, id.clock);
    if (struct === undefined || struct.kind !== 'item' || struct.gc) return GC_PLACEMENT;
    return { gc: false, root: struct.root, sub: struct.sub };
  };

  const resolve = (item: WireItem): void => {
    const left = item.origin === null ? null : placementOf(item.origin);
    const right = item.rightOrigin === null ? null : placementOf(item.rightOrigin);
    if (left?.gc === true || right?.gc === true) {
      item.gc = true;
      return;
    }
    if (left === null && right === null) {
      if (item.parentIsId) reject('nested type');
      item.root = item.parentName;
      item.sub = item.parentSub;
      return;
    }
    if (left !== null && right !== null && (left.root !== right.root || left.sub !== right.sub)) {
      reject('origins in different parents');
    }
    const from = (left ?? right)!;
    item.root = from.root;
    item.sub = from.sub;
  };

  /** The client of a dependency not integrated yet (Yjs's getMissing), or null. */
  const missing = (item: WireItem): number | null => {
    for (const dep of [item.origin, item.rightOrigin]) {
      if (dep === null || dep.clock < known(dep.client)) continue;
      // Yjs does not wait for its own client here and would throw on a forward origin.
      if (dep.client === item.client) reject('unknown origin');
      return dep.client;
    }
    return null;
  };

  // Same walk as Yjs's integrateStructs: take clients from the highest id down; when a
  // struct waits for another client, stack it and continue with that client's next struct;
  // after each step retry the top of the stack. Every step consumes a struct, so the walk
  // is linear; where Yjs would park structs as pending, refuse.
  const order = update.blocks
    .filter((b) => b.structs.length > 0)
    .sort((a, b) => b.client - a.client);
  let target = 0;
  const take = (block: WireBlock): WireStruct | undefined => {
    const i = cursor.get(block.client) ?? 0;
    cursor.set(block.client, i + 1);
    return block.structs[i];
  };
  const nextFromTargets = (): WireStruct | undefined => {
    for (; target < order.length; target++) {
      const block = order[target]!;
      if ((cursor.get(block.client) ?? 0) < block.structs.length) return take(block);
    }
    return undefined;
  };
  const items: WireItem[] = [];
  const stack: WireItem[] = [];
  let head = nextFromTargets();
  while (head !== undefined) {
    if (head.kind !== 'skip') {
      const local = known(head.client);
      if (head.clock > local) reject('missing structs');
      const wait = head.kind === 'item' ? missing(head) : null;
      if (wait !== null) {
        stack.push(head as WireItem);
        const block = byClient.get(wait);
        const next = block === undefined ? undefined : take(block);
        if (next === undefined) reject('unknown origin');
        head = next;
        continue;
      }
      if (head.kind === 'item') {
        resolve(head);
        head.offset = local - head.clock;
        head.known = head.offset >= head.length;
        if (!head.known && !head.gc) items.push(head);
      }
      if (head.clock + head.length > local) endState.set(head.client, head.clock + head.length);
    }
    head = stack.pop() ?? nextFromTargets();
  }
  for (const [client] of byClient) if (!endState.has(client)) endState.set(client, stateOf(client));
  return { endState, items };
}
