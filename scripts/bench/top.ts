import { readFileSync } from 'node:fs';

/**
 * `node --import tsx scripts/bench/top.ts <file.cpuprofile> [n]`: the functions
 * with the most self time, and the packages they belong to.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
const [file, count = '25'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file!, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const selfTime = new Map<number, number>();
profile.samples.forEach((id, index) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));

const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
let busy = 0;
for (const [id, time] of selfTime) {
  const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
  if (functionName === '(idle)') continue;
  busy += time;
  const where = url.replace(/.*node_modules\//, '').replace(/^file:\/\/.*?\/dist\//, 'gateway/');
  byFunction.set(`${functionName || '(anonymous)'} ${where}:${lineNumber}`, (byFunction.get(`${functionName || '(anonymous)'} ${where}:${lineNumber}`) ?? 0) + time);
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.includes('/dist/') ? 'gateway' : url.startsWith('node:') ? 'node core' : functionName);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + time);
}
const print = (title: string, map: Map<string, number>, n: number) => {
  process.stdout.write(`${title} (share of busy time)\n`);
  for (const [name, time] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    process.stdout.write(`${((time / busy) * 100).toFixed(1).padStart(5)}%  ${name}\n`);
  }
};
print('functions', byFunction, Number(count));
print('packages', byPackage, 12);
