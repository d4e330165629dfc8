// sorted-btree is CommonJS with `exports.default`; under ESM the class sits on `.default`.
import { createRequire } from 'node:module';
import type BTreeClass from 'sorted-btree/b+tree.js';

const require = createRequire(import.meta.url);
export type BTree<K, V> = BTreeClass.default<K, V>;
export const BTree = (require('sorted-btree') as { default: typeof BTreeClass.default }).default;
