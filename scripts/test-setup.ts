import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm test` runs this first (the `pretest` script), so that the README's test
 * command works on a fresh machine. The tests drive real components, never
 * mocks: Debian's Chromium (the GraphiQL browser test) and redis-server (the
 * shared cache), plus any test-only npm folder under test/ that has its own
 * lockfile (kept apart because its dependencies would change the gateway's
 * own tree). What can be installed is installed (as root with apt-get, as on
 * CI); otherwise this stops before any test runs, with one line naming
 * exactly what to install.
 */
const DEBIAN_PACKAGES: ReadonlyArray<{ readonly command: string; readonly pkg: string }> = [
  { command: 'chromium', pkg: 'chromium' },
  { command: 'redis-server', pkg: 'redis-server' },
];

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function installDebianPackages(): void {
  const missing = DEBIAN_PACKAGES.filter(({ command }) => !onPath(command)).map(({ pkg }) => pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0 || !onPath('apt-get')) {
    process.stderr.write(`npm test needs the Debian packages ${missing.join(' and ')}: run  sudo apt-get install -y ${missing.join(' ')}\n`);
    process.exit(1);
  }
  process.stdout.write(`test set-up: installing ${missing.join(', ')} with apt-get\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', ...missing], { stdio: 'inherit', env });
}

/** Test-only npm folders: installed from their own lockfile when their node_modules is missing or older than it. */
function installTestFolders(): void {
  for (const entry of readdirSync('test', { withFileTypes: true })) {
    const folder = join('test', entry.name);
    const lockfile = join(folder, 'package-lock.json');
    if (!entry.isDirectory() || !existsSync(lockfile)) continue;
    const installed = join(folder, 'node_modules', '.package-lock.json');
    if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lockfile).mtimeMs) continue;
    process.stdout.write(`test set-up: npm ci in ${folder}\n`);
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: folder, stdio: 'inherit' });
  }
}

// `--npm-only`: just the test-only npm folders, for scripts that drive one of them (`npm run bench:federation`).
if (!process.argv.includes('--npm-only')) installDebianPackages();
installTestFolders();
