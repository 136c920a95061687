// Held model posts and their semester re-checks (示范岗 · 每学期复核): the semester calendar (/学期), the list
// of held posts and 撤销 (/示范岗), and the tick hook that re-checks every held post each semester —
// across the end of the campaign that awarded it.
import type { Capability } from '../../bot/capability.js';
import type { TickHook } from '../../bot/schedule.js';
import { postsCommand } from './posts-command.js';
import { recheckJobs } from './recheck-jobs.js';
import { openRechecks } from './recheck-open.js';
import { revokeAction, revokeFormAction } from './revoke.js';
import { semesterCommand } from './semester-command.js';

export const recheckHook: TickHook = async (deps, now, running) => {
  const platforms = [...new Set(deps.apis.map((a) => a.platform))];
  if (!platforms.length) return;
  await openRechecks(deps.db, platforms, now, deps.timezone);
  await recheckJobs(deps, now, platforms, running);
};

export const postsCapability: Capability = {
  id: 'posts',
  commands: [postsCommand, semesterCommand],
  actions: [revokeFormAction, revokeAction],
  tickHooks: [recheckHook],
};
