// fsync of a directory, so a rename or create inside it survives a crash (CORRECTNESS.md B2.2).
import { open } from 'node:fs/promises';

export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
