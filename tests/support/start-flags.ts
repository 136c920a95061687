// The node flags `npm start` runs the bot with (package.json), for what must run it the same way:
// the scheduler bench's bot process, and the Dockerfile (checked in config.test.ts).
import { readFileSync } from 'node:fs';

const ENTRY = 'dist/bot/entry-node.js';

export function startNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
  const m = new RegExp(`\\bnode ((?:--\\S+ )*)${ENTRY.replaceAll('.', '\\.')}`).exec(pkg.scripts.start);
  if (!m) throw new Error(`package.json "start" does not run node on ${ENTRY}: ${pkg.scripts.start}`);
  return m[1]!.trim().split(' ').filter(Boolean);
}

export function dockerNodeFlags(): string[] {
  const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8'));
  if (!cmd) throw new Error('Dockerfile has no CMD [...]');
  const argv = JSON.parse(cmd[1]!) as string[];
  if (argv[0] !== 'node' || argv.at(-1) !== ENTRY) throw new Error(`Dockerfile CMD does not run node on ${ENTRY}`);
  return argv.slice(1, -1);
}
