// The ledger capability (台账): /台账, and the download behind the web edge's signed links.
import type { Capability } from '../../bot/capability.js';
import { ledgerCommand } from './command.js';
import { ledgerPort } from './port.js';

export const ledgerCapability: Capability = {
  id: 'ledger',
  commands: [ledgerCommand],
  ports: { ledger: ledgerPort },
};
