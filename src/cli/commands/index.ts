import type { Command } from '../command';
import { devCommand } from './dev';
import { doctorCommand } from './doctor';
import { planCommand } from './plan';
import { reconcileCommand } from './reconcile';
import { reportCommand } from './report';
import { rosterCommand } from './roster';
import { sendCommand } from './send';
import { simCommand } from './sim';
import { statusCommand } from './status';

/** Every command, in the order the overview lists them. */
export const commands: readonly Command[] = [
  devCommand,
  sendCommand,
  planCommand,
  doctorCommand,
  simCommand,
  reconcileCommand,
  statusCommand,
  reportCommand,
  rosterCommand,
];
