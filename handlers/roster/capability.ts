// The roster capability (名册): 政治面貌 and its confirmation after /同步, and the bulk import of the
// committee's roster file behind the web edge's signed link.
import type { Capability } from '../../bot/capability.js';
import { rosterConfirmAction, rosterConfirmAllAction } from './actions.js';
import { rosterCommand } from './command.js';
import { rosterImportPort } from './import-port.js';

export const rosterCapability: Capability = {
  id: 'roster',
  commands: [rosterCommand],
  actions: [rosterConfirmAction, rosterConfirmAllAction],
  ports: { rosterImport: rosterImportPort },
};
