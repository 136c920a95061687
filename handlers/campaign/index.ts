// /campaign (/活动): the command family of campaign management.
import { campaignUrgent } from './urgent.js';
import type { CommandSpec } from '../../bot/registry.js';
import { campaignBlackout, campaignDates, campaignPhase, campaignStop } from './adjust.js';
import { campaignNew } from './create.js';
import { campaignHistory } from './history.js';
import { campaignOverview } from './overview.js';
import { campaignRosterCmd } from './roster.js';
import { campaignStatus } from './status.js';

export const campaignCommand: CommandSpec = {
  name: 'campaign',
  aliases: ['活动'],
  usage: '/campaign',
  summary: '查看当前活动：进行中的阶段、日期和各支部完成情况',
  access: ['anyone'],
  run: campaignStatus,
  subcommands: [
    campaignNew,
    campaignOverview,
    campaignHistory,
    campaignPhase,
    campaignDates,
    campaignBlackout,
    campaignRosterCmd,
    campaignUrgent,
    campaignStop,
  ],
};
