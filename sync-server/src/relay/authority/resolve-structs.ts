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
  /** per client of the update: its state once the update is applied */
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

class Resolver {
  private readonly byClient = new Map<number, WireBlock>();
  /** document state of the update's clients, before the update */
  private readonly docState = new Map<number, number>();
  readonly items: WireItem[] = [];

  constructor(
    private readonly update: WireUpdate,
    private readonly doc: Y.Doc,
    private readonly roots: RootNames,
  ) {
    for (const block of update.blocks) {
      const state = Y.getState(doc.store, block.client);
      block.state = state;
      block.next = 0;
      this.byClient.set(block.client, block);
      this.docState.set(block.client, state);
    }
  }

  private known(client: number): number {
    return this.byClient.get(client)?.state ?? Y.getState(this.doc.store, client);
  }

  private placementOf(id: WireId): Placement {
    const before = this.docState.get(id.client) ?? Y.getState(this.doc.store, id.client);
    if (id.clock < before) return this.docPlacement(id);
    const block = this.byClient.get(id.client);
    const struct = block === undefined ? undefined : findInBlock(block, id.clock);
    if (struct === undefined || struct.kind !== 'item' || struct.gc) return GC_PLACEMENT;
    return { gc: false, root: struct.root, sub: struct.sub };
  }

  /** Placement of a struct the document already has. */
  private docPlacement(id: WireId): Placement {
    const structs = this.doc.store.clients.get(id.client);
    if (structs === undefined) return reject('unknown origin');
    const struct = structs[Y.findIndexSS(structs, id.clock)];
    if (struct === undefined || struct instanceof Y.GC) return GC_PLACEMENT;
    const parent = struct.parent;
    if (!(parent instanceof Y.AbstractType)) return GC_PLACEMENT;
    return { gc: false, root: this.roots.nameOf(parent), sub: struct.parentSub };
  }

  /** Parent and key as Yjs's getMissing sets them. */
  private resolve(item: WireItem): void {
    const left = item.origin === null ? null : this.placementOf(item.origin);
    const right = item.rightOrigin === null ? null : this.placementOf(item.rightOrigin);
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
  }

  /** The client of a dependency not integrated yet, or null. */
  private missing(item: WireItem): number | null {
    const wait = (dep: WireId | null): number | null => {
      if (dep === null || dep.clock < this.known(dep.client)) return null;
      // Yjs does not wait for the item's own client and would throw on a forward origin.
      if (dep.client === item.client) reject('unknown origin');
      return dep.client;
    };
    return wait(item.origin) ?? wait(item.rightOrigin);
  }

  private take(block: WireBlock | undefined): WireStruct | undefined {
    if (block === undefined || block.next >= block.structs.length) return undefined;
    return block.structs[block.next++];
  }

  /**
   * Same walk as Yjs's integrateStructs: clients from the highest id down; a struct that
   * waits for another client is stacked while that client's next struct goes first; after
   * each step the top of the stack is retried. Every step consumes a struct, so the walk is
   * linear. Wherever Yjs would park structs as pending, refuse.
   */
  run(): void {
    const order = this.update.blocks.slice().sort((a, b) => b.client - a.client);
    let target = 0;
    const nextFromTargets = (): WireStruct | undefined => {
      for (; target < order.length; target++) {
        const s = this.take(order[target]);
        if (s !== undefined) return s;
      }
      return undefined;
    };
    const stack: WireItem[] = [];
    let head = nextFromTargets();
    while (head !== undefined) {
      if (head.kind !== 'skip') {
        const block = this.byClient.get(head.client)!;
        const local = block.state;
        if (head.clock > local) reject('missing structs');
        const wait = head.kind === 'item' ? this.missing(head) : null;
        if (wait !== null) {
          stack.push(head as WireItem);
          head = this.take(this.byClient.get(wait));
          if (head === undefined) reject('unknown origin');
          continue;
        }
        if (head.kind === 'item') {
          this.resolve(head);
          head.offset = local - head.clock;
          head.known = head.offset >= head.length;
          if (!head.known && !head.gc) this.items.push(head);
        }
        if (head.clock + head.length > local) block.state = head.clock + head.length;
      }
      head = stack.pop() ?? nextFromTargets();
    }
  }
}

export function resolveStructs(update: WireUpdate, doc: Y.Doc, roots: RootNames): Resolution {
  const resolver = new Resolver(update, doc, roots);
  resolver.run();
  const endState = new Map<number, number>();
  for (const block of update.blocks) endState.set(block.client, block.state);
  return { endState, items: resolver.items };
}
