import type { Command } from '../command';
import { devCommand } from './dev';
import { doctorCommand } from './doctor';
import { planCommand } from './plan';
import { sendCommand } from './send';
import { simCommand } from './sim';

/** Every command, in the order the overview lists them. */
export const commands: readonly Command[] = [devCommand, sendCommand, planCommand, doctorCommand, simCommand];
