// Names of a document's root types, looked up by type object. Yjs keeps roots in
// `doc.share` (name → type) with no back-reference, and items point at their parent type,
// so the authority needs the reverse map; it is rebuilt on a miss (there are seven roots).
import type * as Y from 'yjs';
import { reject } from './refusal.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- doc.share holds AbstractType<YEvent<any>>
export type AnyType = Y.AbstractType<any>;

export interface RootNames {
  /** the root name of a parent type; refuses nested types */
  nameOf(type: AnyType): string;
  /** the root type of that name, if the document has one yet */
  typeOf(name: string): AnyType | undefined;
}

export function createRootNames(doc: Y.Doc): RootNames {
  let names = new Map<AnyType, string>();
  const rebuild = (): void => {
    names = new Map();
    for (const [name, type] of doc.share) names.set(type, name);
  };
  return {
    nameOf(type) {
      if (type._item !== null) return reject('nested type');
      let name = names.get(type);
      if (name === undefined) {
        rebuild();
        name = names.get(type);
      }
      return name ?? reject('unknown root');
    },
    typeOf(name) {
      return doc.share.get(name);
    },
  };
}
