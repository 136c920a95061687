// vitest globalSetup: build dist/ once, so tests that spawn the production server run what
// `npm start` runs (plain JavaScript under node), not the TypeScript sources.
import { execFileSync } from 'node:child_process';
import { root } from './processes.js';

export default function setup(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
}
