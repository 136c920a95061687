// Every capability of the bot, in the order /帮助 lists their commands: the registry the
// composition root (bot/runtime.ts) hands to the core. A new capability is its folder and a line here.
import { registryOf, type Capability } from '../bot/capability.js';
import type { Registry } from '../bot/registry.js';
import { adminsCommand } from './admins.js';
import { anniversaryCommand, anniversaryOptAction, joinedCommand } from './anniversary.js';
import { assessCapability } from './assess/capability.js';
import { bindCancelAction, bindCommand, bindConfirmAction } from './bind.js';
import { campaignCapability } from './campaign/capability.js';
import { commendCapability } from './commend/capability.js';
import { helpCommand } from './help.js';
import { ledgerCapability } from './ledger/capability.js';
import { pledgeCapability } from './pledge/capability.js';
import { postsCapability } from './posts/capability.js';
import { reviewCapability } from './review/capability.js';
import { roleCommand } from './role.js';
import { rosterCapability } from './roster/capability.js';
import { surveyCapability } from './survey/capability.js';
import { syncCommand } from './sync.js';
import { whoamiCommand } from './whoami.js';

const help: Capability = { id: 'help', commands: [helpCommand(() => defaultRegistry.commands)] };
const organisation: Capability = {
  id: 'organisation',
  commands: [bindCommand, syncCommand, roleCommand, adminsCommand],
  actions: [bindConfirmAction, bindCancelAction],
};
const anniversary: Capability = { id: 'anniversary', commands: [joinedCommand, anniversaryCommand], actions: [anniversaryOptAction] };
const whoami: Capability = { id: 'whoami', commands: [whoamiCommand] };

export const capabilities: Capability[] = [
  help,
  campaignCapability,
  pledgeCapability,
  assessCapability,
  reviewCapability,
  surveyCapability,
  ledgerCapability,
  commendCapability,
  postsCapability,
  organisation,
  rosterCapability,
  anniversary,
  whoami,
];

export const defaultRegistry: Registry = registryOf(capabilities);
