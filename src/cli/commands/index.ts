import type { Command } from '../command';
import { deadLettersCommand } from './dead-letters';
import { devCommand } from './dev';
import { discardCommand } from './discard';
import { doctorCommand } from './doctor';
import { heldCommand } from './held';
import { planCommand } from './plan';
import { redriveCommand } from './redrive';
import { releaseCommand } from './release';
import { sendCommand } from './send';
import { simCommand } from './sim';

/** Every command, in the order the overview lists them. */
export const commands: readonly Command[] = [
  devCommand,
  sendCommand,
  planCommand,
  doctorCommand,
  simCommand,
  heldCommand,
  releaseCommand,
  discardCommand,
  deadLettersCommand,
  redriveCommand,
];
