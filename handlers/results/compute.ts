// A campaign's results: every title of its formula ranked over the candidates the campaign stored,
// read fresh each time (nothing here is written; 评选表彰 snapshots what it nominates).
import { rankTitle, type Candidate, type PartValue, type ResultSource, type ResultsSpec, type TitleResult } from '../../bot/campaign/results.js';
import { isAssessPhase, phaseAnswer, type CampaignState } from '../../bot/campaign/state.js';
import { findTemplate } from '../../bot/campaign/templates/index.js';
import type { Config } from '../../bot/config.js';
import { loadCampaignState, type CampaignRow } from '../../bot/engine/store.js';
import type { Db } from '../../db/client.js';
import { latestLists, phaseDeclarations } from '../assess/declare-store.js';
import { reviewResponses } from '../review/responses.js';
import {
  branchCompletion,
  branchSelfCheck,
  committeeScores,
  latestOpened,
  campaignEnd,
  leaderFiveGoods,
  peerGrades,
  pledgeFulfilment,
  satisfaction,
  selfScores,
  type PartsBySubject,
} from './sources.js';

export interface CampaignResults {
  campaign: CampaignRow;
  spec: ResultsSpec;
  titles: TitleResult[];
}

/** The formula frozen in the campaign; a campaign started before formulas existed uses its template's current one. */
export function resultsSpecOf(campaign: CampaignRow): ResultsSpec | null {
  return campaign.template.results ?? findTemplate(campaign.templateId)?.template.results ?? null;
}

type Parts = Partial<Record<ResultSource, PartsBySubject>>;

async function readParts(db: Db, campaign: CampaignRow, state: CampaignState, sources: Set<ResultSource>, now: Date) {
  const endsAt = campaignEnd(campaign, state.phases);
  const parts: Parts = {};
  let vetoed = new Set<number>();
  const declare = latestOpened(state.phases, now, (p) => p.kind === 'declare' && isAssessPhase(p));
  if (declare && sources.has('committee-score')) {
    const c = await committeeScores(db, declare);
    parts['committee-score'] = c.parts;
    vetoed = c.vetoed;
  }
  if (declare && sources.has('self-score')) parts['self-score'] = await selfScores(db, declare);
  const peer = latestOpened(state.phases, now, (p) => phaseAnswer(p) === 'peer-review');
  if (peer && sources.has('peer-grades')) parts['peer-grades'] = await peerGrades(db, peer);
  const pledge = latestOpened(state.phases, now, (p) => p.kind === 'pledge');
  if (pledge && sources.has('pledge-fulfilment')) parts['pledge-fulfilment'] = await pledgeFulfilment(db, campaign.id, pledge);
  if (sources.has('leader-five-goods')) {
    const leader = latestOpened(state.phases, now, (p) => phaseAnswer(p) === 'leader-review');
    parts['leader-five-goods'] = await leaderFiveGoods(db, leader ? [leader] : []);
  }
  const branchIds = state.branches.map((b) => b.id);
  if (sources.has('satisfaction')) parts.satisfaction = await satisfaction(db, campaign, endsAt, branchIds);
  if (sources.has('branch-self-check')) parts['branch-self-check'] = await branchSelfCheck(db, campaign.id);
  if (sources.has('completion')) parts.completion = branchCompletion(state, now);
  return { parts, vetoed, declare };
}

function pick(parts: Parts, sources: ResultSource[], id: (source: ResultSource) => number | null): Partial<Record<ResultSource, PartValue>> {
  const out: Partial<Record<ResultSource, PartValue>> = {};
  for (const s of sources) {
    const key = id(s);
    const v = key === null ? undefined : parts[s]?.get(key);
    if (v) out[s] = v;
  }
  return out;
}

/**
 * What every title of the campaign's formula ranks, as of `now`; null when the template defines no
 * results. A campaign of yearly rounds is judged on the phases of the round given.
 */
export async function computeResults(db: Db, config: Config, campaign: CampaignRow, now: Date, round?: number): Promise<CampaignResults | null> {
  const spec = resultsSpecOf(campaign);
  if (!spec) return null;
  const loaded = await loadCampaignState(db, campaign, { config, sources: [reviewResponses], keys: 'none' });
  const state = { ...loaded, phases: loaded.phases.filter((p) => round === undefined || p.round === null || p.round === round) };
  const used = new Set(spec.titles.flatMap((t) => t.parts.map((p) => p.source)));
  const { parts, vetoed, declare } = await readParts(db, campaign, state, used, now);
  const branchName = new Map(state.branches.map((b) => [b.id, b.name]));
  const branchOf = new Map(state.roster.map((r) => [r.memberId, r.branchId]));
  const partyMembers = state.roster.filter((r) => r.role === 'member' || r.role === 'secretary');

  const applicants: Candidate[] = [];
  if (declare) {
    const declarations = await phaseDeclarations(db, declare.id);
    const rosterById = new Map(state.roster.map((r) => [r.memberId, r]));
    for (const list of await latestLists(db, declare.id)) {
      for (const memberId of list.memberIds) {
        const d = declarations.get(memberId);
        const person = rosterById.get(memberId);
        if (!d || !person) continue;
        applicants.push({
          subjectId: memberId,
          name: person.name,
          branch: branchName.get(list.branchId) ?? '',
          postKind: d.postKind,
          parts: {},
          vetoed: vetoed.has(memberId),
        });
      }
    }
  }

  const titles = spec.titles.map((title) => {
    const sources = title.parts.map((p) => p.source);
    const memberParts = (memberId: number) => pick(parts, sources, () => memberId);
    // A secretary is judged on their branch's figures and on their own pledge.
    const secretaryParts = (memberId: number) => pick(parts, sources, (s) => (s === 'pledge-fulfilment' ? memberId : (branchOf.get(memberId) ?? null)));
    let candidates: Candidate[];
    let pool: number;
    switch (title.subject) {
      case 'applicant':
        candidates = applicants.map((a) => ({ ...a, parts: memberParts(a.subjectId) }));
        pool = candidates.length;
        break;
      case 'member':
        candidates = partyMembers.map((r) => ({
          subjectId: r.memberId,
          name: r.name,
          branch: branchName.get(r.branchId ?? -1) ?? '',
          postKind: null,
          parts: memberParts(r.memberId),
          vetoed: false,
        }));
        pool = candidates.length;
        break;
      case 'secretary':
        candidates = state.roster
          .filter((r) => r.role === 'secretary')
          .map((r) => ({
            subjectId: r.memberId,
            name: r.name,
            branch: branchName.get(r.branchId ?? -1) ?? '',
            postKind: null,
            parts: secretaryParts(r.memberId),
            vetoed: false,
          }));
        pool = candidates.length;
        break;
      case 'branch':
        candidates = state.branches.map((b) => ({
          subjectId: b.id,
          name: b.name,
          branch: b.name,
          postKind: null,
          parts: pick(parts, sources, () => b.id),
          vetoed: false,
        }));
        pool = candidates.length;
        break;
    }
    return rankTitle(title, candidates, pool);
  });
  return { campaign, spec, titles };
}
