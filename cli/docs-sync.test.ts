// Keeps docs/configuration.md and the commander program in step, both directions: every command has a
// section, every flag of a command is in its table with the same GODFS_* twin and default, and the
// docs list nothing the CLI does not have. Server roles must give every flag an environment twin.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Command, Option } from 'commander';
import { allCommands, buildProgram } from './program.js';

const DOC = fileURLToPath(new URL('../../docs/configuration.md', import.meta.url));
const CLIENT_FLAGS = 'client flags';
const SERVER_ROLES = ['godfs up', 'godfs master', 'godfs chunkserver', 'godfs gateway'];

interface DocRow {
  flag: string;
  env: string | undefined;
  def: string | undefined;
}

interface DocSection {
  rows: DocRow[];
  usesClientFlags: boolean;
}

/** `## godfs put` / `## Client flags` sections, each with a `| flag | environment | default | meaning |` table. */
export function parseConfigDoc(text: string): Map<string, DocSection> {
  const sections = new Map<string, DocSection>();
  let current: DocSection | undefined;
  for (const line of text.split('\n')) {
    const h = /^#{2,3} +`?([^`]+?)`? *$/.exec(line);
    if (h) {
      const title = h[1]!.trim();
      const key = /^godfs\b/.test(title) ? title : title.toLowerCase() === CLIENT_FLAGS ? CLIENT_FLAGS : undefined;
      current = key ? { rows: [], usesClientFlags: false } : undefined;
      if (key) sections.set(key, current!);
      continue;
    }
    if (!current) continue;
    if (/\[client flags\]\(#client-flags\)/i.test(line)) current.usesClientFlags = true;
    const cells = /^\|(.*)\|\s*$/.exec(line)?.[1]!.split('|').map((c) => c.trim());
    if (!cells || cells.length < 4 || /^-+$/.test(cells[0]!.replace(/[: ]/g, '')) || cells[0] === 'flag') continue;
    const flag = /--[a-z0-9-]+/.exec(cells[0]!)?.[0];
    if (!flag) continue;
    const env = /`(GODFS_[A-Z0-9_]+)`/.exec(cells[1]!)?.[1];
    const def = /`([^`]*)`/.exec(cells[2]!)?.[1];
    current.rows.push({ flag, env, def });
  }
  return sections;
}

function programDefault(o: Option): string | undefined {
  if (o.defaultValueDescription !== undefined) return o.defaultValueDescription.replace(/^"(.*)"$/, '$1');
  if (o.defaultValue === undefined) return undefined;
  return String(o.defaultValue);
}

function ownOptions(cmd: Command): Option[] {
  return cmd.options.filter((o) => !o.hidden);
}

describe('docs/configuration.md', function () {
  let doc: Map<string, DocSection>;
  const program = buildProgram();
  const commands = allCommands(program).filter(({ cmd }) => cmd.commands.length === 0);
  const clientFlagNames = new Set(['--master', '--api-key', '--credentials', '--short-circuit-reads']);

  before(async function () {
    doc = parseConfigDoc(await readFile(DOC, 'utf8'));
  });

  it('has a section for every command and no section for a command that does not exist', function () {
    const inProgram = commands.map((c) => c.path).sort();
    const inDocs = [...doc.keys()].filter((k) => k !== CLIENT_FLAGS).sort();
    assert.deepEqual(inDocs, inProgram);
  });

  it('lists every flag of every command with its GODFS_* twin and default, and nothing else', function () {
    const clientRows = doc.get(CLIENT_FLAGS)?.rows ?? [];
    for (const { path, cmd } of commands) {
      const section = doc.get(path);
      assert.ok(section, `docs/configuration.md has a section "## ${path}"`);
      const isClient = ownOptions(cmd).some((o) => o.long === '--credentials');
      assert.equal(section.usesClientFlags, isClient, `${path}: the section ${isClient ? 'must' : 'must not'} refer to [client flags](#client-flags)`);
      const rows = [...section.rows, ...(section.usesClientFlags ? clientRows : [])];
      const documented = new Map(rows.map((r) => [r.flag, r]));
      assert.equal(documented.size, rows.length, `${path}: a flag is documented twice`);
      const actual = new Map(ownOptions(cmd).map((o) => [o.long!, o]));
      assert.deepEqual([...documented.keys()].sort(), [...actual.keys()].sort(), `${path}: documented flags differ from the CLI's`);
      for (const [flag, o] of actual) {
        const r = documented.get(flag)!;
        assert.equal(r.env, o.envVar, `${path} ${flag}: environment variable`);
        assert.equal(r.def, programDefault(o), `${path} ${flag}: default`);
      }
    }
  });

  it('documents the client flags once, as the CLI defines them', function () {
    const rows = doc.get(CLIENT_FLAGS)?.rows ?? [];
    assert.deepEqual(rows.map((r) => r.flag).sort(), [...clientFlagNames].sort());
  });

  it('gives every flag of the server roles a GODFS_* twin', function () {
    for (const path of SERVER_ROLES) {
      const cmd = commands.find((c) => c.path === path)?.cmd;
      assert.ok(cmd, path);
      for (const o of ownOptions(cmd)) assert.match(o.envVar ?? '', /^GODFS_[A-Z0-9_]+$/, `${path} ${o.long} has a GODFS_* twin`);
    }
    for (const { path, cmd } of commands) {
      for (const o of ownOptions(cmd)) if (o.envVar) assert.match(o.envVar, /^GODFS_[A-Z0-9_]+$/, `${path} ${o.long}: variables are named GODFS_*`);
    }
  });
});
