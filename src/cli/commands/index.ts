import type { Command } from '../command';
import { devCommand } from './dev';
import { planCommand } from './plan';
import { sendCommand } from './send';

/** Every command, in the order the overview lists them. */
export const commands: readonly Command[] = [devCommand, sendCommand, planCommand];
