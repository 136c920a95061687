// The sandbox's "时间" control: move the adjustable clock (next phase, +1 day, 09:00, a chosen time)
// and run the scheduler tick at once, so what is due shows up where it would.
import { and, asc, eq, gt } from 'drizzle-orm';
import type { AdjustableClock } from '../../../clock.js';
import type { AdapterHost } from '../../../platform.js';
import { addDays, formatLocal, localDate, localParts, zonedTime } from '../../../time.js';
import { campaignPhases, campaigns } from '../../../../db/schema.js';
import { WebRefusal } from '../form-post.js';

interface ClockDeps {
  host: AdapterHost;
  clock: AdjustableClock;
}

async function nextPhaseStart(d: ClockDeps): Promise<Date | null> {
  const now = d.clock.now();
  const [next] = await d.host.db
    .select({ opensAt: campaignPhases.opensAt })
    .from(campaignPhases)
    .innerJoin(campaigns, eq(campaigns.id, campaignPhases.campaignId))
    .where(and(eq(campaigns.platform, 'web'), eq(campaigns.status, 'active'), gt(campaignPhases.opensAt, now)))
    .orderBy(asc(campaignPhases.opensAt))
    .limit(1);
  return next?.opensAt ?? null;
}

/** "2026-12-10T09:30" in the campaign time zone. */
function localInput(value: string, tz: string): Date | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const at = zonedTime(m[1]!, Number(m[2]), tz);
  return Number.isNaN(at.getTime()) ? null : new Date(at.getTime() + Number(m[3]) * 60_000);
}

export async function moveClock(d: ClockDeps, op: string, at: string | undefined, tick = true): Promise<string> {
  const tz = d.host.config.timezone;
  const now = d.clock.now();
  switch (op) {
    case 'next-phase': {
      const next = await nextPhaseStart(d);
      if (!next) return '活动没有下一阶段了。';
      // Phases open at midnight, when announcements wait for the morning: go to 09:00 of that day.
      const morning = zonedTime(localDate(next, tz), 9, tz);
      d.clock.set(new Date(Math.max(next.getTime(), morning.getTime()) + 60_000));
      break;
    }
    case 'plus-day':
      d.clock.advance(24 * 3600_000);
      break;
    case 'nine': {
      const today = localDate(now, tz);
      const day = localParts(now, tz).hour < 9 ? today : addDays(today, 1);
      d.clock.set(new Date(zonedTime(day, 9, tz).getTime() + 60_000));
      break;
    }
    case 'set': {
      const target = localInput(at ?? '', tz);
      if (!target) throw new WebRefusal(400, '时间格式不对', '请用日期时间控件选择时间，例如 2026-12-10 09:30。');
      d.clock.set(target);
      break;
    }
    default:
      throw new WebRefusal(400, '未知的时间操作', '请使用页面上的时间按钮。');
  }
  if (!tick) return '';
  await d.host.tick();
  await d.host.idle(5_000);
  return `沙盒时间已调到 ${formatLocal(d.clock.now(), tz)}，定时任务已运行。`;
}
