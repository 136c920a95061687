// The campaign's 师生评议 / 群众评议 phases (a phase the template gives to respondents) drive the surveys:
// one per branch opens with the phase and is announced in the branch chat; secretaries whose survey
// is short of answers hear of it each morning; at the close the survey ends and its result goes to them.
import { and, eq } from 'drizzle-orm';
import { surveyOpenedCard } from '../../cards/survey-cards.js';
import { DIGEST_HOUR, sendableAt } from '../../bot/engine/due-jobs.js';
import { enqueue, type OutboxMessage } from '../../bot/outbox.js';
import type { TickCampaign, TickDeps } from '../../bot/schedule.js';
import { formatDeadline, localDate, localParts } from '../../bot/time.js';
import { runBatch } from '../../db/client.js';
import { surveys } from '../../db/schema.js';
import { resultCardOf, SURVEY_MIN_SAMPLE, SURVEY_THRESHOLD, viewOf } from './command.js';
import { DEFAULT_CRITERIA } from './fields.js';
import { RATE_RULE, surveyResult } from './results.js';
import { closeSurvey, openSurvey, tallyOf } from './store.js';

export async function surveyPhaseHook(deps: TickDeps, now: Date, campaigns: TickCampaign[]): Promise<void> {
  const pages = deps.pages;
  const secret = deps.config.reviewSecret;
  if (!pages || !secret) return;
  for (const { campaign: c, state } of campaigns) {
    for (const phase of state.phases) {
      if (!c.template.phases[phase.seq]?.actors.includes('respondent')) continue;
      const open = phase.opensAt <= now && now < phase.closesAt;
      const messages: OutboxMessage[] = [];
      const mine = await deps.db
        .select()
        .from(surveys)
        .where(and(eq(surveys.campaignId, c.id), eq(surveys.phaseId, phase.id)));
      for (const branch of state.branches) {
        let survey = mine.find((s) => s.branchId === branch.id);
        const secretaries = state.roster.filter((r) => r.role === 'secretary' && r.branchId === branch.id);
        const notBefore = sendableAt(state, now);
        if (open && !survey) {
          survey = await openSurvey(deps.db, secret, {
            platform: c.platform,
            tenantKey: c.tenantKey,
            branchId: branch.id,
            campaignId: c.id,
            phaseId: phase.id,
            title: `${branch.name} ${phase.title}`,
            mode: 'open',
            codes: 0,
            criteria: DEFAULT_CRITERIA,
            threshold: SURVEY_THRESHOLD,
            minSample: SURVEY_MIN_SAMPLE,
            rateRule: RATE_RULE,
            openedBy: 'scheduler',
            now,
          });
          if (branch.chatId) {
            const card = surveyOpenedCard(viewOf(survey, branch.name, pages), formatDeadline(phase.closesAt, c.timezone));
            messages.push({
              key: `survey-open:${survey.id}`,
              platform: c.platform,
              to: { type: 'chat', id: branch.chatId },
              content: { kind: 'card', card },
              notBefore,
              campaignId: c.id,
              expiresAt: phase.closesAt,
            });
          }
        }
        if (!survey) continue;
        if (open && localParts(now, c.timezone).hour >= DIGEST_HOUR) {
          const { n } = surveyResult(await tallyOf(deps.db, survey.id), survey.threshold, survey.minSample, survey.criteria);
          if (n < survey.minSample) {
            const today = localDate(now, c.timezone);
            const text = `「${survey.title}」目前收到 ${n} 份评价，不足 ${survey.minSample} 份，暂不能给出结论。请在服务窗口张贴二维码，或发送 /满意度 开启 编码 N 生成评价码在座谈会上发放。`;
            for (const sec of secretaries) {
              messages.push({
                key: `survey-low:${survey.id}:${today}:${sec.memberId}`,
                platform: c.platform,
                to: { type: 'user', id: sec.userId },
                content: { kind: 'text', text },
                notBefore,
                campaignId: c.id,
              });
            }
          }
        }
        if (now >= phase.closesAt && (await closeSurvey(deps.db, survey.id, now))) {
          const card = await resultCardOf(deps.db, { ...survey, status: 'closed' }, branch.name, pages);
          for (const sec of secretaries) {
            messages.push({
              key: `survey-result:${survey.id}:${sec.memberId}`,
              platform: c.platform,
              to: { type: 'user', id: sec.userId },
              content: { kind: 'card', card },
              notBefore,
              campaignId: c.id,
            });
          }
        }
      }
      await runBatch(
        deps.db,
        messages.map((m) => enqueue(deps.db, m)),
      );
    }
  }
}
