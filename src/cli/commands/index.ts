import type { Command } from '../command';
import { deadLettersCommand } from './dead-letters';
import { devCommand } from './dev';
import { discardCommand } from './discard';
import { doctorCommand } from './doctor';
import { heldCommand } from './held';
import { planCommand } from './plan';
import { reconcileCommand } from './reconcile';
import { redriveCommand } from './redrive';
import { releaseCommand } from './release';
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
  heldCommand,
  releaseCommand,
  discardCommand,
  deadLettersCommand,
  redriveCommand,
];
