// The thread behind sdk/md5.ts: hashes the byte ranges of blocks of shared memory for the streams it
// is told about and hands each block back once its bytes are in the hash. Messages arrive in the
// order they were sent, so every stream's blocks are hashed in order.
import { createHash, type Hash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import type { ToMain, ToWorker } from './md5.js';

const port = parentPort;
if (!port) throw new Error('md5-worker.js runs as a worker thread');

const hashes = new Map<number, Hash>();

port.on('message', (m: ToWorker) => {
  switch (m.op) {
    case 'update': {
      let h = hashes.get(m.id);
      if (!h) hashes.set(m.id, (h = createHash('md5')));
      const view = new Uint8Array(m.block);
      for (let i = 0; i < m.ranges.length; i += 2) h.update(view.subarray(m.ranges[i], m.ranges[i + 1]));
      port.postMessage({ op: 'block', block: m.block } satisfies ToMain);
      break;
    }
    case 'digest': {
      const h = hashes.get(m.id) ?? createHash('md5');
      hashes.delete(m.id);
      port.postMessage({ op: 'digest', id: m.id, hex: h.digest('hex') } satisfies ToMain);
      break;
    }
    case 'drop':
      hashes.delete(m.id);
      break;
  }
});
