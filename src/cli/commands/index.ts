import type { Command } from '../command';
import { sendCommand } from './send';

/** Every command, in the order the overview lists them. */
export const commands: readonly Command[] = [sendCommand];
