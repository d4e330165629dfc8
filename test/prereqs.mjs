#!/usr/bin/env node
// Run by `npm test` before anything else (the `pretest` script): checks that the system tools the
// suites drive are installed, and stops within a second naming the Debian packages to install, rather
// than failing minutes later in the middle of a suite. Plain JavaScript, so it runs before the build.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** On PATH and executable. */
function onPath(cmd) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, cmd), constants.X_OK);
      return true;
    } catch {
      /* next */
    }
  }
  return false;
}

function libfuse2() {
  const dirs = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/lib/x86_64-linux-gnu', '/lib/aarch64-linux-gnu', '/usr/lib', '/lib', '/usr/lib64'];
  return dirs.some((d) => existsSync(join(d, 'libfuse.so.2')));
}

function boto3() {
  // The boto3 suite runs Debian's python (not a pyenv or venv one), as python3-boto3 installs it there.
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import boto3'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** What each suite needs, and the Debian package that provides it. */
const PREREQUISITES = [
  { pkg: 'awscli', what: 'aws (the aws-cli conformance suite)', ok: () => onPath('aws') },
  { pkg: 's3cmd', what: 's3cmd (its conformance suite)', ok: () => onPath('s3cmd') },
  { pkg: 'rclone', what: 'rclone (its conformance suite)', ok: () => onPath('rclone') },
  { pkg: 'python3-boto3', what: 'boto3 importable by /usr/bin/python3 (the boto3 suite)', ok: boto3 },
  { pkg: 'libfuse2', what: 'libfuse.so.2 (the FUSE mount; Debian 13 calls it libfuse2t64)', ok: libfuse2 },
  { pkg: 'fuse3', what: 'fusermount (mounting and unmounting)', ok: () => onPath('fusermount') || onPath('fusermount3') },
  { pkg: 'attr', what: 'getfattr and setfattr (the mount\'s extended-attribute tests)', ok: () => onPath('getfattr') && onPath('setfattr') },
];

const missing = PREREQUISITES.filter((p) => !p.ok());
if (missing.length) {
  process.stderr.write(
    `npm test: missing system packages, needed by the test suites:\n` +
      missing.map((p) => `  ${p.pkg.padEnd(14)} ${p.what}\n`).join('') +
      `Install them (Debian/Ubuntu, as root) and run npm test again:\n` +
      `  apt-get install -y --no-install-recommends ${missing.map((p) => p.pkg).join(' ')}\n`,
  );
  process.exit(1);
}
if (!existsSync('/dev/fuse')) {
  process.stderr.write('npm test: /dev/fuse does not exist: the FUSE mount tests need it (a container needs --device /dev/fuse --cap-add SYS_ADMIN)\n');
  process.exit(1);
}
